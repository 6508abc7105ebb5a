import { createRoute, z } from "@hono/zod-openapi";
import { HttpError } from "../../http/errors";
import { errors, json, newRouter } from "../../http/router";
import { rangeEnd } from "../../http/query-time";
import { SERIES_TYPES } from "../../ingest";
import { RESOLUTIONS, type Resolution, type readTimeseries } from "../../data/timeseries";
import { Cursor, Limit, Page, Params, RANGE_RULE, base, checkOrder, emptyPage, TimeRange, store } from "./shared";

const SERIES_NAMES = Object.keys(SERIES_TYPES).sort() as [string, ...string[]];
const SERIES_IDS = new Map(Object.entries(SERIES_TYPES).map(([code, def]) => [code, def.id]));
/** More distinct types than the vocabulary has is never a real query. */
const MAX_TYPES = 64;

const TimeseriesQuery = TimeRange.extend({
  types: z.union([z.string().max(4096), z.array(z.string().max(4096)).max(256)]).optional().openapi({
    description: `Series names, repeatable or comma-separated (\`types=heart_rate&types=steps\`); all when absent. One of: ${SERIES_NAMES.join(", ")}.`,
    type: "array", items: { type: "string", enum: SERIES_NAMES },
  }),
  resolution: z.enum(Object.keys(RESOLUTIONS) as [Resolution, ...Resolution[]]).default("raw").openapi({
    description: "`raw`, or buckets: each bucket is the series' sum (steps, energy…), max, or mean; a bucket of several samples adds `sample_count`, `min`, `max`.",
  }),
  cursor: Cursor,
  limit: Limit(10_000, 50),
});

/** The distinct series ids asked for (null = all); 400 for an unknown name or too many. */
export function parseTypes(types: string | string[] | undefined): number[] | null {
  if (types === undefined) return null;
  const names = new Set((Array.isArray(types) ? types : [types]).flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean));
  if (names.size > MAX_TYPES) throw new HttpError(400, `types: at most ${MAX_TYPES} distinct series`);
  const ids = [...names].map((name) => {
    const id = SERIES_IDS.get(name);
    if (id === undefined) throw new HttpError(400, `Invalid series type: '${name.slice(0, 64)}'`);
    return id;
  });
  return ids.length ? ids : null;
}

export const timeseriesRoutes = newRouter().openapi(
  createRoute({
    ...base, method: "get", path: "/users/{user_id}/timeseries", operationId: "getTimeseries", summary: "Time series, raw or downsampled",
    description: `${RANGE_RULE} Pages are keyset pages in time order; \`previous_cursor\` pages back.`,
    request: { params: Params, query: TimeseriesQuery }, responses: { 200: json(Page, "One page of samples"), ...errors(400, 401) },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const userId = c.req.valid("param").user_id;
    checkOrder(q.start_time, q.end_time, ["start_time", "end_time"]);
    const seriesIds = parseTypes(q.types);
    const end = rangeEnd(q.end_time);
    const data = await store(c, userId);
    if (!data) return c.json(emptyPage(q.start_time, end, q.resolution), 200);
    const result = (await data.timeseries({
      start: q.start_time, end, seriesIds, resolution: q.resolution, cursor: q.cursor ?? null, limit: q.limit,
    })) as ReturnType<typeof readTimeseries>;
    if (!result.ok) throw new HttpError(400, result.detail);
    return c.json(result.page, 200);
  },
);
