import { SERIES_TYPES } from "../ingest";
import { isoZ } from "../lib/time";
import { comparePriority, loadSources, type SourceMetadata } from "./source-metadata";
import { DEFAULT_PRIORITIES, type Priorities } from "../control/priorities";
import { round3 } from "./timeseries";

/**
 * Daily summaries (reference §9.3). Days are local dates: timestamp + the sample's own zone offset. When several
 * sources report a day, the preferred source (provider, then device type, then model) gives that day's row, so a
 * phone and a watch never add up to twice the steps.
 */

const id = (code: string) => SERIES_TYPES[code]!.id;
// Local time in ms: the offset "+HH:MM" / "-HH:MM" applied in SQL so days group without reading every row out.
const LOCAL = (col: string) => `${col} + CASE WHEN zone_offset IS NULL OR length(zone_offset) < 6 THEN 0 ELSE
  CAST(substr(zone_offset, 1, 1) || '1' AS INTEGER) *
  (CAST(substr(zone_offset, 2, 2) AS INTEGER) * 60 + CAST(substr(zone_offset, 5, 2) AS INTEGER)) * 60000 END`;
const DAY = (col: string) => `date((${LOCAL(col)}) / 1000, 'unixepoch')`;
const DAY_MS = 86_400_000;
// Samples up to 14 h either side of a UTC day can belong to it in local time.
const MAX_OFFSET_MS = 14 * 3_600_000;

/** The local calendar day of an instant, by its `±HH:MM` offset (the SQL `DAY` above, in JavaScript). */
export function localDay(ms: number, zoneOffset: string | null): string {
  const m = zoneOffset && /^([+-])(\d{2}):?(\d{2})$/.exec(zoneOffset);
  const shift = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return new Date(ms + shift).toISOString().slice(0, 10);
}

const halfEven = (v: number) => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

// Heart-rate zones (reference summaries_service): fractions of max HR; max HR = 220 − age, 190 without a birth date
// (we store none, so always 190: light 95–119, moderate 120–144, vigorous 145–176 bpm by per-minute mean).
export const DEFAULT_MAX_HR = 190;
export function hrZones(maxHr = DEFAULT_MAX_HR) {
  return {
    lightMin: Math.trunc(maxHr * 0.5), lightMax: Math.trunc(maxHr * 0.63),
    moderateMax: Math.trunc(maxHr * 0.76), vigorousMax: Math.trunc(maxHr * 0.93),
  };
}
/** Floors from workout elevation when no flights were counted (reference: 3 m a floor). */
const METERS_PER_FLOOR = 3.0;

/** Days with one source need no ranking: callers pass `null` first and load the priorities only when asked. */
export const NEEDS_PRIORITIES = "needs_priorities" as const;
const contested = (byDay: Map<string, unknown[]>) => [...byDay.values()].some((rows) => rows.length > 1);

function pickPreferred<T extends { source: SourceMetadata }>(byDay: Map<string, T[]>, p: Priorities): T[] {
  return [...byDay.values()].map((rows) => rows.sort((a, b) => comparePriority(a.source, b.source, p))[0]!);
}

