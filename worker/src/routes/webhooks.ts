import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { orgOf, requireAdmin } from "../auth/middleware";
import { findApplication } from "../control/applications";
import { HttpError } from "../http/errors";
import { API_KEY_SECURITY, errors, json, jsonBody, newRouter } from "../http/router";
import { EVENT_TYPES, KNOWN_EVENT_TYPES } from "../webhooks/catalog";
import { urlPolicy, webhookUrlProblem } from "../webhooks/url-policy";
import { webhookConfig } from "../webhooks/config";
import { listDeliveries, toAttemptRead } from "../webhooks/deliveries";
import { enqueueTestEvent, invalidateEndpointCache } from "../webhooks/emit";
import {
  createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, parseFilter, rotateEndpointSecret, toEndpointRead, updateEndpoint,
} from "../webhooks/endpoints";

const EventTypeRead = z.object({ name: z.string(), description: z.string(), child_events: z.array(z.string()).nullable() }).openapi("WebhookEventType");

const EndpointRead = z.object({
  id: z.uuid(), url: z.string(), description: z.string().nullable(), filter_types: z.array(z.string()).nullable(),
  user_id: z.string().nullable(),
  app_id: z.string().nullable().openapi({ description: "Events of this application's sessions only; null: every source." }),
  enabled: z.boolean(), disabled_at: z.string().nullable(), disabled_reason: z.string().nullable(),
  consecutive_failures: z.number().int(), last_success_at: z.string().nullable(),
  previous_secret_expires_at: z.string().nullable(), created_at: z.string(), updated_at: z.string().nullable(),
}).openapi("WebhookEndpoint");
const EndpointWithSecret = EndpointRead.extend({
  secret: z.string().openapi({ description: "`whsec_…` signing secret. Shown once; only a sealed copy is stored." }),
}).openapi("WebhookEndpointWithSecret");

const Url = z.url({ protocol: /^https?$/, error: "Input should be a valid URL, an absolute http(s) URL" }).max(2000)
  .refine((u) => { try { const p = new URL(u); return !p.username && !p.password; } catch { return true; /* reported by z.url */ } },
    { error: "URL must not contain credentials" });
const EventType = z.string().max(100).refine((t) => KNOWN_EVENT_TYPES.has(t), { error: "Unknown event type (see GET /api/v1/webhooks/event-types)" });
const FilterTypes = z.array(EventType).max(200);
const UserFilter = z.uuid({ error: "Input should be a valid UUID" });

const EndpointCreate = z.strictObject({
  url: Url.openapi({ description: "`https` to a public host (private, loopback and link-local addresses are refused)." }),
  description: z.string().max(500).nullable().optional(),
  filter_types: FilterTypes.nullable().optional(),
  user_id: UserFilter.nullable().optional(),
  app_id: z.string().max(64).nullable().optional().openapi({ description: "Owning application; omit for operator-wide endpoints." }),
}).openapi("WebhookEndpointCreate");
const EndpointUpdate = z.strictObject({
  url: Url.optional(),
  description: z.string().max(500).nullable().optional(),
  filter_types: FilterTypes.nullable().optional(),
  user_id: UserFilter.nullable().optional(),
  enabled: z.boolean().optional().openapi({ description: "Re-enable an endpoint disabled after failures (resets its counters)." }),
}).openapi("WebhookEndpointUpdate");
const RotateBody = z.strictObject({
  grace_seconds: z.number().int().min(0).max(7 * 24 * 3600).optional()
    .openapi({ description: "How long the old secret keeps signing alongside the new one (default 24 h)." }),
}).openapi("WebhookRotateSecret");
const TestBody = z.strictObject({ event_type: EventType.optional() }).openapi("WebhookTest");
const TestResult = z.object({ message: z.string(), message_id: z.string() }).openapi("WebhookTestResult");

