import type { Env } from "../env";

/** Delivery policy. Defaults are production values; tests shrink them through optional env vars. */
export interface WebhookConfig {
  /** First retry delay; doubles per attempt (with jitter) up to `retryMaxSeconds`. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** Per-attempt request timeout. Receivers should answer fast and process asynchronously. */
  timeoutMs: number;
  /** Disable an endpoint once it has failed this many attempts in a row ... */
  disableAfterFailures: number;
  /** ... over at least this long without a single success. */
  disableAfterMs: number;
  /** How long a rotated-out secret keeps signing next to the new one (default). */
  rotationGraceSeconds: number;
  /** Per-isolate cache of the endpoint list used on the ingest path. */
  endpointCacheMs: number;
}

const num = (value: string | undefined, fallback: number) => {
  const n = value === undefined || value === "" ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

export function webhookConfig(env: Env): WebhookConfig {
  return {
    // 15 s doubling, capped at 6 h: with max_retries = 14 the last attempt is ~26 h after the first (Svix-like).
    retryBaseSeconds: num(env.WEBHOOK_RETRY_BASE_SECONDS, 15),
    retryMaxSeconds: num(env.WEBHOOK_RETRY_MAX_SECONDS, 6 * 3600),
    timeoutMs: num(env.WEBHOOK_TIMEOUT_MS, 15_000),
    disableAfterFailures: num(env.WEBHOOK_DISABLE_AFTER_FAILURES, 50),
    disableAfterMs: num(env.WEBHOOK_DISABLE_AFTER_SECONDS, 5 * 24 * 3600) * 1000,
    rotationGraceSeconds: num(env.WEBHOOK_ROTATION_GRACE_SECONDS, 24 * 3600),
    endpointCacheMs: num(env.WEBHOOK_ENDPOINT_CACHE_MS, 10_000),
  };
}

/** Queue names as in wrangler.toml; the consumer tells the dead-letter queue apart by name. */
export const WEBHOOK_QUEUE = "open-wearables-webhooks";
export const WEBHOOK_DLQ = "open-wearables-webhooks-dlq";

/** Queue limits: 128 KB per message, 100 messages / 256 KB per sendBatch. Keep headroom for the JSON wrapper. */
export const MAX_INLINE_BODY_BYTES = 100_000;
export const MAX_BATCH_MESSAGES = 100;
export const MAX_BATCH_BYTES = 240_000;

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries from many messages that
 * failed together spread out instead of hammering a recovering receiver at the same instant.
 */
export function retryDelaySeconds(cfg: WebhookConfig, attempt: number, retryAfterSeconds?: number, random = Math.random): number {
  const step = Math.min(cfg.retryMaxSeconds, cfg.retryBaseSeconds * 2 ** Math.max(0, attempt - 1));
  let delay = Math.round(step / 2 + random() * (step / 2));
  if (retryAfterSeconds !== undefined) delay = Math.max(delay, Math.min(retryAfterSeconds, cfg.retryMaxSeconds));
  // Queues accept at most 12 h (43200 s) per retry.
  return Math.min(delay, 43_200);
}
