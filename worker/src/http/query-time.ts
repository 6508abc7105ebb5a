import { z } from "@hono/zod-openapi";

/**
 * Query datetimes (reference §0.5): a number is Unix seconds, anything else ISO 8601 (a date alone is midnight
 * UTC, no offset means UTC). `nan`/`inf` are rejected rather than crashing as in the reference.
 */
// Years 0001–9998: every date the API prints (and the day a midnight end adds) stays a valid ISO date.
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_370_764_800_000;
const inRange = (ms: number) => (Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS ? ms : null);

export function parseQueryTime(value: string): number | null {
  if (value.length > 64) return null;
  const trimmed = value.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    return inRange(Math.round(Number(trimmed) * 1000));
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return null;
  const iso = trimmed.replace(" ", "T");
  const ms = Date.parse(/T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso) || !iso.includes("T") ? iso : `${iso}Z`);
  return inRange(ms);
}

/** A zod query parameter that parses to epoch ms with the reference's error message. */
export const QueryTime = z.string().transform((value, ctx) => {
  const ms = parseQueryTime(value);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: `Invalid datetime format: '${value.slice(0, 64)}'. Expected ISO 8601 format or Unix timestamp (years 0001–9998).` });
    return z.NEVER;
  }
  return ms;
}).openapi({ type: "string", example: "2025-12-01T00:00:00Z" });

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The one rule for range ends, on every read endpoint: `start` is inclusive, `end` exclusive, and an end at exactly
 * midnight UTC (a date alone, `2026-11-01`, or `…T00:00:00Z`) includes that whole day — the reference's timeseries
 * rule, now also for events and summaries. Returns the exclusive end instant.
 */
export const rangeEnd = (end: number) => (end % DAY_MS === 0 ? end + DAY_MS : end);

/** Days a range covers, as [first day, day after the last) for the daily summaries. */
export const rangeDays = (start: number, end: number): [string, string] => [dayOf(start), dayOf(rangeEnd(end) - 1 + DAY_MS)];
