import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { orgOf, requireApiKey } from "../../auth/middleware";
import { HttpError } from "../../http/errors";
import { API_KEY_SECURITY } from "../../http/router";
import { QueryTime } from "../../http/query-time";

/** What every read route shares: path parameters, the page envelope, query pieces, and the user's data object. */

const uuid = (name: string) =>
  z.uuid({ error: "Input should be a valid UUID" }).transform((s) => s.toLowerCase()).openapi({ param: { name, in: "path" }, type: "string", format: "uuid" });
export const Params = z.object({ user_id: uuid("user_id") });
export const EventParams = Params.extend({ id: uuid("id") });

export const Pagination = z.object({
  next_cursor: z.string().nullable(),
  previous_cursor: z.string().nullable(),
  has_more: z.boolean().openapi({ description: "More rows follow this page (`next_cursor` is set)." }),
  total_count: z.number().int().nullable(),
}).openapi("Pagination");
export const Metadata = z.object({
  resolution: z.string().nullable(),
  sample_count: z.number().int(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable().openapi({ description: "The exclusive end actually applied (a midnight end moved to the next midnight)." }),
}).openapi("PageMetadata");
export const Page = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  pagination: Pagination,
  metadata: Metadata,
}).openapi("Page");

export const RANGE_RULE =
  "Range ends: `start` inclusive, `end` exclusive; an end at exactly midnight UTC (a date alone such as `2026-11-01`, " +
  "or `…T00:00:00Z`) includes that whole day. Datetimes are ISO 8601 (no offset = UTC) or Unix seconds.";

/** A cursor from `next_cursor` or `previous_cursor`: opaque, bounded, base64url. */
export const Cursor = z.string().max(512).regex(/^[A-Za-z0-9_-]+$/, { error: "Invalid cursor" }).optional()
  .openapi({ description: "`next_cursor` or `previous_cursor` of an earlier page." });
export const Limit = (max: number, dflt: number) => z.coerce.number({ error: `limit: an integer from 1 to ${max}` })
  .int().min(1).max(max).default(dflt).openapi({ type: "integer", minimum: 1, maximum: max, default: dflt });

export const DateRange = z.object({ start_date: QueryTime, end_date: QueryTime });
export const TimeRange = z.object({ start_time: QueryTime, end_time: QueryTime });

export const base = { tags: ["Read API"], security: API_KEY_SECURITY, middleware: [requireApiKey] };

export const emptyPage = (start: number | null, end: number | null, resolution: string | null = null) => ({
  data: [], pagination: { next_cursor: null, previous_cursor: null, has_more: false, total_count: 0 },
  metadata: {
    resolution, sample_count: 0,
    start_time: start === null ? null : new Date(start).toISOString().replace(".000Z", "Z"),
    end_time: end === null ? null : new Date(end).toISOString().replace(".000Z", "Z"),
  },
});

/**
 * The user's data object, or null for a user missing from the caller's organization (reads then return empty data,
 * as the reference does for unknown users; another organization's user looks the same). No D1 query: the object
 * knows its organization.
 */
export function store(c: Context<AppEnv>, userId: string) {
  return c.var.services.users.open(userId, orgOf(c));
}

/** The user's data object; 404 for an unknown user. */
export async function existingStore(c: Context<AppEnv>, userId: string) {
  const data = await store(c, userId);
  if (!data) throw new HttpError(404, "User not found");
  return data;
}

/** start <= end, else a clear 400. */
export function checkOrder(start: number, end: number, names: [string, string]) {
  if (start > end) throw new HttpError(400, `${names[0]} must not be after ${names[1]}`);
}

export { orgOf };
