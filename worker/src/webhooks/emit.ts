import type { Env } from "../env";
import { sha256Hex } from "../auth/secrets";
import { MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, MAX_INLINE_BODY_BYTES, webhookConfig } from "./config";
import { enabledEndpointRoutes, type EndpointRoute } from "./endpoints";
import type { DeliveryMessage } from "./messages";

/**
 * The ingest path's only entry point into webhooks. It must stay cheap: routes come from a short per-isolate
 * cache, nothing is signed or sent here, and one `sendBatch` per ≤100 messages hands the work to the queue.
 */

export interface OutgoingEvent {
  type: string;
  data: Record<string, unknown>;
  /** Stable id for consumer dedup (the `webhook-id`). Derived from type + user + content when absent. */
  id?: string;
}

type Ctx = { waitUntil(p: Promise<unknown>): void } | undefined;

const routeCache = new WeakMap<D1Database, { at: number; routes: Promise<EndpointRoute[]> }>();

async function cachedRoutes(env: Env): Promise<EndpointRoute[]> {
  const ttl = webhookConfig(env).endpointCacheMs;
  const hit = routeCache.get(env.DB);
  if (hit && Date.now() - hit.at < ttl) return hit.routes;
  const routes = enabledEndpointRoutes(env.DB);
  routeCache.set(env.DB, { at: Date.now(), routes });
  routes.catch(() => routeCache.delete(env.DB));
  return routes;
}

/** Management calls in this isolate see their changes at once; other isolates within the cache TTL. */
export const invalidateEndpointCache = (db: D1Database) => routeCache.delete(db);

/**
 * Normalises the token's `app_id` claim to the application that owns the session: `app_…` as minted with app
 * credentials, `invite:app_…` for an invitation bound to an application; `admin` / `invite:admin` have none.
 */
export function sourceApp(appId: string | null): string | null {
  const id = appId?.startsWith("invite:") ? appId.slice(7) : appId;
  return id && id.startsWith("app_") ? id : null;
}

/**
 * Who hears a user's event: only endpoints of the user's organization. Among those, an endpoint bound to an
 * application hears only sessions of that application; an unbound endpoint hears the whole organization. Uploads
 * from sessions without an application (API keys, admin tokens, unbound invitation codes) therefore reach only
 * unbound endpoints. Then the reference's filters: `filter_types` and the optional `user_id`.
 * `orgId` undefined skips the organization check (the ingest route's cheap pre-check, before the object is asked).
 */
export function matchEndpoints(
  routes: EndpointRoute[], userId: string, orgId: string | null | undefined, appId: string | null, type: string,
): EndpointRoute[] {
  const app = sourceApp(appId);
  return routes.filter((r) =>
    (orgId === undefined || r.org_id === orgId)
    && (r.app_id === null || r.app_id === app)
    && (r.user_id === null || r.user_id === userId)
    && (r.filter === null || r.filter.has(type)));
}

/** Reference rule for ids: every character outside `[A-Za-z0-9-_.]` becomes `_`. */
export const sanitizeEventId = (id: string) => id.replace(/[^A-Za-z0-9\-_.]/g, "_").slice(0, 255);

/** Key-sorted JSON so the same content always hashes to the same id. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export async function eventIdFor(userId: string, event: OutgoingEvent): Promise<string> {
  if (event.id) return sanitizeEventId(event.id);
  return `evt_${(await sha256Hex(`${event.type}\n${userId}\n${canonical(event.data)}`)).slice(0, 32)}`;
}

export interface Sized { message: DeliveryMessage; bytes: number }

const utf8 = new TextEncoder();

/** Builds the queue messages (and D1 rows for oversized bodies) for events already matched to endpoints. */
export async function buildMessages(userId: string, pairs: { event: OutgoingEvent; endpoints: string[] }[]) {
  const messages: Sized[] = [];
  const oversized: { eventId: string; body: string }[] = [];
  const now = Date.now();
  // A timeseries chunk's group and granular events share one data object: serialize it once.
  const dataJson = new Map<Record<string, unknown>, string>();
  for (const { event, endpoints } of pairs) {
    const eventId = await eventIdFor(userId, event);
    let data = dataJson.get(event.data);
    if (data === undefined) dataJson.set(event.data, (data = JSON.stringify(event.data)));
    const body = `{"type":${JSON.stringify(event.type)},"data":${data}}`;
    // UTF-8 is at most 3 bytes per UTF-16 unit: only bodies that might be too big are encoded to measure them.
    const bodyBytes = body.length * 3 <= MAX_INLINE_BODY_BYTES ? body.length : utf8.encode(body).byteLength;
    const inline = bodyBytes <= MAX_INLINE_BODY_BYTES;
    if (!inline) oversized.push({ eventId, body });
    for (const endpointId of endpoints) {
      const message: DeliveryMessage = { v: 1, endpointId, eventId, eventType: event.type, userId, createdAt: now,
        ...(inline ? { body } : { bodyInD1: true as const }) };
      // Embedded as a JSON string, the body grows by its escaped quotes (~10-20 %); 1.25x + 500 B is a safe bound.
      messages.push({ message, bytes: (inline ? Math.ceil(bodyBytes * 1.25) : 0) + 500 });
    }
  }
  return { messages, oversized };
}

