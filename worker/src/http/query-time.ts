import { z } from "@hono/zod-openapi";

/**
 * Query datetimes (reference §0.5): a number is Unix seconds, anything else ISO 8601 (a date alone is midnight
 * UTC, no offset means UTC). `nan`/`inf` are rejected rather than crashing as in the reference.
 */
export function parseQueryTime(value: string): number | null {
  const trimmed = value.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isFinite(ms) ? ms : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return null;
  const iso = trimmed.replace(" ", "T");
  const ms = Date.parse(/T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso) || !iso.includes("T") ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** A zod query parameter that parses to epoch ms with the reference's error message. */
export const QueryTime = z.string().transform((value, ctx) => {
  const ms = parseQueryTime(value);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: `Invalid datetime format: '${value}'. Expected ISO 8601 format or Unix timestamp.` });
    return z.NEVER;
  }
  return ms;
}).openapi({ type: "string", example: "2025-12-01T00:00:00Z" });

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
