import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { orgOf, requireApiKey } from "../auth/middleware";
import { HttpError } from "../http/errors";
import { API_KEY_SECURITY, errors, json, newRouter } from "../http/router";
import { DAY_MS, QueryTime, dayOf } from "../http/query-time";
import { RESOLUTIONS, seriesIdOf, type Resolution, type readTimeseries } from "../data/timeseries";
import type { EventCategory, listEvents } from "../data/events";
import { decodeCursor } from "../data/cursor";
import { DATA_SOURCES_DEFAULT_LIMIT, DATA_SOURCES_MAX_LIMIT } from "../data/source-metadata";

/** The read API for customer backends (reference §9), with an API key. */

const Params = z.object({ user_id: z.uuid({ error: "Input should be a valid UUID" }).openapi({ param: { name: "user_id", in: "path" } }) });
const EventParams = Params.extend({ id: z.uuid({ error: "Input should be a valid UUID" }).openapi({ param: { name: "id", in: "path" } }) });
const Page = z.object({
  data: z.array(z.record(z.string(), z.unknown())),
  pagination: z.object({ next_cursor: z.string().nullable(), previous_cursor: z.string().nullable(), has_more: z.boolean(), total_count: z.number().int().nullable() }),
  metadata: z.object({ resolution: z.string().nullable(), sample_count: z.number().int(), start_time: z.string().nullable(), end_time: z.string().nullable() }),
}).openapi("Page");

const TimeseriesQuery = z.object({
  start_time: QueryTime,
  end_time: QueryTime,
  types: z.union([z.string(), z.array(z.string())]).optional().openapi({ description: "Repeatable: types=heart_rate&types=steps" }),
  resolution: z.enum(Object.keys(RESOLUTIONS) as [Resolution, ...Resolution[]]).default("raw"),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
});
const EventsQuery = z.object({
  start_date: QueryTime,
  end_date: QueryTime,
  record_type: z.string().max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const DaysQuery = z.object({
  start_date: QueryTime,
  end_date: QueryTime,
  cursor: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(400).default(50),
  sort_order: z.enum(["asc", "desc"]).default("asc"),
});
const BodyQuery = z.object({
  average_period: z.coerce.number().int().min(1).max(7).default(7),
  latest_window_hours: z.coerce.number().int().min(1).max(24).default(4),
});
const DataSourcesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(DATA_SOURCES_MAX_LIMIT).default(DATA_SOURCES_DEFAULT_LIMIT),
});
const LimitQuery = (max: number, dflt: number) => z.object({ limit: z.coerce.number().int().min(1).max(max).default(dflt) });

const base = { tags: ["Read API"], security: API_KEY_SECURITY, middleware: [requireApiKey] };
const emptyPage = (start: number | null, end: number | null, resolution: string | null = null) => ({
  data: [], pagination: { next_cursor: null, previous_cursor: null, has_more: false, total_count: 0 },
  metadata: { resolution, sample_count: 0, start_time: start === null ? null : new Date(start).toISOString(), end_time: end === null ? null : new Date(end).toISOString() },
});

/**
 * The user's data object, or null for a user missing from the caller's organization (reads then return empty data,
 * as the reference does for unknown users; another organization's user looks exactly the same). No D1 query: the
 * object knows its organization.
 */
function store(c: Context<AppEnv>, userId: string) {
  return c.var.services.users.open(userId, orgOf(c));
}

/** Day pages: cursor = the last date returned. */
function pageDays<T extends { date: string }>(rows: T[], q: z.infer<typeof DaysQuery>) {
  const ordered = q.sort_order === "desc" ? [...rows].reverse() : rows;
  const after = q.cursor ? ordered.filter((r) => (q.sort_order === "desc" ? r.date < q.cursor! : r.date > q.cursor!)) : ordered;
  const data = after.slice(0, q.limit);
  const hasMore = after.length > q.limit;
  return {
    data,
    pagination: { next_cursor: hasMore ? data[data.length - 1]!.date : null, previous_cursor: null, has_more: hasMore, total_count: rows.length },
    metadata: { resolution: null, sample_count: data.length, start_time: new Date(q.start_date).toISOString(), end_time: new Date(q.end_date).toISOString() },
  };
}

type EventsQueryValues = z.infer<typeof EventsQuery>;

/** One page of workouts or sleep sessions (empty for an unknown user). */
async function eventPage(c: Context<AppEnv>, userId: string, category: EventCategory, q: Omit<EventsQueryValues, "record_type"> & { record_type?: string }) {
  const data = await store(c, userId.toLowerCase());
  if (!data) return emptyPage(q.start_date, q.end_date);
  const result = (await data.events(category, {
    start: q.start_date, end: q.end_date, cursor: q.cursor ?? null, limit: q.limit, recordType: q.record_type,
  })) as ReturnType<typeof listEvents>;
  if (!result.ok) throw new HttpError(400, result.detail);
  return result.page;
}

async function deleteOne(c: Context<AppEnv>, params: { user_id: string; id: string }, category: EventCategory, notFound: string) {
  const data = await store(c, params.user_id.toLowerCase());
  if (!data || !(await data.deleteEvent(category, params.id.toLowerCase()))) throw new HttpError(404, notFound);
}

/** Daily activity or sleep rows for the query's days, paged by date. */
async function daySummaries(c: Context<AppEnv>, userId: string, kind: "activity" | "sleep", q: z.infer<typeof DaysQuery>) {
  const data = await store(c, userId.toLowerCase());
  const [from, to] = [dayOf(q.start_date), dayOf(q.end_date)];
  const rows: { date: string }[] = data ? (kind === "activity" ? await data.activity(from, to) : await data.sleep(from, to)) : [];
  return pageDays(rows, q);
}