/** `dates`: first day inclusive, last day exclusive (YYYY-MM-DD). */
/** `p` null: answers NEEDS_PRIORITIES when a day has several sources (the caller then loads them and asks again). */
export function activitySummaries(sql: SqlStorage, fromDay: string, toDay: string, p: Priorities | null = DEFAULT_PRIORITIES) {
  const from = Date.parse(`${fromDay}T00:00:00Z`) - MAX_OFFSET_MS;
  const to = Date.parse(`${toDay}T00:00:00Z`) + MAX_OFFSET_MS;
  const series = ["steps", "energy", "basal_energy", "distance_walking_running", "flights_climbed", "heart_rate"].map(id);
  const rows = sql.exec<{ day: string; source_id: number; series_id: number; total: number; mean: number; hi: number; lo: number }>(
    `SELECT ${DAY("recorded_at")} AS day, source_id, series_id, SUM(value) AS total, AVG(value) AS mean, MAX(value) AS hi, MIN(value) AS lo
       FROM samples WHERE series_id IN (${series.join(",")}) AND recorded_at >= ? AND recorded_at < ?
      GROUP BY day, source_id, series_id`,
    from, to,
  ).toArray();
  // Minutes with ≥ 30 steps are active; the other tracked minutes are sedentary (reference rule).
  const minutes = sql.exec<{ day: string; source_id: number; active: number; tracked: number }>(
    `SELECT day, source_id, SUM(steps >= 30) AS active, COUNT(*) AS tracked FROM (
       SELECT ${DAY("recorded_at")} AS day, source_id, recorded_at / 60000 AS minute, SUM(value) AS steps
         FROM samples WHERE series_id = ? AND recorded_at >= ? AND recorded_at < ? GROUP BY day, source_id, minute)
     GROUP BY day, source_id`,
    id("steps"), from, to,
  ).toArray();
  // Minutes by mean heart rate per UTC minute, counted into zones (reference get_daily_intensity_minutes).
  const z = hrZones();
  const intensity = sql.exec<{ day: string; source_id: number; light: number; moderate: number; vigorous: number }>(
    `SELECT day, source_id, SUM(hr >= ? AND hr <= ?) AS light, SUM(hr > ? AND hr <= ?) AS moderate, SUM(hr > ? AND hr <= ?) AS vigorous
       FROM (SELECT ${DAY("recorded_at")} AS day, source_id, recorded_at / 60000 AS minute, AVG(value) AS hr
               FROM samples WHERE series_id = ? AND recorded_at >= ? AND recorded_at < ? GROUP BY day, source_id, minute)
      GROUP BY day, source_id`,
    z.lightMin, z.lightMax, z.lightMax, z.moderateMax, z.moderateMax, z.vigorousMax, id("heart_rate"), from, to,
  ).toArray();
  // Elevation gained in workouts, by the local day each workout ended (reference get_daily_workout_aggregates).
  const elevation = sql.exec<{ day: string; source_id: number; gain: number | null }>(
    `SELECT ${DAY("end_at")} AS day, source_id, SUM(json_extract(details, '$.total_elevation_gain')) AS gain
       FROM events WHERE category = 'workout' AND end_at >= ? AND end_at < ? GROUP BY day, source_id`,
    from, to,
  ).toArray();
  const sources = loadSources(sql);
  const perDaySource = new Map<string, Map<number, Record<number, (typeof rows)[number]>>>();
  for (const r of rows) {
    if (r.day < fromDay || r.day >= toDay) continue;
    const day = perDaySource.get(r.day) ?? new Map();
    perDaySource.set(r.day, day);
    day.set(r.source_id, { ...(day.get(r.source_id) ?? {}), [r.series_id]: r });
  }
  const byDay = new Map<string, { day: string; source: SourceMetadata; sourceId: number; m: Record<number, (typeof rows)[number]> }[]>();
  for (const [day, bySource] of perDaySource) {
    byDay.set(day, [...bySource].map(([sourceId, m]) => ({ day, sourceId, m, source: sources.get(sourceId)!.meta })));
  }
  if (p === null && contested(byDay)) return NEEDS_PRIORITIES;
  return pickPreferred(byDay, p ?? DEFAULT_PRIORITIES).sort((a, b) => a.day.localeCompare(b.day)).map(({ day, sourceId, m, source }) => {
    const sum = (code: string) => m[id(code)]?.total;
    const hr = m[id("heart_rate")];
    const mins = minutes.find((x) => x.day === day && x.source_id === sourceId);
    const active = sum("energy") ?? 0;
    const zones = intensity.find((x) => x.day === day && x.source_id === sourceId);
    const gain = elevation.find((x) => x.day === day && x.source_id === sourceId)?.gain ?? null;
    const flights = sum("flights_climbed");
    const floors = flights !== undefined ? Math.round(flights) : gain !== null && gain > 0 ? Math.trunc(gain / METERS_PER_FLOOR) : null;
    return {
      date: day,
      source,
      steps: Math.round(sum("steps") ?? 0),
      distance_meters: sum("distance_walking_running") === undefined ? null : round3(sum("distance_walking_running")!),
      floors_climbed: floors,
      elevation_meters: gain === null ? null : round3(gain),
      active_calories_kcal: round3(active),
      total_calories_kcal: round3(active + (sum("basal_energy") ?? 0)),
      active_minutes: mins ? mins.active : null,
      sedentary_minutes: mins ? mins.tracked - mins.active : null,
      intensity_minutes: zones ? { light: zones.light, moderate: zones.moderate, vigorous: zones.vigorous } : null,
      heart_rate: hr ? { avg_bpm: halfEven(hr.mean), max_bpm: Math.round(hr.hi), min_bpm: Math.round(hr.lo) } : null,
    };
  });
}

