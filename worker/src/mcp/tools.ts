import type { Services } from "../env";
import { findUser, listUsers } from "../control/users";
import { DAY_MS, parseQueryTime, rangeDays, rangeEnd } from "../http/query-time";
import { loadPriorities, type Priorities } from "../control/priorities";
import { RESOLUTIONS, seriesIdOf, type Resolution, type readTimeseries } from "../data/timeseries";
import type { listEvents } from "../data/events";
import { NEEDS_PRIORITIES, type activitySummaries, type bodySummary, type sleepSummaries } from "../data/summaries";
import type { SourceMetadata } from "../data/source-metadata";
import { SERIES_TYPES } from "../ingest";
import { UNIFIED_WORKOUT_TYPES } from "../ingest/workout-types";
import { LIMITS, bounded } from "./bounds";
import { activityDigest, sleepDigest, timeseriesDigest, workoutDigest } from "./digests";

/**
 * The MCP tools' work, as plain functions of the caller's organization and the request's services. Every read goes
 * through the same user directory and Durable Object methods as the read API (routes/read.ts), with its tenant check:
 * a user of another organization is "not found", exactly like a missing one. Shapes follow the reference MCP server
 * (the-momentum/open-wearables `mcp/app/tools`), so prompts written for it work; every result is bounded in size.
 */

export interface ToolContext {
  orgId: string;
  services: Services;
}

/** A mistake in the tool's arguments (or an unknown user): answered as a tool error the model can act on. */
export class ToolError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** The user's object and name, in the caller's organization only. */
async function userOf(ctx: ToolContext, userId: string) {
  if (!UUID.test(userId)) throw new ToolError(`user_id must be a user's UUID (got '${clip(userId)}'). Call get_users to find it.`);
  const id = userId.toLowerCase();
  const [data, row] = await Promise.all([ctx.services.users.open(id, ctx.orgId), findUser(ctx.services.db, ctx.orgId, id)]);
  if (!data || !row) throw new ToolError(`User not found: ${id}. Call get_users to list the users you can access.`);
  return { data, user: { id, first_name: row.first_name, last_name: row.last_name } };
}

function time(name: string, value: string): number {
  const ms = parseQueryTime(value);
  if (ms === null) throw new ToolError(`Invalid ${name} '${clip(value)}': use YYYY-MM-DD or ISO 8601 (e.g. 2026-01-07T00:00:00Z).`);
  return ms;
}

/** A time range in ms; refused when reversed or longer than `maxDays`. */
function range(names: [string, string], values: [string, string], maxDays: number) {
  const [start, end] = [time(names[0], values[0]), time(names[1], values[1])];
  if (end < start) throw new ToolError(`${names[1]} (${values[1]}) is before ${names[0]} (${values[0]}).`);
  if (end - start > maxDays * DAY_MS) throw new ToolError(`The range is longer than ${maxDays} days: ask for a shorter period.`);
  return { start, end };
}

const provider = (source: SourceMetadata | null | undefined) => source?.provider ?? null;

type Stub = Awaited<ReturnType<typeof userOf>>["data"];

/**
 * Daily rows as the read API computes them (routes/read/summaries.ts): the days the range covers (a midnight end
 * includes that day), and the organization's source priorities loaded only when a day has several sources.
 */
async function days<K extends "activity" | "sleep">(ctx: ToolContext, data: Stub, kind: K, start: number, end: number) {
  type Rows = K extends "activity" ? ReturnType<typeof activitySummaries> : ReturnType<typeof sleepSummaries>;
  const [from, to] = rangeDays(start, end);
  const read = (p: Priorities | null) => (kind === "activity" ? data.activity(from, to, p) : data.sleep(from, to, p)) as Promise<Rows>;
  let rows = await read(null);
  if (rows === NEEDS_PRIORITIES) rows = await read(await loadPriorities(ctx.services.db, ctx.orgId));
  if (rows === NEEDS_PRIORITIES) throw new Error("summaries: priorities were given");
  return rows as Exclude<Rows, typeof NEEDS_PRIORITIES>;
}

