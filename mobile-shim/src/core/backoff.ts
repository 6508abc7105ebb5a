/** Retry timing for 408/429/5xx/transport failures: exponential with full jitter, never sooner than Retry-After. */
export interface BackoffPolicy { baseMs: number; maxMs: number; maxAttemptsPerPass: number }
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, maxAttemptsPerPass: 5 };

/** `attempt` starts at 1. `random` in [0,1) is injected so tests are deterministic. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, retryAfterMs: number | null, random: () => number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 20));
  const jittered = Math.floor(cap / 2 + random() * (cap / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Retry-After as delta-seconds or HTTP-date; null when absent or unparseable. Capped at one hour. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, 3_600_000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), 3_600_000);
}

export type Outcome = "success" | "unauthorized" | "retry" | "reject" | "tooLarge";

/** One place that classifies upload statuses (SDK reference §9.2). */
export function classifyStatus(status: number): Outcome {
  if (status >= 200 && status < 300) return "success";
  if (status === 401) return "unauthorized";
  if (status === 413) return "tooLarge";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "reject";
}