/** Splits into sendBatch calls within the Queues limits (≤100 messages, ≤256 KB). */
export function chunkForSendBatch(messages: Sized[]): DeliveryMessage[][] {
  const batches: DeliveryMessage[][] = [];
  let current: DeliveryMessage[] = [];
  let bytes = 0;
  for (const { message, bytes: size } of messages) {
    if (current.length && (current.length >= MAX_BATCH_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** A transient Queues error should not cost a batch its events: two more tries, 100 ms then 400 ms later. */
async function withRetry<T>(fn: () => Promise<T>, delays = [100, 400]): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= delays.length) throw err;
      await new Promise((r) => setTimeout(r, delays[i]));
    }
  }
}

export async function enqueueMessages(env: Env, messages: Sized[], oversized: { eventId: string; body: string }[] = []) {
  if (oversized.length) {
    const now = Date.now();
    await env.DB.batch(oversized.map((o) =>
      env.DB.prepare(`INSERT OR IGNORE INTO webhook_payloads (event_id, body, created_at) VALUES (?, ?, ?)`).bind(o.eventId, o.body, now)));
  }
  await Promise.all(chunkForSendBatch(messages).map((batch) =>
    withRetry(() => env.WEBHOOKS.sendBatch(batch.map((body) => ({ body, contentType: "json" as const }))))));
}

/**
 * Call after the user's data is durably stored. Never throws: a webhook problem must not fail an ingest (errors are
 * logged after the retries above). With `ctx`, the enqueue runs in `waitUntil`: no added latency, and only an
 * isolate dying in the milliseconds before `sendBatch` returns could lose the events. Without it the enqueue is
 * awaited (≈ 15-30 ms locally for a 2,000-record batch's events), so they are queued before the 2xx.
 */
export async function emitUserEvents(
  env: Env, ctx: Ctx, userId: string, orgId: string | null, appId: string | null, events: OutgoingEvent[],
): Promise<void> {
  const work = enqueueUserEvents(env, userId, orgId, appId, events).catch((err: unknown) => {
    // Only the error's name/message: never the events (health data) or ids that identify a person.
    console.error("webhooks: enqueue failed", err instanceof Error ? err.message : String(err));
  });
  if (ctx) ctx.waitUntil(work);
  else await work;
}

/** Like emitUserEvents, but a failure to enqueue throws, for callers that retry (the ingest outbox). */
export async function enqueueUserEvents(
  env: Env, userId: string, orgId: string | null, appId: string | null, events: OutgoingEvent[],
): Promise<void> {
  if (!events.length || !env.WEBHOOKS || orgId === null) return;
  const routes = await cachedRoutes(env);
  if (!routes.length) return;
  const pairs = events
    .map((event) => ({ event, endpoints: matchEndpoints(routes, userId, orgId, appId, event.type).map((r) => r.id) }))
    .filter((p) => p.endpoints.length);
  if (!pairs.length) return;
  const { messages, oversized } = await buildMessages(userId, pairs);
  await enqueueMessages(env, messages, oversized);
}

/**
 * A test delivery to one endpoint, through the same queue, signing and log as real events. The type defaults to
 * `workout.created`, or the endpoint's first filter type when that one is filtered out (as the reference does).
 */
export async function enqueueTestEvent(env: Env, endpoint: { id: string; filter: string[] | null }, requested?: string) {
  let type = requested ?? "workout.created";
  if (endpoint.filter && endpoint.filter.length && !endpoint.filter.includes(type)) type = endpoint.filter[0]!;
  const eventId = `msg_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const body = JSON.stringify({ type, data: { test: true, message: "Test event from Open Wearables", sent_at: new Date().toISOString() } });
  await env.WEBHOOKS.send({ v: 1, endpointId: endpoint.id, eventId, eventType: type, userId: null, body, createdAt: Date.now() } satisfies DeliveryMessage,
    { contentType: "json" });
  return { eventId, type };
}

/**
 * Whether any enabled endpoint could hear this user's events (any type), from the cached routes. Lets ingest skip
 * building event payloads when nobody listens.
 */
export async function hasListeners(env: Env, userId: string, appId: string | null): Promise<boolean> {
  if (!env.WEBHOOKS) return false;
  const routes = await cachedRoutes(env);
  return routes.some((r) => matchEndpoints([{ ...r, filter: null }], userId, undefined, appId, "").length > 0);
}
