import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { HttpError } from "../http/errors";
import { errors, json, newRouter } from "../http/router";
import { CODE_PATTERN, normalizeCode } from "../control/invitation-codes";
import { lookupConnectCode, withRedemption, type ConnectCode } from "../control/app-settings";
import type { UserDataStats } from "../data/UserDataStore";
import { isoZ } from "../lib/time";
import { DEFAULT_CODE_LIMITS, chargeCodeFailure, guardCodeAttempt } from "../ratelimit/code-guard";
import { Branding, appSettingsRoutes } from "./connect-settings";

/**
 * Public, code-scoped endpoints for the onboarding PWA. They answer with branding, the code's state and record
 * counts: never a token, never health values. The code is the credential, so it travels in a header, never in
 * the path or query string where request logs would keep it (the page itself carries it in the URL fragment,
 * which browsers never send). The old `/connect/{code}` paths are gone: the PWA is served by this same Worker.
 */

export const CODE_HEADER = "X-Invitation-Code";

// Counted before the code is judged, so every request costs the same whatever it asks for.
const countAttempt: MiddlewareHandler<AppEnv> = async (c, next) => {
  await guardCodeAttempt(c, "connect");
  await next();
};

// Hono validates headers by their lower-case names; the document must use the same name (headers ignore case).
const CodeHeader = z.object({
  "x-invitation-code": z.string().max(64).optional()
    .openapi({ param: { name: "x-invitation-code", in: "header" }, description: "The invitation code (8 characters).", example: "K7MPQ2XA" }),
});
const CodeState = z.enum(["valid", "expired", "used", "unknown"]);

const ConnectInfo = z.object({
  code_state: CodeState.openapi({ description: "`used` = redeemed by the app; the status page keeps working." }),
  expires_at: z.string().nullable(),
  application: Branding,
  requested_data_types: z.array(z.string()),
}).openapi("ConnectInfo");

const ConnectStatus = z.object({
  code_state: CodeState,
  stage: z.enum(["waiting_for_app", "connected", "receiving_data"]),
  connected_at: z.string().nullable(),
  total_records: z.number().int(),
  total_workouts: z.number().int(),
  total_sleep_sessions: z.number().int(),
  first_data_at: z.string().nullable(),
  last_sync_at: z.string().nullable(),
  server_time: z.string().openapi({ description: "So the page can judge 'nothing yet' without trusting the device clock." }),
}).openapi("ConnectStatus");

/** The code, or a 400/404/410 that says which state it is in. Unknown and malformed codes are charged heavily. */
async function resolveCode(c: Context<AppEnv>, cached = false): Promise<ConnectCode> {
  const code = normalizeCode(c.req.header(CODE_HEADER) ?? "");
  if (!CODE_PATTERN.test(code)) {
    await chargeCodeFailure(c, "connect");
    throw new HttpError(400, `${CODE_HEADER} must be 8 characters from A–Z (without I and O) and 2–9`);
  }
  const found = await lookupConnectCode(c.env.DB, code, Date.now(), cached);
  if (found.state === "unknown") {
    await chargeCodeFailure(c, "connect");
    throw new HttpError(404, "Unknown invitation code");
  }
  return found;
}

const branding = (found: ConnectCode) => {
  const { requested_data_types: _types, ...rest } = found.settings;
  return rest;
};

const publicRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get", path: "/connect", tags: ["Onboarding"], middleware: [countAttempt],
      summary: "What the onboarding page shows for a code: branding, requested data types and the code's state",
      description: `No authentication: the code (header ${CODE_HEADER}) is the credential, and only this is revealed. ` +
        `Rate-limited to ${DEFAULT_CODE_LIMITS.connect.attempts} requests a minute per network (IPv6 /64); an unknown code ` +
        `costs ${DEFAULT_CODE_LIMITS.missWeight} and counts against the deployment's failure budget.`,
      request: { headers: CodeHeader },
      responses: { 200: json(ConnectInfo), ...errors(400, 404, 429), 410: json(ConnectInfo.extend({ detail: z.string() }), "Expired") },
    }),
    async (c) => {
      const found = await resolveCode(c);
      const body = {
        code_state: found.state,
        expires_at: found.expires_at === null ? null : isoZ(found.expires_at),
        application: branding(found),
        requested_data_types: found.settings.requested_data_types,
      };
      if (found.state === "expired") return c.json({ detail: "This invitation code has expired; ask for a new link", ...body }, 410);
      return c.json(body, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get", path: "/connect/status", tags: ["Onboarding"], middleware: [countAttempt],
      summary: "Progress for the onboarding status page: waiting for the app, connected, data arriving (counts only)",
      request: { headers: CodeHeader },
      responses: { 200: json(ConnectStatus), ...errors(400, 404, 429), 410: json(z.object({ detail: z.string(), code_state: CodeState }), "Expired") },
    }),
    async (c) => {
      // The poll makes no D1 query in steady state: the code comes from the per-isolate cache, and whether the app
      // has redeemed it (with the counts) from the user's object, which started the session.
      let found = await resolveCode(c, true);
      let stats: UserDataStats | null = null;
      if (found.user_id && found.id && found.state !== "expired") {
        const status = await c.var.services.users.stub(found.user_id).connectStatus(found.id);
        if (found.redeemed_at === null && status.redeemedAt !== null) found = withRedemption(found, status.redeemedAt);
        stats = status.stats;
      }
      if (found.state === "expired") {
        return c.json({ detail: "This invitation code has expired; ask for a new link", code_state: "expired" as const }, 410);
      }
      const serverTime = isoZ(Date.now());
      if (found.state === "valid" || found.redeemed_at === null || found.user_id === null || stats === null) {
        // Until the app has redeemed the code, say nothing about the user's data, not even its counts.
        return c.json({
          code_state: found.state, stage: "waiting_for_app" as const, connected_at: null, total_records: 0, total_workouts: 0,
          total_sleep_sessions: 0, first_data_at: null, last_sync_at: null, server_time: serverTime,
        }, 200);
      }
      return c.json({
        code_state: found.state,
        stage: stats.total_records > 0 || stats.first_data_at ? "receiving_data" as const : "connected" as const,
        connected_at: isoZ(found.redeemed_at),
        total_records: stats.total_records,
        total_workouts: stats.total_workouts,
        total_sleep_sessions: stats.total_sleep_sessions,
        first_data_at: stats.first_data_at,
        last_sync_at: stats.last_sync_at,
        server_time: serverTime,
      }, 200);
    },
  );

/** Onboarding: the PWA's public, code-scoped endpoints and the admin settings behind its branding. */
export const connectRoutes = newRouter();
connectRoutes.route("/", publicRoutes);
connectRoutes.route("/", appSettingsRoutes);
