import { isoZ } from "../lib/time";
import { cursorPage, decodeCursor, encodeCursor } from "./cursor";
import { loadSources, type SourceMetadata } from "./source-metadata";
import { round3 } from "./timeseries";

/** Workout and sleep events (reference §9.2): newest first, cursor on (start, id). */

export type EventCategory = "workout" | "sleep";

export interface EventsQuery {
  start: number;
  end: number;
  cursor: string | null;
  limit: number;
  recordType?: string;
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
  if (q.cursor) {
    const f = decodeCursor(q.cursor, 2);
    if (!f || !Number.isFinite(Number(f[0]))) return { ok: false as const, detail: `Invalid cursor format: '${q.cursor}'.` };
    after = [Number(f[0]), f[1]!];
  }
  const where = ["category = ?", "start_at >= ?", "end_at < ?"];
  const params: (string | number)[] = [category, q.start, q.end];
  if (q.recordType) {
    where.push("LOWER(COALESCE(type, 'unknown')) LIKE ? ESCAPE '\\'");
    params.push(`%${q.recordType.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const filter = where.join(" AND ");
  const page = after ? " AND (start_at, id) < (?, ?)" : "";
  const rows = sql.exec<EventRow>(
    `SELECT * FROM events WHERE ${filter}${page} ORDER BY start_at DESC, id DESC LIMIT ?`,
    ...params, ...(after ?? []), q.limit + 1,
  ).toArray();
  const total = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${filter}`, ...params).one().n;
  const hasMore = rows.length > q.limit;
  if (hasMore) rows.pop();
  const sources = loadSources(sql);
  const shape = category === "workout" ? toWorkout : toSleep;
  const data = rows.map((r) => shape(r, sources.get(r.source_id)?.meta ?? null));
  const last = rows[rows.length - 1];
  return cursorPage({
    data, total, resolution: null, start: q.start, end: q.end,
    nextCursor: hasMore && last ? encodeCursor(last.start_at, last.id) : null,
  });
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
