import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { HttpError } from "../../http/errors";
import { errors, json, newRouter } from "../../http/router";
import { QueryTime, rangeDays, rangeEnd } from "../../http/query-time";
import { decodePageCursor, pageCursor, type Direction } from "../../data/cursor";
import { loadPriorities, type Priorities } from "../../control/priorities";
import { NEEDS_PRIORITIES } from "../../data/summaries";
import { Cursor, Limit, Page, Params, RANGE_RULE, DateRange, base, checkOrder, emptyPage, orgOf, store } from "./shared";

/** Daily summaries (reference §9.3), one row per local day, paged by date both ways. */

const DaysQuery = DateRange.extend({
  cursor: Cursor,
  limit: Limit(400, 50),
  sort_order: z.enum(["asc", "desc"]).default("asc"),
});
const BodyQuery = z.object({
  average_period: z.coerce.number().int().min(1).max(7).default(7).openapi({ type: "integer", minimum: 1, maximum: 7, default: 7 }),
  latest_window_hours: z.coerce.number().int().min(1).max(24).default(4).openapi({ type: "integer", minimum: 1, maximum: 24, default: 4 }),
});
const DataQuery = z.object({ start_date: QueryTime.optional(), end_date: QueryTime.optional() });

type DaysQueryValues = z.infer<typeof DaysQuery>;

/** A date cursor: ours (date + direction), or a bare date as issued before cursors had directions. */
function dayCursor(cursor: string | undefined): { date: string; dir: Direction } | null {
  if (!cursor) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(cursor)) return { date: cursor, dir: "next" };
  const c = decodePageCursor(cursor, 1);
  if (!c || !/^\d{4}-\d{2}-\d{2}$/.test(c.fields[0]!)) throw new HttpError(400, "Invalid cursor");
  return { date: c.fields[0]!, dir: c.dir };
}

/** Day pages in `sort_order`; `next` reads on from the cursor's date, `prev` reads back to it. */
export function pageDays<T extends { date: string }>(rows: T[], q: DaysQueryValues, end: number) {
  const ordered = q.sort_order === "desc" ? [...rows].reverse() : rows;
  const c = dayCursor(q.cursor);
  const beyond = (d: string, pivot: string) => (q.sort_order === "desc" ? d < pivot : d > pivot);
  let data: T[];
  let next: string | null;
  let prev: string | null;
  if (!c) {
    data = ordered.slice(0, q.limit);
    next = ordered.length > q.limit ? pageCursor("next", [data[data.length - 1]!.date]) : null;
    prev = null;
  } else if (c.dir === "next") {
    const after = ordered.filter((r) => beyond(r.date, c.date));
    data = after.slice(0, q.limit);
    next = after.length > q.limit ? pageCursor("next", [data[data.length - 1]!.date]) : null;
    prev = data.length ? pageCursor("prev", [data[0]!.date]) : null;
  } else {
    const before = ordered.filter((r) => beyond(c.date, r.date));
    data = before.slice(Math.max(0, before.length - q.limit));
    prev = before.length > q.limit ? pageCursor("prev", [data[0]!.date]) : null;
    next = data.length ? pageCursor("next", [data[data.length - 1]!.date]) : null;
  }
  return {
    data,
    pagination: { next_cursor: next, previous_cursor: prev, has_more: next !== null, total_count: rows.length },
    metadata: { ...emptyPage(q.start_date, end).metadata, sample_count: data.length },
  };
}

async function daySummaries(c: Context<AppEnv>, userId: string, kind: "activity" | "sleep", q: DaysQueryValues) {
  checkOrder(q.start_date, q.end_date, ["start_date", "end_date"]);
  const data = await store(c, userId);
  const [from, to] = rangeDays(q.start_date, q.end_date);
  const end = rangeEnd(q.end_date);
  if (!data) return pageDays([], q, end);
  // Priorities only matter when a day has several sources: the object says so, then the (cached) ranking is read.
  const read = (p: Priorities | null) => (kind === "activity" ? data.activity(from, to, p) : data.sleep(from, to, p)) as Promise<{ date: string }[] | typeof NEEDS_PRIORITIES>;
  let rows = await read(null);
  if (rows === NEEDS_PRIORITIES) rows = await read(await loadPriorities(c.var.services.db, orgOf(c)));
  if (rows === NEEDS_PRIORITIES) throw new Error("summaries: priorities were given");
  return pageDays(rows, q, end);
}

