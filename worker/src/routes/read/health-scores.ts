import { createRoute, z } from "@hono/zod-openapi";
import { errors, json, newRouter } from "../../http/router";
import { QueryTime, rangeEnd } from "../../http/query-time";
import { PROVIDERS } from "../../control/priorities";
import { Limit, Page, Params, RANGE_RULE, base, checkOrder, emptyPage, store } from "./shared";

/**
 * Health scores (reference /health-scores): the mobile SDKs send no provider scores (Oura, Whoop…), so the scores
 * are the reference's internal sleep score, computed from each stored main-sleep session (data/sleep-score.ts).
 * Resilience needs beat-to-beat intervals, which no SDK sends: not computed. Offset pages with a total, newest first.
 */

const CATEGORIES = ["sleep", "recovery", "readiness", "activity", "stress", "resilience", "body_battery", "strain"] as const;
const ScoresQuery = z.object({
  start_date: QueryTime.optional(),
  end_date: QueryTime.optional(),
  category: z.enum(CATEGORIES).optional(),
  provider: z.enum(PROVIDERS).optional(),
  limit: Limit(1000, 50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ type: "integer", minimum: 0, default: 0 }),
});

export const healthScoreRoutes = newRouter().openapi(
  createRoute({ ...base, method: "get", path: "/users/{user_id}/health-scores", operationId: "listHealthScores", summary: "Health scores: the internal sleep score of each night, newest first",
    description: RANGE_RULE, request: { params: Params, query: ScoresQuery }, responses: { 200: json(Page, "One page of scores"), ...errors(400, 401) } }),
  async (c) => {
    const q = c.req.valid("query");
    if (q.start_date !== undefined && q.end_date !== undefined) checkOrder(q.start_date, q.end_date, ["start_date", "end_date"]);
    const end = q.end_date === undefined ? null : rangeEnd(q.end_date);
    const empty = emptyPage(q.start_date ?? null, end);
    const data = await store(c, c.req.valid("param").user_id);
    // Only the internal provider's sleep scores exist; another category or provider filters to nothing.
    if (!data || (q.category && q.category !== "sleep") || (q.provider && q.provider !== "internal")) return c.json(empty, 200);
    const scores = await data.healthScores({ start: q.start_date ?? null, end, limit: q.limit, offset: q.offset });
    return c.json({
      data: scores.data,
      pagination: { next_cursor: null, previous_cursor: null, has_more: q.offset + scores.data.length < scores.total, total_count: scores.total },
      metadata: { ...empty.metadata, sample_count: scores.data.length },
    }, 200);
  },
);