export const readRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/timeseries", summary: "Time series, raw or downsampled",
      description: "`resolution` really downsamples: each bucket is the series' sum (steps, energy…), max, or mean, with `sample_count`, `min` and `max`.",
      request: { params: Params, query: TimeseriesQuery }, responses: { 200: json(Page), ...errors(400, 401) } }),
    async (c) => {
      const q = c.req.valid("query");
      const userId = c.req.valid("param").user_id.toLowerCase();
      const codes = q.types === undefined ? [] : (Array.isArray(q.types) ? q.types : [q.types]).flatMap((t) => t.split(",")).filter(Boolean);
      const seriesIds = codes.map((code) => {
        const id = seriesIdOf(code);
        if (id === undefined) throw new HttpError(400, `Invalid series type: '${code}'`);
        return id;
      });
      // A midnight end means the whole of that day (reference behaviour).
      const end = q.end_time % DAY_MS === 0 ? q.end_time + DAY_MS : q.end_time;
      const data = await store(c, userId);
      if (!data) return c.json(emptyPage(q.start_time, end, q.resolution), 200);
      const result = (await data.timeseries({
        start: q.start_time, end, seriesIds: seriesIds.length ? seriesIds : null, resolution: q.resolution,
        cursor: q.cursor ?? null, limit: q.limit,
      })) as ReturnType<typeof readTimeseries>;
      if (!result.ok) throw new HttpError(400, result.detail);
      return c.json(result.page, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/events/workouts", summary: "Workouts, newest first",
      request: { params: Params, query: EventsQuery }, responses: { 200: json(Page), ...errors(400, 401) } }),
    async (c) => c.json(await eventPage(c, c.req.valid("param").user_id, "workout", c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/events/sleep", summary: "Sleep sessions, newest first",
      request: { params: Params, query: EventsQuery.omit({ record_type: true }) }, responses: { 200: json(Page), ...errors(400, 401) } }),
    async (c) => c.json(await eventPage(c, c.req.valid("param").user_id, "sleep", c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/users/{user_id}/events/workouts/{id}", summary: "Delete a workout",
      request: { params: EventParams }, responses: { 204: { description: "Deleted" }, ...errors(400, 401, 404) } }),
    async (c) => {
      await deleteOne(c, c.req.valid("param"), "workout", "Workout not found");
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/users/{user_id}/events/sleep/{id}", summary: "Delete a sleep session (and the stages it was built from)",
      request: { params: EventParams }, responses: { 204: { description: "Deleted" }, ...errors(400, 401, 404) } }),
    async (c) => {
      await deleteOne(c, c.req.valid("param"), "sleep", "Sleep session not found");
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/summaries/activity", summary: "Daily activity (local days)",
      request: { params: Params, query: DaysQuery }, responses: { 200: json(Page), ...errors(400, 401) } }),
    async (c) => c.json(await daySummaries(c, c.req.valid("param").user_id, "activity", c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/summaries/sleep", summary: "Daily sleep (by local wake-up date)",
      request: { params: Params, query: DaysQuery }, responses: { 200: json(Page), ...errors(400, 401) } }),
    async (c) => c.json(await daySummaries(c, c.req.valid("param").user_id, "sleep", c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/summaries/body", summary: "Body composition and recent vitals (null when none)",
      request: { params: Params, query: BodyQuery }, responses: { 200: json(z.record(z.string(), z.unknown()).nullable()), ...errors(400, 401) } }),
    async (c) => {
      const q = c.req.valid("query");
      const data = await store(c, c.req.valid("param").user_id.toLowerCase());
      return c.json(data ? await data.body(q.average_period, q.latest_window_hours) : null, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/data-sources", summary: "Apps and devices the user's data came from",
      description: "`items`/`total` as in the reference; `data`/`pagination` (the same page) as in the other lists.",
      request: { params: Params, query: DataSourcesQuery },
      responses: { 200: json(z.object({ items: z.array(z.record(z.string(), z.unknown())), total: z.number().int(), data: z.array(z.record(z.string(), z.unknown())), pagination: Page.shape.pagination })), ...errors(400, 401) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id.toLowerCase();
      const q = c.req.valid("query");
      const afterId = q.cursor === undefined ? 0 : Number(decodeCursor(q.cursor, 1)?.[0] ?? NaN);
      if (!Number.isSafeInteger(afterId) || afterId < 0) throw new HttpError(400, "Invalid cursor");
      const data = await store(c, userId);
      const page = { afterId, limit: q.limit };
      const empty = { items: [], total: 0, data: [], pagination: { next_cursor: null, previous_cursor: null, has_more: false, total_count: 0 } };
      const out = data ? await data.dataSources(userId, page) : empty;
      return c.json(out, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/sync/runs", summary: "Uploaded batches, newest first",
      description: "Each run: counts, duplicates, a sample of rejections, duration, and `stuck_client_suspected` when a client keeps re-sending the same data.",
      request: { params: Params, query: LimitQuery(200, 20) }, responses: { 200: json(z.array(z.record(z.string(), z.unknown()))), ...errors(400, 401, 404) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id.toLowerCase();
      const data = await store(c, userId);
      if (!data) throw new HttpError(404, "User not found");
      return c.json(await data.syncRuns(userId, c.req.valid("query").limit), 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/sync/recent", summary: "Recent sync-status events, newest first",
      request: { params: Params, query: LimitQuery(200, 50) }, responses: { 200: json(z.array(z.record(z.string(), z.unknown()))), ...errors(400, 401, 404) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id.toLowerCase();
      const data = await store(c, userId);
      if (!data) throw new HttpError(404, "User not found");
      return c.json(await data.syncRecent(userId, c.req.valid("query").limit), 200);
    },
  );