const days = (path: string, operationId: string, summary: string, query: typeof DaysQuery | ReturnType<typeof DaysQuery.omit> = DaysQuery) =>
  createRoute({
    ...base, method: "get", path, operationId, summary,
    description: `${RANGE_RULE} A day is the sample's local date (its own zone offset); when several sources report a day, the source priorities pick one.`,
    request: { params: Params, query }, responses: { 200: json(Page, "One page of days"), ...errors(400, 401) },
  });

const DataSummary = z.object({
  user_id: z.string(),
  total_data_points: z.number().int(),
  total_workouts: z.number().int(),
  total_sleep_events: z.number().int(),
  series_type_counts: z.record(z.string(), z.number().int()),
  workout_type_counts: z.record(z.string(), z.number().int()),
  by_provider: z.array(z.object({
    provider: z.string(), data_points: z.number().int(), series_counts: z.record(z.string(), z.number().int()),
    workout_count: z.number().int(), sleep_count: z.number().int(),
  })),
  has_womens_health_data: z.boolean(),
}).openapi("UserDataSummary");

export const summaryRoutes = newRouter()
  .openapi(days("/users/{user_id}/summaries/activity", "getActivitySummaries", "Daily activity (local days)"),
    async (c) => c.json(await daySummaries(c, c.req.valid("param").user_id, "activity", c.req.valid("query") as DaysQueryValues), 200))
  .openapi(days("/users/{user_id}/summaries/sleep", "getSleepSummaries", "Daily sleep (by local wake-up date)"),
    async (c) => c.json(await daySummaries(c, c.req.valid("param").user_id, "sleep", c.req.valid("query") as DaysQueryValues), 200))
  .openapi(days("/users/{user_id}/summaries/recovery", "getRecoverySummaries", "Daily recovery (from recovery scores: none are computed from mobile-SDK data yet, so pages are empty)", DaysQuery.omit({ sort_order: true })),
    async (c) => {
      const q = c.req.valid("query");
      checkOrder(q.start_date, q.end_date, ["start_date", "end_date"]);
      return c.json(emptyPage(q.start_date, rangeEnd(q.end_date)), 200);
    })
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/summaries/body", operationId: "getBodySummary", summary: "Body composition and recent vitals (null when none)",
      request: { params: Params, query: BodyQuery }, responses: { 200: json(z.record(z.string(), z.unknown()).nullable(), "The body summary, or null"), ...errors(400, 401) } }),
    async (c) => {
      const q = c.req.valid("query");
      const data = await store(c, c.req.valid("param").user_id);
      return c.json(data ? await data.body(q.average_period, q.latest_window_hours) : null, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/summaries/data", operationId: "getDataSummary", summary: "Counts of the user's data by series, workout type and provider",
      description: "Optional `start_date`/`end_date` scope the counts (samples by time, events by start). " + RANGE_RULE,
      request: { params: Params, query: DataQuery }, responses: { 200: json(DataSummary, "Counts"), ...errors(400, 401) } }),
    async (c) => {
      const q = c.req.valid("query");
      const userId = c.req.valid("param").user_id;
      if (q.start_date !== undefined && q.end_date !== undefined) checkOrder(q.start_date, q.end_date, ["start_date", "end_date"]);
      const data = await store(c, userId);
      const range = { start: q.start_date ?? null, end: q.end_date === undefined ? null : rangeEnd(q.end_date) };
      const counts = data ? await data.dataSummary(range) : null;
      return c.json({
        user_id: userId, total_data_points: 0, total_workouts: 0, total_sleep_events: 0, series_type_counts: {},
        workout_type_counts: {}, by_provider: [], has_womens_health_data: false, ...counts,
      }, 200);
    },
  );
