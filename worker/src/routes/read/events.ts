import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { HttpError } from "../../http/errors";
import { errors, json, newRouter } from "../../http/router";
import { rangeEnd } from "../../http/query-time";
import type { EventCategory, listEvents } from "../../data/events";
import { loadPriorities } from "../../control/priorities";
import { Cursor, EventParams, Limit, Page, Params, RANGE_RULE, DateRange, base, checkOrder, emptyPage, orgOf, store } from "./shared";

/** Workouts, sleep sessions and menstrual cycles (reference §9.2): newest first, keyset pages both ways. */

const EventsQuery = DateRange.extend({
  record_type: z.string().max(64).optional().openapi({ description: "Case-insensitive substring of the workout type." }),
  cursor: Cursor,
  limit: Limit(100, 50),
});
const SleepQuery = EventsQuery.omit({ record_type: true }).extend({
  filter_by_priority: z.enum(["true", "false"]).default("false").transform((v) => v === "true").openapi({
    type: "boolean", description: "Only sessions from the preferred source of each night (source priorities).",
  }),
});

type Q = { start_date: number; end_date: number; cursor?: string; limit: number; record_type?: string; filter_by_priority?: boolean };

async function eventPage(c: Context<AppEnv>, userId: string, category: EventCategory, q: Q) {
  checkOrder(q.start_date, q.end_date, ["start_date", "end_date"]);
  const end = rangeEnd(q.end_date);
  const data = await store(c, userId);
  if (!data) return emptyPage(q.start_date, end);
  const result = (await data.events(category, {
    start: q.start_date, end, cursor: q.cursor ?? null, limit: q.limit, recordType: q.record_type,
    preferredOnly: q.filter_by_priority ? await loadPriorities(c.var.services.db, orgOf(c)) : null,
  })) as ReturnType<typeof listEvents>;
  if (!result.ok) throw new HttpError(400, result.detail);
  return result.page;
}

async function deleteOne(c: Context<AppEnv>, params: { user_id: string; id: string }, category: EventCategory, notFound: string) {
  const data = await store(c, params.user_id);
  if (!data || !(await data.deleteEvent(category, params.id))) throw new HttpError(404, notFound);
}

const list = (path: string, operationId: string, summary: string, category: EventCategory, query: typeof EventsQuery | typeof SleepQuery | ReturnType<typeof EventsQuery.omit>) =>
  createRoute({
    ...base, method: "get", path, operationId, summary, description: RANGE_RULE,
    request: { params: Params, query }, responses: { 200: json(Page, `One page of ${category} events`), ...errors(400, 401) },
  });
const del = (path: string, operationId: string, summary: string) =>
  createRoute({
    ...base, method: "delete", path, operationId, summary,
    request: { params: EventParams }, responses: { 204: { description: "Deleted" }, ...errors(400, 401, 404) },
  });

export const eventRoutes = newRouter()
  .openapi(list("/users/{user_id}/events/workouts", "listWorkouts", "Workouts, newest first", "workout", EventsQuery),
    async (c) => c.json(await eventPage(c, c.req.valid("param").user_id, "workout", c.req.valid("query") as Q), 200))
  .openapi(list("/users/{user_id}/events/sleep", "listSleepSessions", "Sleep sessions, newest first", "sleep", SleepQuery),
    async (c) => c.json(await eventPage(c, c.req.valid("param").user_id, "sleep", c.req.valid("query") as Q), 200))
  .openapi(list("/users/{user_id}/events/menstrual-cycles", "listMenstrualCycles", "Menstrual cycles, newest first (none from the mobile SDKs yet)", "menstrual_cycle", EventsQuery.omit({ record_type: true })),
    async (c) => c.json(await eventPage(c, c.req.valid("param").user_id, "menstrual_cycle", c.req.valid("query") as Q), 200))
  .openapi(del("/users/{user_id}/events/workouts/{id}", "deleteWorkout", "Delete a workout"), async (c) => {
    await deleteOne(c, c.req.valid("param"), "workout", "Workout not found");
    return c.body(null, 204);
  })
  .openapi(del("/users/{user_id}/events/sleep/{id}", "deleteSleepSession", "Delete a sleep session (and the stages it was built from)"), async (c) => {
    await deleteOne(c, c.req.valid("param"), "sleep", "Sleep session not found");
    return c.body(null, 204);
  })
  .openapi(del("/users/{user_id}/events/menstrual-cycles/{id}", "deleteMenstrualCycle", "Delete a menstrual cycle"), async (c) => {
    await deleteOne(c, c.req.valid("param"), "menstrual_cycle", "Menstrual cycle not found");
    return c.body(null, 204);
  });