const IdParam = z.object({ id: z.uuid({ error: "Input should be a valid UUID" }).openapi({ param: { name: "id", in: "path" } }) });
const ListQuery = z.strictObject({ app_id: z.string().max(64).optional() });
const AttemptsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(250).default(50),
  iterator: z.string().regex(/^\d+\|.+$/, { error: "Invalid iterator" }).optional(),
  status: z.enum(["0", "1", "2"]).optional().openapi({ description: "0 success, 1 pending, 2 failed" }),
});
const AttemptRead = z.object({
  id: z.string(), endpointId: z.string(), msgId: z.string(), eventType: z.string(), url: z.string(), response: z.null(),
  responseStatusCode: z.number().int(), responseDurationMs: z.number().int(), status: z.number().int(), statusText: z.string(),
  triggerType: z.number().int(), timestamp: z.string().nullable(), msg: z.null(), attempts: z.number().int(),
  lastError: z.string().nullable(), createdAt: z.string().nullable(), nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(), deadLetteredAt: z.string().nullable(),
}).openapi("WebhookDelivery");
const AttemptList = z.object({ data: z.array(AttemptRead), done: z.boolean(), iterator: z.string().nullable(), prevIterator: z.null() })
  .openapi("WebhookDeliveryList");

const tags = ["Webhooks"];
const admin = { tags, security: API_KEY_SECURITY, middleware: [requireAdmin] };
const notFound = () => new HttpError(404, "Webhook endpoint not found");
const STATUS = ["success", "pending", "failed"] as const;

/** Same 503 as the reference when outgoing webhooks are not set up (here: no key to seal secrets with). */
function sealKey(c: Context<AppEnv>): string {
  const key = c.env.WEBHOOK_SECRET_KEY;
  if (!key || !c.env.WEBHOOKS) throw new HttpError(503, "Outgoing webhooks are not enabled (set the WEBHOOK_SECRET_KEY secret and the WEBHOOKS queue binding).");
  return key;
}

/** SSRF guard: https to a public host unless local development allows private URLs (webhooks/url-policy.ts). */
function checkUrl(c: Context<AppEnv>, url: string | undefined) {
  const problem = url === undefined ? null : webhookUrlProblem(url, urlPolicy(c.env));
  if (problem) throw new HttpError(400, problem);
}

async function endpointOr404(c: Context<AppEnv>, id: string) {
  const row = await getEndpoint(c.env.DB, orgOf(c), id);
  if (!row) throw notFound();
  return row;
}

