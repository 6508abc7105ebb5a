import { isoZ } from "../lib/time";
import { cursorPage, decodePageCursor, keysetPage, keysetSql, type Direction } from "./cursor";
import { comparePriority, loadSources, type SourceMetadata } from "./source-metadata";
import type { Priorities } from "../control/priorities";
import { localDay } from "./summaries";
import { round3 } from "./timeseries";

/** Workout and sleep events (reference §9.2): newest first, cursor on (start, id). */

/** Menstrual cycles are a category no mobile SDK sends yet: the endpoints read and delete them like the others. */
export type EventCategory = "workout" | "sleep" | "menstrual_cycle";

export interface EventsQuery {
  start: number;
  end: number;
  cursor: string | null;
  limit: number;
  recordType?: string;
  /** Only events from the preferred source of each local day (sleep: `filter_by_priority`). */
  preferredOnly?: Priorities | null;
}

export type EventRow = {
  id: string;
  source_id: number;
  category: string;
  type: string | null;
  start_at: number;
  end_at: number;
  zone_offset: string | null;
  external_id: string | null;
  details: string;
};

const positive = (v: unknown) => (typeof v === "number" && v !== 0 ? round3(v) : null);
const roundHalfEven = (v: number) => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

function toWorkout(row: EventRow, source: SourceMetadata | null) {
  const d = JSON.parse(row.details) as Record<string, number | string | null>;
  const avgHr = typeof d.heart_rate_avg === "number" ? roundHalfEven(d.heart_rate_avg) : null;
  const duration = typeof d.duration_seconds === "number" ? Math.trunc(d.duration_seconds) : Math.trunc((row.end_at - row.start_at) / 1000);
  return {
    id: row.id,
    type: row.type ?? "unknown",
    name: null,
    start_time: isoZ(row.start_at),
    end_time: isoZ(row.end_at),
    zone_offset: row.zone_offset,
    duration_seconds: duration,
    source,
    calories_kcal: positive(d.energy_burned),
    distance_meters: positive(d.distance),
    avg_heart_rate_bpm: avgHr,
    max_heart_rate_bpm: typeof d.heart_rate_max === "number" ? Math.round(d.heart_rate_max) : null,
    avg_pace_sec_per_km: null,
    elevation_gain_meters: positive(d.total_elevation_gain),
    details: d,
  };
}

function toSleep(row: EventRow, source: SourceMetadata | null) {
  const d = JSON.parse(row.details) as {
    total_sleep_minutes?: number; time_in_bed_minutes?: number; efficiency_percent?: number | null; is_nap?: boolean;
    deep_minutes?: number; light_minutes?: number; rem_minutes?: number; awake_minutes?: number;
    hypnogram?: { stage: string; start: string; end: string }[];
  };
  return {
    id: row.id,
    start_time: isoZ(row.start_at),
    end_time: isoZ(row.end_at),
    zone_offset: row.zone_offset,
    source,
    duration_seconds: Math.trunc((row.end_at - row.start_at) / 1000),
    sleep_duration_seconds: typeof d.total_sleep_minutes === "number" ? d.total_sleep_minutes * 60 : null,
    efficiency_percent: d.efficiency_percent || null,
    stages: {
      deep_minutes: d.deep_minutes ?? 0, light_minutes: d.light_minutes ?? 0,
      rem_minutes: d.rem_minutes ?? 0, awake_minutes: d.awake_minutes ?? 0,
    },
    sleep_stage_intervals: d.hypnogram?.map((h) => ({ stage: h.stage, start_time: h.start, end_time: h.end })) ?? null,
    is_nap: d.is_nap ?? false,
    time_in_bed_minutes: d.time_in_bed_minutes ?? null,
  };
}

export function listEvents(sql: SqlStorage, category: EventCategory, q: EventsQuery) {
  let after: [number, string] | null = null;
  let dir: Direction | null = null;
  if (q.cursor) {
    const c = decodePageCursor(q.cursor, 2);
    if (!c || !/^-?\d+$/.test(c.fields[0]!)) return { ok: false as const, detail: "Invalid cursor" };
    after = [Number(c.fields[0]), c.fields[1]!];
    dir = c.dir;
  }
  const where = ["category = ?", "start_at >= ?", "end_at < ?"];
  const params: (string | number)[] = [category, q.start, q.end];
  if (q.recordType) {
    where.push("LOWER(COALESCE(type, 'unknown')) LIKE ? ESCAPE '\\'");
    params.push(`%${q.recordType.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const sources = loadSources(sql);
  if (q.preferredOnly) {
    where.push("id IN (SELECT value FROM json_each(?))");
    params.push(JSON.stringify(preferredIds(sql, where.slice(0, -1).join(" AND "), params, sources, q.preferredOnly)));
  }
  const filter = where.join(" AND ");
  const ks = keysetSql(["start_at", "id"], "DESC", dir);
  const rows = sql.exec<EventRow>(
    `SELECT * FROM events WHERE ${filter}${ks.cond ? ` AND ${ks.cond}` : ""} ORDER BY ${ks.orderBy} LIMIT ?`,
    ...params, ...(after ?? []), q.limit + 1,
  ).toArray();
  const total = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${filter}`, ...params).one().n;
  const page = keysetPage(rows, q.limit, dir, (r) => [r.start_at, r.id]);
  const shape = category === "sleep" ? toSleep : toWorkout;
  const data = page.rows.map((r) => shape(r, sources.get(r.source_id)?.meta ?? null));
  return cursorPage({ data, total, resolution: null, start: q.start, end: q.end, nextCursor: page.next, previousCursor: page.prev });
}

/** Ids of the events that come from the preferred source of their local end day (reference: the wake-up date). */
function preferredIds(sql: SqlStorage, filter: string, params: (string | number)[],
  sources: ReturnType<typeof loadSources>, p: Priorities): string[] {
  const rows = sql.exec<{ id: string; source_id: number; end_at: number; zone_offset: string | null }>(
    `SELECT id, source_id, end_at, zone_offset FROM events WHERE ${filter}`, ...params,
  ).toArray();
  const best = new Map<string, number>();
  for (const r of rows) {
    const day = localDay(r.end_at, r.zone_offset);
    const current = best.get(day);
    const meta = sources.get(r.source_id)?.meta;
    const currentMeta = current === undefined ? undefined : sources.get(current)?.meta;
    if (meta && (!currentMeta || comparePriority(meta, currentMeta, p) < 0)) best.set(day, r.source_id);
  }
  return rows.filter((r) => best.get(localDay(r.end_at, r.zone_offset)) === r.source_id).map((r) => r.id);
}

/** Deletes one event of the category; false when there is none with that id. */
export function deleteEvent(sql: SqlStorage, category: EventCategory, id: string): boolean {
  const row = sql.exec<{ start_at: number; end_at: number; source_id: number }>(
    `DELETE FROM events WHERE id = ? AND category = ? RETURNING start_at, end_at, source_id`, id, category,
  ).toArray()[0];
  if (!row) return false;
  // A deleted night must not come back when a later batch rebuilds sessions from its stages.
  if (category === "sleep") {
    sql.exec(`DELETE FROM sleep_stages WHERE source_id = ? AND start_at >= ? AND end_at <= ?`, row.source_id, row.start_at, row.end_at);
  }
  return true;
}
