import type { Env } from "../env";
import { retryDelaySeconds, WEBHOOK_DLQ, webhookConfig, type WebhookConfig } from "./config";
import { deliveredPairs, pruneStatements, recordAttempt, recordDeadLetter, type AttemptOutcome } from "./deliveries";
import { getEndpointsByIds, signingSecrets, type EndpointRow } from "./endpoints";
import { isDeliveryMessage, type DeliveryMessage } from "./messages";
import { deliveryHeaders, hmacKey, signatureHeader } from "./signing";
import { resolvedAddressProblem, urlPolicy, webhookUrlProblem } from "./url-policy";

/**
 * Queue consumer: signs and POSTs each (event, endpoint) message, records the attempt, and retries failures with
 * backoff. Retries exhausted → the queue moves the message to the dead-letter queue, whose consumer records the
 * final failure. Acks only after the outcome is written, so a crash redelivers rather than loses.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  if (batch.queue === WEBHOOK_DLQ || batch.queue.endsWith("-dlq")) return handleDeadLetters(batch, env);
  return deliverBatch(batch, env);
}

/** Workers allow 6 simultaneous outgoing connections per invocation; more would only queue inside the runtime. */
const CONCURRENCY = 6;

interface Prepared { keys: CryptoKey[]; row: EndpointRow }

export async function deliverBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const cfg = webhookConfig(env);
  const policy = urlPolicy(env);
  const messages = batch.messages.filter((m) => {
    if (isDeliveryMessage(m.body)) return true;
    m.ack(); // Not ours or from an incompatible version: retrying cannot help.
    return false;
  }) as Message<DeliveryMessage>[];
  if (!messages.length) return;

  const endpoints = await getEndpointsByIds(env.DB, [...new Set(messages.map((m) => m.body.endpointId))]);
  const delivered = await deliveredPairs(env.DB, messages.map((m) => m.body));
  const prepared = new Map<string, Promise<Prepared>>();
  const prepare = (row: EndpointRow) => {
    let p = prepared.get(row.id);
    if (!p) {
      if (!env.WEBHOOK_SECRET_KEY) throw new Error("WEBHOOK_SECRET_KEY is not configured");
      p = signingSecrets(env.WEBHOOK_SECRET_KEY, row).then(async (secrets) => ({ row, keys: await Promise.all(secrets.map(hmacKey)) }));
      prepared.set(row.id, p);
    }
    return p;
  };

  const outcomes: { message: Message<DeliveryMessage>; outcome: AttemptOutcome | null; retryAfter?: number }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const message = messages[next++]!;
      const m = message.body;
      const row = endpoints.get(m.endpointId);
      if (!row || delivered.has(`${m.endpointId} ${m.eventId}`)) {
        outcomes.push({ message, outcome: null }); // endpoint deleted, or already delivered
        continue;
      }
      const base = { endpointId: m.endpointId, eventId: m.eventId, eventType: m.eventType, userId: m.userId, attempts: message.attempts };
      if (row.disabled_at !== null) {
        outcomes.push({ message, outcome: { ...base, status: "failed", statusCode: null, error: "Endpoint disabled", durationMs: null, at: Date.now(), nextAttemptAt: null } });
        continue;
      }
      // Checked again at delivery: rows written before the policy, or a policy tightened since, never get a request.
      const refused = webhookUrlProblem(row.url, policy);
      if (refused) {
        outcomes.push({ message, outcome: { ...base, status: "failed", statusCode: null, error: `Not delivered: ${refused}`, durationMs: null, at: Date.now(), nextAttemptAt: null } });
        continue;
      }
      try {
        // And the addresses the name resolves to now (DNS may point a public name at a private address).
        const resolved = await resolvedAddressProblem(row.url, policy);
        if (resolved) {
          outcomes.push({ message, outcome: { ...base, status: "failed", statusCode: null, error: `Not delivered: ${resolved}`, durationMs: null, at: Date.now(), nextAttemptAt: null } });
          continue;
        }
        const result = await attempt(env, cfg, await prepare(row), m);
        outcomes.push({ message, outcome: { ...base, ...result.outcome }, retryAfter: result.retryAfter });
      } catch (err) {
        // Configuration or storage trouble on our side: retry, but do not count it against the receiver.
        outcomes.push({ message, outcome: { ...base, status: "pending", statusCode: null,
          error: `Internal: ${err instanceof Error ? err.message : String(err)}`, durationMs: null, at: Date.now(), nextAttemptAt: null } });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, messages.length) }, worker));

  // Decide retries before writing, so the log shows when the next attempt is due.
  const retries = new Map<Message<DeliveryMessage>, number>();
  for (const o of outcomes) {
    if (o.outcome?.status === "pending") {
      const delay = retryDelaySeconds(cfg, o.message.attempts, o.retryAfter);
      retries.set(o.message, delay);
      o.outcome.nextAttemptAt = o.outcome.at + delay * 1000;
    }
  }
  const statements = outcomes.flatMap((o) => (o.outcome ? [recordAttempt(env.DB, o.outcome)] : []));
  statements.push(...endpointHealthUpdates(env.DB, cfg, outcomes.map((o) => o.outcome)));
  // Cheap amortised retention instead of a cron: about one batch in a hundred prunes old rows.
  if (Math.random() < 0.01) statements.push(...pruneStatements(env.DB, Date.now()));
  if (statements.length) await env.DB.batch(statements);

  for (const o of outcomes) {
    const delay = retries.get(o.message);
    if (delay === undefined) o.message.ack();
    else o.message.retry({ delaySeconds: delay });
  }
}