/** Sleep per wake-up (local end) date: main sessions summed, naps counted apart. */
export function sleepSummaries(sql: SqlStorage, fromDay: string, toDay: string, p: Priorities | null = DEFAULT_PRIORITIES) {
  const from = Date.parse(`${fromDay}T00:00:00Z`) - MAX_OFFSET_MS;
  const to = Date.parse(`${toDay}T00:00:00Z`) + MAX_OFFSET_MS;
  const rows = sql.exec<{ day: string; source_id: number; start_at: number; end_at: number; zone_offset: string | null; details: string }>(
    `SELECT ${DAY("end_at")} AS day, source_id, start_at, end_at, zone_offset, details FROM events
      WHERE category = 'sleep' AND end_at >= ? AND end_at < ? ORDER BY start_at`,
    from, to,
  ).toArray();
  const sources = loadSources(sql);
  const groups = new Map<string, Map<number, typeof rows>>();
  for (const r of rows) {
    if (r.day < fromDay || r.day >= toDay) continue;
    const day = groups.get(r.day) ?? new Map();
    groups.set(r.day, day);
    day.set(r.source_id, [...(day.get(r.source_id) ?? []), r]);
  }
  const byDay = new Map<string, { day: string; source: SourceMetadata; sessions: typeof rows }[]>();
  for (const [day, bySource] of groups) {
    byDay.set(day, [...bySource].map(([sourceId, sessions]) => ({ day, sessions, source: sources.get(sourceId)!.meta })));
  }
  if (p === null && contested(byDay)) return NEEDS_PRIORITIES;
  return pickPreferred(byDay, p ?? DEFAULT_PRIORITIES).sort((a, b) => a.day.localeCompare(b.day)).map(({ day, source, sessions }) => {
    const parsed = sessions.map((s) => ({ ...s, d: JSON.parse(s.details) as Record<string, number | boolean | null> }));
    const main = parsed.filter((s) => !s.d.is_nap);
    const naps = parsed.filter((s) => s.d.is_nap);
    const minutesOf = (s: (typeof parsed)[number]) =>
      typeof s.d.total_sleep_minutes === "number" ? s.d.total_sleep_minutes : Math.floor((s.end_at - s.start_at) / 60_000);
    const longest = [...main].sort((a, b) => (b.end_at - b.start_at) - (a.end_at - a.start_at))[0] ?? parsed[0]!;
    const mainMinutes = main.reduce((n, s) => n + minutesOf(s), 0);
    const napMinutes = naps.reduce((n, s) => n + minutesOf(s), 0);
    const sumOf = (k: string) => main.reduce((n, s) => n + (typeof s.d[k] === "number" ? (s.d[k] as number) : 0), 0);
    const weighted = main.filter((s) => typeof s.d.efficiency_percent === "number");
    const vitals = main.length ? sleepVitals(sql, Math.min(...main.map((s) => s.start_at)), Math.max(...main.map((s) => s.end_at))) : null;
    const weight = weighted.reduce((n, s) => n + (s.end_at - s.start_at), 0);
    return {
      date: day,
      source,
      start_time: isoZ(longest.start_at),
      end_time: isoZ(longest.end_at),
      zone_offset: longest.zone_offset,
      duration_minutes: mainMinutes,
      total_duration_minutes: mainMinutes + napMinutes,
      time_in_bed_minutes: sumOf("time_in_bed_minutes"),
      efficiency_percent: weight
        ? Math.round((weighted.reduce((n, s) => n + (s.d.efficiency_percent as number) * (s.end_at - s.start_at), 0) / weight) * 10) / 10
        : null,
      stages: {
        deep_minutes: sumOf("deep_minutes"), light_minutes: sumOf("light_minutes"),
        rem_minutes: sumOf("rem_minutes"), awake_minutes: sumOf("awake_minutes"),
      },
      interruptions_count: null,
      nap_count: naps.length,
      nap_duration_minutes: napMinutes,
      avg_heart_rate_bpm: vitals?.hr == null ? null : halfEven(vitals.hr),
      avg_hrv_sdnn_ms: vitals?.sdnn == null ? null : round3(vitals.sdnn),
      avg_hrv_rmssd_ms: vitals?.rmssd == null ? null : round3(vitals.rmssd),
      avg_respiratory_rate: vitals?.resp == null ? null : round3(vitals.resp),
      avg_spo2_percent: vitals?.spo2 == null ? null : round3(vitals.spo2),
      sessions: parsed.map((s) => ({
        start_time: isoZ(s.start_at), end_time: isoZ(s.end_at), zone_offset: s.zone_offset,
        duration_minutes: Math.floor((s.end_at - s.start_at) / 60_000), is_nap: Boolean(s.d.is_nap),
      })),
    };
  });
}

/**
 * Mean vitals over a night's main-sleep window [first start, last end), from every source (reference: the lateral
 * physiology subquery of get_sleep_summaries).
 */
