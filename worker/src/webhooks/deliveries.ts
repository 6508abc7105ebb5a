import { isoZ } from "../lib/time";

/** The per-endpoint delivery log: one row per (endpoint, event), updated on every attempt. */

export type DeliveryStatus = "pending" | "success" | "failed";

export interface DeliveryRow {
  endpoint_id: string;
  event_id: string;
  event_type: string;
  user_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: number;
  last_attempt_at: number | null;
  next_attempt_at: number | null;
  delivered_at: number | null;
  dead_lettered_at: number | null;
}

export interface AttemptOutcome {
  endpointId: string;
  eventId: string;
  eventType: string;
  userId: string | null;
  status: DeliveryStatus;
  attempts: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
  at: number;
  nextAttemptAt: number | null;
}

/**
 * Upsert for one attempt. `attempts` never goes down (a redelivered message restarts its own count). An endpoint
 * deleted while its delivery was in flight writes nothing (its log went with it), instead of failing the foreign key
 * and with it the whole batch of delivery records.
 */
export const recordAttempt = (db: D1Database, o: AttemptOutcome) =>
  db.prepare(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, user_id, status, attempts, last_status_code,
       last_error, last_duration_ms, created_at, last_attempt_at, next_attempt_at, delivered_at)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, CASE WHEN ?5 = 'success' THEN ?10 END
      WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ?1)
     ON CONFLICT (endpoint_id, event_id) DO UPDATE SET
       status = CASE WHEN status = 'success' THEN status ELSE excluded.status END,
       attempts = MAX(attempts + 1, excluded.attempts),
       last_status_code = excluded.last_status_code,
       last_error = excluded.last_error,
       last_duration_ms = excluded.last_duration_ms,
       last_attempt_at = excluded.last_attempt_at,
       next_attempt_at = excluded.next_attempt_at,
       delivered_at = COALESCE(delivered_at, excluded.delivered_at)`,
  ).bind(o.endpointId, o.eventId, o.eventType, o.userId, o.status, o.attempts, o.statusCode, o.error?.slice(0, 500) ?? null,
    o.durationMs, o.at, o.nextAttemptAt);

/** Retries exhausted: the final state, written by the dead-letter consumer. */
export const recordDeadLetter = (db: D1Database, m: { endpointId: string; eventId: string; eventType: string; userId: string | null }, at: number) =>
  db.prepare(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, user_id, status, attempts, last_error, created_at, dead_lettered_at)
     SELECT ?1, ?2, ?3, ?4, 'failed', 0, 'Retries exhausted', ?5, ?5 WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ?1)
     ON CONFLICT (endpoint_id, event_id) DO UPDATE SET
       status = CASE WHEN status = 'success' THEN status ELSE 'failed' END,
       next_attempt_at = NULL,
       dead_lettered_at = ?5,
       last_error = CASE WHEN status = 'success' THEN last_error ELSE 'Retries exhausted; last error: ' || COALESCE(last_error, 'unknown') END`,
  ).bind(m.endpointId, m.eventId, m.eventType, m.userId, at);

/** Pairs already delivered: a redelivered message or a replayed batch is not sent twice. */
export async function deliveredPairs(db: D1Database, pairs: { endpointId: string; eventId: string }[]): Promise<Set<string>> {
  const done = new Set<string>();
  for (let i = 0; i < pairs.length; i += 45) {
    const chunk = pairs.slice(i, i + 45);
    const { results } = await db.prepare(
      `SELECT endpoint_id, event_id FROM webhook_deliveries WHERE status = 'success' AND (${chunk.map(() => "(endpoint_id = ? AND event_id = ?)").join(" OR ")})`,
    ).bind(...chunk.flatMap((p) => [p.endpointId, p.eventId])).all<{ endpoint_id: string; event_id: string }>();
    for (const r of results) done.add(`${r.endpoint_id} ${r.event_id}`);
  }
  return done;
}

const STATUS_CODE: Record<DeliveryStatus, number> = { success: 0, pending: 1, failed: 2 };
const iso = (ms: number | null) => (ms === null ? null : isoZ(ms));

/** Svix-like attempt shape of the reference (`/endpoints/{id}/attempts`), plus our counters. */
export const toAttemptRead = (row: DeliveryRow, url: string) => ({
  id: `${row.endpoint_id}:${row.event_id}`,
  endpointId: row.endpoint_id,
  msgId: row.event_id,
  eventType: row.event_type,
  url,
  response: null,
  responseStatusCode: row.last_status_code ?? 0,
  responseDurationMs: row.last_duration_ms ?? 0,
  status: STATUS_CODE[row.status],
  statusText: row.status,
  triggerType: 0,
  timestamp: iso(row.last_attempt_at ?? row.created_at),
  msg: null,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: iso(row.created_at),
  nextAttemptAt: iso(row.next_attempt_at),
  deliveredAt: iso(row.delivered_at),
  deadLetteredAt: iso(row.dead_lettered_at),
});

/** Newest first, keyset-paginated by `<created_at>|<event_id>`. */
export async function listDeliveries(db: D1Database, endpointId: string, opts: { status?: DeliveryStatus; limit: number; iterator?: { createdAt: number; eventId: string } }) {
  const where = ["endpoint_id = ?"];
  const args: unknown[] = [endpointId];
  if (opts.status) { where.push("status = ?"); args.push(opts.status); }
  if (opts.iterator) {
    where.push("(created_at < ? OR (created_at = ? AND event_id < ?))");
    args.push(opts.iterator.createdAt, opts.iterator.createdAt, opts.iterator.eventId);
  }
  const { results } = await db.prepare(
    `SELECT * FROM webhook_deliveries WHERE ${where.join(" AND ")} ORDER BY created_at DESC, event_id DESC LIMIT ?`,
  ).bind(...args, opts.limit + 1).all<DeliveryRow>();
  const done = results.length <= opts.limit;
  const page = results.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { rows: page, done, iterator: !done && last ? `${last.created_at}|${last.event_id}` : null };
}

/** Retention: oversized payloads outlive the queue's 14-day maximum by a day; the log keeps 30 days. */
export const pruneStatements = (db: D1Database, now: number) => [
  db.prepare(`DELETE FROM webhook_payloads WHERE created_at < ?`).bind(now - 15 * 86_400_000),
  db.prepare(`DELETE FROM webhook_deliveries WHERE created_at < ?`).bind(now - 30 * 86_400_000),
];
