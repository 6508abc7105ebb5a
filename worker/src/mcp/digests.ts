/**
 * The aggregates the reference MCP server adds under `summary` (the-momentum/open-wearables mcp/app/tools), as plain
 * functions of the records a tool returns.
 */

const nums = (values: unknown[]) => values.filter((v): v is number => typeof v === "number");
const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
const round1 = (v: number) => Math.round(v * 10) / 10;

export function activityDigest(records: { steps: number | null; distance_meters: number | null; active_calories_kcal: number | null; total_calories_kcal: number | null; active_minutes: number | null }[]) {
  const steps = nums(records.map((r) => r.steps));
  const distance = nums(records.map((r) => r.distance_meters));
  const active = nums(records.map((r) => r.active_calories_kcal));
  const total = nums(records.map((r) => r.total_calories_kcal));
  const minutes = nums(records.map((r) => r.active_minutes));
  return {
    total_days: records.length,
    days_with_data: steps.length,
    total_steps: steps.length ? sum(steps) : null,
    avg_steps: steps.length ? Math.round(sum(steps) / steps.length) : null,
    total_distance_meters: distance.length ? round1(sum(distance)) : null,
    total_active_calories_kcal: active.length ? round1(sum(active)) : null,
    total_calories_kcal: total.length ? round1(sum(total)) : null,
    avg_active_minutes: minutes.length ? Math.round(sum(minutes) / minutes.length) : null,
  };
}

export function sleepDigest(records: { duration_minutes: number | null }[]) {
  const durations = nums(records.map((r) => r.duration_minutes));
  return {
    total_nights: records.length,
    nights_with_data: durations.length,
    avg_duration_minutes: durations.length ? Math.round(sum(durations) / durations.length) : null,
    min_duration_minutes: durations.length ? Math.min(...durations) : null,
    max_duration_minutes: durations.length ? Math.max(...durations) : null,
  };
}

export function workoutDigest(records: { type: unknown; duration_seconds: unknown; distance_meters: unknown; calories_kcal: unknown }[]) {
  const durations = nums(records.map((r) => r.duration_seconds));
  const distances = nums(records.map((r) => r.distance_meters));
  const calories = nums(records.map((r) => r.calories_kcal));
  const types: Record<string, number> = {};
  for (const r of records) types[String(r.type ?? "unknown")] = (types[String(r.type ?? "unknown")] ?? 0) + 1;
  return {
    total_workouts: records.length,
    workouts_with_distance: distances.length,
    total_duration_seconds: sum(durations),
    total_distance_meters: distances.length ? round1(sum(distances)) : null,
    total_calories_kcal: calories.length ? round1(sum(calories)) : null,
    avg_duration_seconds: durations.length ? Math.round(sum(durations) / durations.length) : null,
    workout_types: records.length ? types : null,
  };
}

export function timeseriesDigest(records: { type: unknown; value: unknown }[]) {
  const byType: Record<string, { count: number; avg: number | null; min: number; max: number; total: number }> = {};
  for (const r of records) {
    if (typeof r.value !== "number" || typeof r.type !== "string") continue;
    const b = (byType[r.type] ??= { count: 0, avg: null, min: r.value, max: r.value, total: 0 });
    b.count++;
    b.total += r.value;
    b.min = Math.min(b.min, r.value);
    b.max = Math.max(b.max, r.value);
  }
  return {
    total_samples: records.length,
    by_type: Object.fromEntries(Object.entries(byType).map(([type, b]) => [type, {
      count: b.count, avg: Math.round((b.total / b.count) * 100) / 100, min: b.min, max: b.max,
    }])),
  };
}