export async function getUsers(ctx: ToolContext, args: { search?: string; limit?: number }) {
  const limit = Math.min(Math.max(Math.trunc(args.limit ?? 10), 1), LIMITS.users);
  const page = await listUsers(ctx.services.db, ctx.orgId, { page: 1, limit, sort_by: "created_at", sort_order: "desc", search: args.search?.slice(0, 200) || undefined });
  return bounded({
    users: page.items.map((u) => ({ id: u.id, first_name: u.first_name, last_name: u.last_name, email: u.email, last_synced_at: u.last_synced_at })),
    total: page.total,
  }, "users");
}

export async function getActivitySummary(ctx: ToolContext, args: { user_id: string; start_date: string; end_date: string }) {
  const { start, end } = range(["start_date", "end_date"], [args.start_date, args.end_date], LIMITS.summaryDays);
  const { data, user } = await userOf(ctx, args.user_id);
  const rows = await days(ctx, data, "activity", start, end);
  const records = rows.map((r) => ({ ...r, source: provider(r.source) }));
  return bounded({ user, period: { start: args.start_date, end: args.end_date }, records, summary: activityDigest(records) });
}

export async function getSleepSummary(ctx: ToolContext, args: { user_id: string; start_date: string; end_date: string }) {
  const { start, end } = range(["start_date", "end_date"], [args.start_date, args.end_date], LIMITS.summaryDays);
  const { data, user } = await userOf(ctx, args.user_id);
  const rows = await days(ctx, data, "sleep", start, end);
  const records = rows.map((r) => ({
    date: r.date, start_datetime: r.start_time, end_datetime: r.end_time, duration_minutes: r.duration_minutes,
    time_in_bed_minutes: r.time_in_bed_minutes, efficiency_percent: r.efficiency_percent, stages: r.stages,
    nap_count: r.nap_count, nap_duration_minutes: r.nap_duration_minutes, source: provider(r.source),
  }));
  return bounded({ user, period: { start: args.start_date, end: args.end_date }, records, summary: sleepDigest(records) });
}

export async function getWorkoutEvents(ctx: ToolContext, args: { user_id: string; start_date: string; end_date: string; workout_type?: string }) {
  const type = args.workout_type?.trim().toLowerCase() || undefined;
  if (type !== undefined && !UNIFIED_WORKOUT_TYPES.has(type)) {
    throw new ToolError(`Unknown workout_type '${clip(type)}'. Known types include: ${[...UNIFIED_WORKOUT_TYPES].sort().join(", ")}.`);
  }
  const { start, end } = range(["start_date", "end_date"], [args.start_date, args.end_date], LIMITS.summaryDays);
  const { data, user } = await userOf(ctx, args.user_id);
  const result = (await data.events("workout", { start, end: rangeEnd(end), cursor: null, limit: LIMITS.workouts, recordType: type })) as ReturnType<typeof listEvents>;
  if (!result.ok) throw new ToolError(result.detail);
  const records = (result.page.data as Record<string, unknown>[]).map((w) => ({
    id: w.id, type: w.type, start_datetime: w.start_time, end_datetime: w.end_time, duration_seconds: w.duration_seconds,
    distance_meters: w.distance_meters, calories_kcal: w.calories_kcal, avg_heart_rate_bpm: w.avg_heart_rate_bpm,
    max_heart_rate_bpm: w.max_heart_rate_bpm, avg_pace_sec_per_km: w.avg_pace_sec_per_km,
    elevation_gain_meters: w.elevation_gain_meters, source: provider(w.source as SourceMetadata | null),
  }));
  return bounded({
    user, period: { start: args.start_date, end: args.end_date }, workout_type: type ?? null, records,
    summary: workoutDigest(records as Parameters<typeof workoutDigest>[0]),
    total_matching: result.page.pagination.total_count, truncated: result.page.pagination.has_more,
  });
}

const COARSER: Resolution[] = ["raw", "1min", "5min", "15min", "1hour"];

/**
 * Samples or buckets of the requested series. When the requested resolution would return more than
 * `LIMITS.points` points, the next coarser one is used (raw → 1min → 5min → 15min → 1hour), so a week of heart rate
 * arrives as hourly means with min/max rather than 60,000 samples; the answer says which resolution it used.
 */
