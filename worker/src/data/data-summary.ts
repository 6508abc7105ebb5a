import { SERIES_TYPES } from "../ingest";

/** Counts of a user's data by series, workout type and provider (reference GET /summaries/data). */

const CODE_BY_ID = new Map(Object.values(SERIES_TYPES).map((d) => [d.id, Object.keys(SERIES_TYPES).find((k) => SERIES_TYPES[k] === d)!]));

export function dataSummary(sql: SqlStorage, range: { start: number | null; end: number | null }) {
  const start = range.start ?? Number.MIN_SAFE_INTEGER;
  const end = range.end ?? Number.MAX_SAFE_INTEGER;
  const series = sql.exec<{ provider: string; series_id: number; n: number }>(
    `SELECT s.provider, x.series_id, COUNT(*) AS n FROM samples x JOIN sources s ON s.id = x.source_id
      WHERE x.recorded_at >= ? AND x.recorded_at < ? GROUP BY s.provider, x.series_id`, start, end,
  ).toArray();
  const events = sql.exec<{ provider: string; category: string; type: string | null; n: number }>(
    `SELECT s.provider, e.category, e.type, COUNT(*) AS n FROM events e JOIN sources s ON s.id = e.source_id
      WHERE e.start_at >= ? AND e.start_at < ? GROUP BY s.provider, e.category, e.type`, start, end,
  ).toArray();
  const byProvider = new Map<string, { provider: string; data_points: number; series_counts: Record<string, number>; workout_count: number; sleep_count: number }>();
  const entry = (provider: string) => {
    let e = byProvider.get(provider);
    if (!e) byProvider.set(provider, (e = { provider, data_points: 0, series_counts: {}, workout_count: 0, sleep_count: 0 }));
    return e;
  };
  const seriesTotals: Record<string, number> = {};
  const workoutTypes: Record<string, number> = {};
  for (const r of series) {
    const code = CODE_BY_ID.get(r.series_id) ?? `series_${r.series_id}`;
    const e = entry(r.provider);
    e.data_points += r.n;
    e.series_counts[code] = (e.series_counts[code] ?? 0) + r.n;
    seriesTotals[code] = (seriesTotals[code] ?? 0) + r.n;
  }
  let workouts = 0;
  let sleep = 0;
  for (const r of events) {
    const e = entry(r.provider);
    if (r.category === "workout") {
      e.workout_count += r.n;
      workouts += r.n;
      const type = r.type ?? "unknown";
      workoutTypes[type] = (workoutTypes[type] ?? 0) + r.n;
    } else if (r.category === "sleep") {
      e.sleep_count += r.n;
      sleep += r.n;
    }
  }
  return {
    total_data_points: series.reduce((n, r) => n + r.n, 0),
    total_workouts: workouts,
    total_sleep_events: sleep,
    series_type_counts: seriesTotals,
    workout_type_counts: workoutTypes,
    by_provider: [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider)),
    has_womens_health_data: events.some((r) => r.category === "menstrual_cycle"),
  };
}
