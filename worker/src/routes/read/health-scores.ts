import { createRoute, z } from "@hono/zod-openapi";
import { errors, json, newRouter } from "../../http/router";
import { QueryTime, rangeEnd } from "../../http/query-time";
import { PROVIDERS } from "../../control/priorities";
import { Limit, Page, Params, RANGE_RULE, base, checkOrder, emptyPage, store } from "./shared";

/**
 * Health scores (reference /health-scores): provider scores (Oura, Whoop…) and the reference's internal sleep and
 * resilience scores. The mobile SDKs send no provider scores and we compute none yet, so pages are empty, in the
 * reference's shape (offset paging with a total).
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
  createRoute({ ...base, method: "get", path: "/users/{user_id}/health-scores", operationId: "listHealthScores", summary: "Health scores (none from mobile-SDK data yet)",
    description: RANGE_RULE, request: { params: Params, query: ScoresQuery }, responses: { 200: json(Page, "One page of scores"), ...errors(400, 401) } }),
  async (c) => {
    const q = c.req.valid("query");
    if (q.start_date !== undefined && q.end_date !== undefined) checkOrder(q.start_date, q.end_date, ["start_date", "end_date"]);
    await store(c, c.req.valid("param").user_id);
    return c.json(emptyPage(q.start_date ?? null, q.end_date === undefined ? null : rangeEnd(q.end_date)), 200);
  },
);