export async function getTimeseries(ctx: ToolContext, args: { user_id: string; start_time: string; end_time: string; types: string[]; resolution?: string }) {
  const requested = (args.resolution ?? "raw") as Resolution;
  if (!(requested in RESOLUTIONS)) throw new ToolError(`Invalid resolution '${clip(String(args.resolution))}': use one of ${COARSER.join(", ")}.`);
  if (!args.types.length) throw new ToolError("types must name at least one series type, e.g. [\"heart_rate\"].");
  if (args.types.length > LIMITS.seriesTypes) throw new ToolError(`At most ${LIMITS.seriesTypes} types per call.`);
  const seriesIds = args.types.map((code) => {
    const id = seriesIdOf(code);
    if (id === undefined) {
      throw new ToolError(`Invalid series type: '${clip(code)}'. Known types: ${Object.keys(SERIES_TYPES).slice(0, 80).join(", ")}.`);
    }
    return id;
  });
  const window = range(["start_time", "end_time"], [args.start_time, args.end_time], LIMITS.timeseriesDays);
  // A midnight end means the whole of that day, as in the read API.
  const end = rangeEnd(window.end);
  const { data, user } = await userOf(ctx, args.user_id);
  let page: Extract<ReturnType<typeof readTimeseries>, { ok: true }>["page"] | null = null;
  let used = requested;
  for (const resolution of COARSER.slice(COARSER.indexOf(requested))) {
    const result = (await data.timeseries({ start: window.start, end, seriesIds, resolution, cursor: null, limit: LIMITS.points })) as ReturnType<typeof readTimeseries>;
    if (!result.ok) throw new ToolError(result.detail);
    page = result.page;
    used = resolution;
    if (!page.pagination.has_more) break;
  }
  const records = (page!.data as Record<string, unknown>[]).map((s) => ({
    timestamp: s.timestamp, type: s.type, value: s.value, unit: s.unit,
    ...(s.sample_count === undefined ? {} : { sample_count: s.sample_count, min: s.min, max: s.max }),
    source: provider(s.source as SourceMetadata | null),
  }));
  return bounded({
    user,
    period: { start: args.start_time, end: args.end_time, resolution: used, requested_resolution: requested },
    records,
    summary: timeseriesDigest(records as Parameters<typeof timeseriesDigest>[0]),
    truncated: page!.pagination.has_more,
    ...(used !== requested ? { note: `Downsampled to ${used} so the answer stays small; ask for a shorter window for finer detail.` } : {}),
  });
}

export async function getBodySummary(ctx: ToolContext, args: { user_id: string; average_period?: number; latest_window_hours?: number }) {
  const period = args.average_period ?? 7;
  const window = args.latest_window_hours ?? 4;
  if (!Number.isInteger(period) || period < 1 || period > 7) throw new ToolError("average_period must be a whole number of days from 1 to 7.");
  if (!Number.isInteger(window) || window < 1 || window > 24) throw new ToolError("latest_window_hours must be a whole number from 1 to 24.");
  const { data, user } = await userOf(ctx, args.user_id);
  const body = (await data.body(period, window)) as ReturnType<typeof bodySummary>;
  return bounded({ user, body, ...(body === null ? { note: "No body measurements or vitals recorded." } : {}) });
}

export async function getSyncStatus(ctx: ToolContext, args: { user_id: string; limit?: number }) {
  const limit = Math.min(Math.max(Math.trunc(args.limit ?? 5), 1), LIMITS.syncRuns);
  const { data, user } = await userOf(ctx, args.user_id);
  const [sources, runs] = await Promise.all([data.dataSources(user.id, { afterId: 0, limit: LIMITS.sources }), data.syncRuns(user.id, limit)]);
  const records = (runs as Record<string, unknown>[]);
  return bounded({
    user,
    data_sources: sources.items,
    data_sources_total: sources.total,
    last_sync_at: (records[0]?.ended_at as string | undefined) ?? null,
    records,
  });
}