export const webhookRoutes = newRouter()
  .openapi(
    createRoute({ tags, method: "get", path: "/webhooks/event-types", summary: "Event types (no auth)",
      responses: { 200: json(z.array(EventTypeRead)) } }),
    (c) => c.json([...EVENT_TYPES], 200),
  )
  .openapi(
    createRoute({ ...admin, method: "post", path: "/webhooks/endpoints", summary: "Create an endpoint (returns its signing secret once)",
      request: { body: jsonBody(EndpointCreate) }, responses: { 201: json(EndpointWithSecret), ...errors(400, 401, 404, 503) } }),
    async (c) => {
      const key = sealKey(c);
      const { app_id, ...input } = c.req.valid("json");
      checkUrl(c, input.url);
      const orgId = orgOf(c);
      const app = app_id ? await findApplication(c.env.DB, orgId, app_id) : null;
      if (app_id && !app) throw new HttpError(404, "Application not found");
      const { row, secret } = await createEndpoint(c.env.DB, key, orgId, app?.id ?? null, input);
      invalidateEndpointCache(c.env.DB);
      return c.json({ ...toEndpointRead(row), secret }, 201);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "get", path: "/webhooks/endpoints", summary: "List endpoints",
      request: { query: ListQuery }, responses: { 200: json(z.array(EndpointRead)), ...errors(400, 401, 404) } }),
    async (c) => {
      const { app_id } = c.req.valid("query");
      const orgId = orgOf(c);
      const app = app_id ? await findApplication(c.env.DB, orgId, app_id) : null;
      if (app_id && !app) throw new HttpError(404, "Application not found");
      return c.json((await listEndpoints(c.env.DB, orgId, app?.id)).map(toEndpointRead), 200);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "get", path: "/webhooks/endpoints/{id}", summary: "Get an endpoint",
      request: { params: IdParam }, responses: { 200: json(EndpointRead), ...errors(400, 401, 404) } }),
    async (c) => c.json(toEndpointRead(await endpointOr404(c, c.req.valid("param").id)), 200),
  )
  .openapi(
    createRoute({ ...admin, method: "patch", path: "/webhooks/endpoints/{id}", summary: "Update an endpoint (`null` clears a filter)",
      request: { params: IdParam, body: jsonBody(EndpointUpdate) }, responses: { 200: json(EndpointRead), ...errors(400, 401, 404) } }),
    async (c) => {
      const patch = c.req.valid("json");
      checkUrl(c, patch.url);
      const row = await updateEndpoint(c.env.DB, orgOf(c), c.req.valid("param").id, patch);
      if (!row) throw notFound();
      invalidateEndpointCache(c.env.DB);
      return c.json(toEndpointRead(row), 200);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "delete", path: "/webhooks/endpoints/{id}", summary: "Delete an endpoint and its delivery log",
      request: { params: IdParam }, responses: { 204: { description: "Deleted" }, ...errors(400, 401, 404) } }),
    async (c) => {
      if (!(await deleteEndpoint(c.env.DB, orgOf(c), c.req.valid("param").id))) throw notFound();
      invalidateEndpointCache(c.env.DB);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "get", path: "/webhooks/endpoints/{id}/secret",
      summary: "Not available: the secret is shown only once (at creation or rotation)",
      request: { params: IdParam }, responses: { ...errors(400, 401, 404), 410: json(z.object({ detail: z.string() })) } }),
    async (c) => {
      await endpointOr404(c, c.req.valid("param").id);
      return c.json({ detail: "The signing secret is shown only once, when the endpoint is created or its secret rotated. Rotate it to get a new one." }, 410);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "post", path: "/webhooks/endpoints/{id}/rotate-secret",
      summary: "Rotate the signing secret; the old one keeps signing alongside it for a grace period",
      request: { params: IdParam, body: jsonBody(RotateBody, false) }, responses: { 200: json(EndpointWithSecret), ...errors(400, 401, 404, 503) } }),
    async (c) => {
      const key = sealKey(c);
      const row = await endpointOr404(c, c.req.valid("param").id);
      const grace = c.req.valid("json")?.grace_seconds ?? webhookConfig(c.env).rotationGraceSeconds;
      const rotated = await rotateEndpointSecret(c.env.DB, key, row, grace);
      return c.json({ ...toEndpointRead(rotated.row), secret: rotated.secret }, 200);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "post", path: "/webhooks/endpoints/{id}/test", summary: "Queue a signed test event to this endpoint",
      request: { params: IdParam, body: jsonBody(TestBody, false) }, responses: { 200: json(TestResult), ...errors(400, 401, 404, 500, 503) } }),
    async (c) => {
      sealKey(c);
      const row = await endpointOr404(c, c.req.valid("param").id);
      try {
        const { eventId } = await enqueueTestEvent(c.env, { id: row.id, filter: parseFilter(row.filter_types) }, c.req.valid("json")?.event_type);
        return c.json({ message: "Test event sent successfully.", message_id: eventId }, 200);
      } catch {
        throw new HttpError(500, "Failed to send test event.");
      }
    },
  )
  .openapi(
    createRoute({ ...admin, method: "get", path: "/webhooks/endpoints/{id}/attempts",
      summary: "Delivery log of this endpoint, newest first (status, attempts, last error)",
      request: { params: IdParam, query: AttemptsQuery }, responses: { 200: json(AttemptList), ...errors(400, 401, 404) } }),
    async (c) => {
      const row = await endpointOr404(c, c.req.valid("param").id);
      const q = c.req.valid("query");
      const [createdAt, ...rest] = q.iterator?.split("|") ?? [];
      const page = await listDeliveries(c.env.DB, row.id, {
        limit: q.limit,
        status: q.status === undefined ? undefined : STATUS[Number(q.status)],
        iterator: q.iterator ? { createdAt: Number(createdAt), eventId: rest.join("|") } : undefined,
      });
      return c.json({ data: page.rows.map((r) => toAttemptRead(r, row.url)), done: page.done, iterator: page.iterator, prevIterator: null }, 200);
    },
  );
