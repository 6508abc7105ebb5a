import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { requireApiKey } from "../../auth/middleware";
import { HttpError } from "../../http/errors";
import { API_KEY_SECURITY } from "../../http/router";
import { QueryTime } from "../../http/query-time";
import { findUser } from "../../control/users";
import { userDataStub } from "../../data/user-data";

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

/** The user's data object, or null for an unknown user (reads then return empty data without creating one). */
export async function store(c: Context<AppEnv>, userId: string) {
  return (await findUser(c.env.DB, userId)) ? userDataStub(c.env, userId) : null;
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

/** The caller's organization (the lead's organizations land on main; until then every caller is `org_default`). */
export const orgOf = (c: Context<AppEnv>): string => (c.get("auth") as { orgId?: string } | undefined)?.orgId ?? "org_default";