async function attempt(env: Env, cfg: WebhookConfig, ep: Prepared, m: DeliveryMessage) {
  const body = m.body ?? (await env.DB.prepare(`SELECT body FROM webhook_payloads WHERE event_id = ?`).bind(m.eventId).first<string>("body"));
  if (body === null) return { outcome: { status: "failed" as const, statusCode: null, error: "Payload expired", durationMs: null, at: Date.now(), nextAttemptAt: null } };
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = deliveryHeaders(m.eventId, timestamp, await signatureHeader(ep.keys, m.eventId, timestamp, body));
  const started = Date.now();
  try {
    const res = await fetch(ep.row.url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(cfg.timeoutMs) });
    // Drain so the connection can be reused; the receiver's body is not kept.
    await res.body?.cancel();
    const durationMs = Date.now() - started;
    if (res.status >= 200 && res.status < 300) {
      return { outcome: { status: "success" as const, statusCode: res.status, error: null, durationMs, at: Date.now(), nextAttemptAt: null } };
    }
    return {
      outcome: { status: "pending" as const, statusCode: res.status, error: `HTTP ${res.status}`, durationMs, at: Date.now(), nextAttemptAt: null },
      retryAfter: parseRetryAfter(res.headers.get("Retry-After")),
    };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    const error = timedOut ? `Timed out after ${cfg.timeoutMs} ms` : `Network error: ${err instanceof Error ? err.message : String(err)}`;
    return { outcome: { status: "pending" as const, statusCode: null, error, durationMs: Date.now() - started, at: Date.now(), nextAttemptAt: null } };
  }
}

const parseRetryAfter = (value: string | null): number | undefined => {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
};

/**
 * One success resets an endpoint; failures accumulate, and an endpoint that has failed `disableAfterFailures`
 * times in a row over at least `disableAfterMs` is disabled (the receiver is gone, not briefly down).
 */
function endpointHealthUpdates(db: D1Database, cfg: WebhookConfig, outcomes: (AttemptOutcome | null)[]): D1PreparedStatement[] {
  const per = new Map<string, { ok: number; failed: number; at: number }>();
  for (const o of outcomes) {
    if (!o || o.error === "Endpoint disabled" || o.error?.startsWith("Internal:")) continue;
    const s = per.get(o.endpointId) ?? { ok: 0, failed: 0, at: o.at };
    if (o.status === "success") s.ok++; else s.failed++;
    s.at = Math.max(s.at, o.at);
    per.set(o.endpointId, s);
  }
  const out: D1PreparedStatement[] = [];
  for (const [id, s] of per) {
    if (s.ok) {
      out.push(db.prepare(`UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL, last_success_at = ? WHERE id = ?`).bind(s.at, id));
      continue;
    }
    out.push(db.prepare(
      `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + ?, failing_since = COALESCE(failing_since, ?) WHERE id = ?`,
    ).bind(s.failed, s.at, id));
    out.push(db.prepare(
      `UPDATE webhook_endpoints SET disabled_at = ?1, disabled_reason = 'Disabled after ' || consecutive_failures || ' consecutive failed deliveries'
       WHERE id = ?2 AND disabled_at IS NULL AND consecutive_failures >= ?3 AND failing_since <= ?1 - ?4`,
    ).bind(s.at, id, cfg.disableAfterFailures, cfg.disableAfterMs));
  }
  return out;
}

/** Dead letters: retries are exhausted; record the final failure and let them go. */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const now = Date.now();
  const valid = batch.messages.filter((m) => isDeliveryMessage(m.body)) as Message<DeliveryMessage>[];
  if (valid.length) {
    // Deliveries of deleted endpoints would violate the foreign key; skip them.
    const endpoints = await getEndpointsByIds(env.DB, [...new Set(valid.map((m) => m.body.endpointId))]);
    const statements = valid.filter((m) => endpoints.has(m.body.endpointId)).map((m) => recordDeadLetter(env.DB, m.body, now));
    if (statements.length) await env.DB.batch(statements);
  }
  batch.ackAll();
}