function sleepVitals(sql: SqlStorage, start: number, end: number) {
  const [hr, sdnn, rmssd, resp, spo2] = ["heart_rate", "heart_rate_variability_sdnn", "heart_rate_variability_rmssd", "respiratory_rate", "oxygen_saturation"].map(id);
  return sql.exec<{ hr: number | null; sdnn: number | null; rmssd: number | null; resp: number | null; spo2: number | null }>(
    `SELECT AVG(CASE WHEN series_id = ? THEN value END) AS hr, AVG(CASE WHEN series_id = ? THEN value END) AS sdnn,
            AVG(CASE WHEN series_id = ? THEN value END) AS rmssd, AVG(CASE WHEN series_id = ? THEN value END) AS resp,
            AVG(CASE WHEN series_id = ? THEN value END) AS spo2
       FROM samples WHERE series_id IN (?, ?, ?, ?, ?) AND recorded_at >= ? AND recorded_at < ?`,
    hr, sdnn, rmssd, resp, spo2, hr, sdnn, rmssd, resp, spo2, start, end,
  ).one();
}

/** Body summary: slow-changing values (latest), averages over the period, recent vitals; null when nothing. */
export function bodySummary(sql: SqlStorage, now: number, periodDays: number, latestWindowHours: number) {
  const latest = (code: string, since = 0) =>
    sql.exec<{ value: number; recorded_at: number; source_id: number }>(
      `SELECT value, recorded_at, source_id FROM samples WHERE series_id = ? AND recorded_at <= ? AND recorded_at >= ?
        ORDER BY recorded_at DESC LIMIT 1`, id(code), now, since,
    ).toArray()[0];
  const average = (code: string) =>
    sql.exec<{ mean: number | null }>(
      `SELECT AVG(value) AS mean FROM samples WHERE series_id = ? AND recorded_at >= ? AND recorded_at < ?`,
      id(code), now - periodDays * DAY_MS, now,
    ).one().mean;
  const weight = latest("weight");
  const height = latest("height");
  const windowStart = now - latestWindowHours * 3_600_000;
  const temp = latest("body_temperature", windowStart);
  const skin = latest("skin_temperature", windowStart);
  const sys = latest("blood_pressure_systolic", windowStart);
  const dia = latest("blood_pressure_diastolic", windowStart);
  const slow = {
    weight_kg: weight?.value ?? null,
    height_cm: height?.value ?? null,
    body_fat_percent: latest("body_fat_percentage")?.value ?? null,
    muscle_mass_kg: latest("lean_body_mass")?.value ?? null,
    bmi: latest("body_mass_index")?.value ??
      (weight && height ? Math.round((weight.value / (height.value / 100) ** 2) * 10) / 10 : null),
    age: null,
  };
  const resting = average("resting_heart_rate");
  const sdnn = average("heart_rate_variability_sdnn");
  const rmssd = average("heart_rate_variability_rmssd");
  const bp = sys && dia && Math.abs(sys.recorded_at - dia.recorded_at) <= 5_000
    ? { avg_systolic_mmhg: sys.value, avg_diastolic_mmhg: dia.value, max_systolic_mmhg: null, max_diastolic_mmhg: null,
        min_systolic_mmhg: null, min_diastolic_mmhg: null, reading_count: 1 }
    : null;
  const any = [weight, height, temp, skin, sys].some(Boolean) || Object.values(slow).some((v) => v !== null) ||
    [resting, sdnn, rmssd].some((v) => v !== null);
  if (!any) return null;
  const sourceId = (weight ?? height ?? temp ?? sys)?.source_id;
  return {
    source: sourceId === undefined ? null : loadSources(sql).get(sourceId)?.meta ?? null,
    slow_changing: slow,
    averaged: {
      period_days: periodDays,
      resting_heart_rate_bpm: resting === null ? null : Math.round(resting),
      avg_hrv_sdnn_ms: sdnn === null ? null : Math.round(sdnn * 10) / 10,
      avg_hrv_rmssd_ms: rmssd === null ? null : Math.round(rmssd * 10) / 10,
      period_start: isoZ(now - periodDays * DAY_MS),
      period_end: isoZ(now),
    },
    latest: {
      body_temperature_celsius: temp?.value ?? null,
      body_temperature_measured_at: temp ? isoZ(temp.recorded_at) : null,
      skin_temperature_celsius: skin?.value ?? null,
      skin_temperature_measured_at: skin ? isoZ(skin.recorded_at) : null,
      blood_pressure: bp,
      blood_pressure_measured_at: bp && sys ? isoZ(sys.recorded_at) : null,
    },
  };
}
