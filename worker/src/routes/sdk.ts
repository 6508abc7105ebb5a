import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { callerOrg, requireSdkAuth } from "../auth/middleware";
import { HttpError, notFound } from "../http/errors";
import { readBodyText } from "../http/read-body";
import { SDK_SECURITY, errors, json, jsonBody, newRouter } from "../http/router";
import type { SyncOutcome } from "../data/UserDataStore";
import type { Access } from "../data/user-state";
import { hasListeners } from "../webhooks/emit";

/** Phone uploads: the official SDKs' sync and log endpoints. */

export const SYNC_BODY_LIMIT_BYTES = 4 * 1024 * 1024; // peak memory under 64 MB at this size: bench/README.md

const UserPathParam = z.object({ user_id: z.string().max(64).openapi({ param: { name: "user_id", in: "path" } }) });

const SyncAccepted = z.object({
  status_code: z.literal(202), response: z.string(), user_id: z.string(),
  dropped_count: z.number().int(), records_saved: z.number().int(), workouts_saved: z.number().int(), sleep_saved: z.number().int(),
  batch_id: z.string(),
  duplicates: z.object({ records: z.number().int(), workouts: z.number().int(), sleep: z.number().int() }),
  sleep_sessions_updated: z.number().int(),
  received: z.object({ records: z.number().int(), workouts: z.number().int(), sleep: z.number().int() }),
  rejected: z.array(z.object({
    collection: z.enum(["records", "workouts", "sleep"]), index: z.number().int(), id: z.string().nullable(),
    reason: z.string(), message: z.string(),
  })),
  rejected_truncated: z.boolean(),
  unknown_types: z.record(z.string(), z.number().int()),
  repeat_of_earlier_batches: z.number().int(),
}).openapi("SyncAccepted");

const SyncEnvelope = z.object({
  provider: z.string().openapi({ example: "apple" }),
  sdkVersion: z.string(),
  syncTimestamp: z.string(),
  data: z.object({ records: z.array(z.unknown()), workouts: z.array(z.unknown()), sleep: z.array(z.unknown()) }),
}).openapi("SyncEnvelope");

/** SDK tokens may only write their own user; API keys may write any user. */
function authorizeUser(c: Context<AppEnv>, pathUserId: string): string {
  const auth = c.get("auth");
  const userId = pathUserId.toLowerCase();
  if (auth.kind === "sdk_token" && auth.userId !== userId) throw new HttpError(403, "Token does not match user_id: an SDK token may only write its own user (the token's sub); use that user's path, or an API key");
  return userId;
}

const LogEvent = z.looseObject({
  eventType: z.enum(["historical_data_sync_start", "historical_data_type_sync_end", "device_state"]),
  timestamp: z.iso.datetime({ offset: true, local: true }),
});
const LogsBody = z.object({
  sdkVersion: z.string().max(64),
  provider: z.string().max(32).nullable().optional(),
  events: z.array(LogEvent).min(1).max(100),
}).openapi("SdkLogs");

const syncRoute = createRoute({
      method: "post", path: "/sdk/users/{user_id}/sync", tags: ["SDK"], security: SDK_SECURITY,
      middleware: [requireSdkAuth],
      summary: "Upload a batch from a phone",
      description:
        "The official SDKs' envelope. Every item is validated on its own: bad items are reported in `rejected`, " +
        "the rest are stored durably before this 202. Re-sending data stores nothing new (see `duplicates`). " +
        `Bodies up to ${SYNC_BODY_LIMIT_BYTES / 1024 / 1024} MB (after decompression); \`Content-Encoding: gzip\` is accepted.`,
      request: { params: UserPathParam, body: { required: true, content: { "application/json": { schema: SyncEnvelope } } } },
      responses: { 202: json(SyncAccepted), ...errors(400, 401, 403, 404, 413, 500) },
});

export const sdkRoutes = newRouter();
// Documented from the schema above but not run through a body validator: the body may be gzip, is capped while
// streaming, and is validated item by item so one bad record never rejects the batch.
sdkRoutes.openAPIRegistry.registerPath(syncRoute);
sdkRoutes.post("/sdk/users/:user_id/sync", requireSdkAuth, async (c) => {
      const userId = authorizeUser(c, c.req.param("user_id"));
      const text = await readBodyText(c.req.raw, SYNC_BODY_LIMIT_BYTES, `${SYNC_BODY_LIMIT_BYTES / 1024 / 1024} MB`);
      if (!text.trim()) throw new HttpError(400, "Field required: request body");
      const auth = c.get("auth");
      const appId = auth.kind === "sdk_token" ? auth.appId : null;
      const orgId = callerOrg(c);
      const { users } = c.var.services;
      // The endpoint cache is per isolate (webhooks/emit.ts): no D1 query in steady state.
      const wantEvents = await hasListeners(c.env, userId, appId);
      const meta = { userId, auth: auth.kind, appId, orgId, wantEvents };
      // The user's object checks the user exists (in the caller's organization) and stores the batch; webhook events
      // go through its outbox, written with the batch: nothing lost, nothing awaited here.
      let outcome = (await users.stub(userId).ingest(text, meta)) as SyncOutcome;
      if (!outcome.ok && outcome.status === 404 && outcome.reason === "unregistered") {
        // A user created before objects knew their organization: registered once from D1, then never again.
        if ((await users.registerFromDirectory(userId, orgId)).ok) outcome = (await users.stub(userId).ingest(text, meta)) as SyncOutcome;
      }
      if (!outcome.ok) throw outcome.status === 404 ? notFound("User", userId) : new HttpError(outcome.status, outcome.detail);
      return c.json(outcome.body, 202);
});

sdkRoutes.openapi(
    createRoute({
      method: "post", path: "/sdk/users/{user_id}/logs", tags: ["SDK"], security: SDK_SECURITY,
      middleware: [requireSdkAuth], summary: "Upload SDK diagnostics",
      request: { params: UserPathParam, body: jsonBody(LogsBody) },
      responses: { 202: json(z.object({ status_code: z.literal(202), response: z.string(), user_id: z.string() }).passthrough()), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const userId = authorizeUser(c, c.req.valid("param").user_id);
      const { users } = c.var.services;
      const orgId = callerOrg(c);
      const store = () => users.stub(userId).storeLogs(body.sdkVersion, (body.provider ?? "unknown").toLowerCase(), body.events, orgId) as Promise<Access>;
      let stored = await store();
      if (!stored.ok && stored.reason === "unregistered" && (await users.registerFromDirectory(userId, orgId)).ok) stored = await store();
      if (!stored.ok) throw notFound("User", userId);
      return c.json({
        status_code: 202 as const, response: "Log events stored successfully", user_id: c.req.valid("param").user_id,
        dropped_count: 0, records_saved: 0, workouts_saved: 0, sleep_saved: 0,
      }, 202);
    },
  );
