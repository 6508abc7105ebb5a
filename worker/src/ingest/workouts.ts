/**
 * `data.workouts[]` → NormalizedWorkout (+ statistic-derived samples), reference §6.4 / §8.5.
 *
 * Differences from the reference, all deliberate:
 * - statistics are converted to canonical units by the unit they carry (iOS stride length in m → cm, km → m,
 *   kJ → kcal); the reference stores them unconverted into cm/percent series. Weather humidity labelled `%` is a
 *   0–1 fraction from HealthKit (0.66 → 66) but already a percentage from the reference's own sample (66 → 66):
 *   a value up to 1 is read as a fraction, a larger one as percent;
 * - a zero heart-rate (or other detail) statistic is stored as the reference stores it, not rejected: watches send
 *   `minHeartRate` 0 when they saw no beat;
 * - a known statistic with a non-numeric, non-finite, out-of-range value or an unfitting unit rejects the workout
 *   (like a bad record); unknown statistics are ignored without checks;
 * - `energy_burned` stays null when no energy statistic was sent (the reference stores 0, which its read API then
 *   shows as null anyway);
 * - a `duration` that cannot fit the workout window but does once read as milliseconds is read as milliseconds
 *   (Samsung sends ms; the reference only divides when the unit says `ms`), and a duration longer than the window
 *   is capped at the window.
 */
import { eventKey, sampleKey, type BatchContext } from "./context";
import { REASONS, idOf, isPlainObject, parseNumber, tidy } from "./primitives";
import { conversionFor } from "./records";
import { SERIES_TYPES, type SeriesTypeDef } from "./series-types";
import { unitTable, type Conversion } from "./units";
import { ID_FIELDS, LIMITS, tooLong } from "./limits";
import { checkLengths, checkWindow, fail, tooLongFailure, type Failure } from "./validate";
import { unifiedWorkoutType } from "./workout-types";
import type { NormalizedSample, NormalizedWorkout, WorkoutDetails } from "./types";

type Target =
  | { kind: "duration" }
  | { kind: "energy" }
  | { kind: "detail"; column: string; int?: boolean }
  | { kind: "series"; series: string };

interface StatDef {
  target: Target;
  /** Series whose unit table and bounds apply to the value. */
  unitsOf: string;
  defaultUnit?: string;
  pct?: number;
  /** `%` means a 0–1 fraction when the value is at most 1, else a percentage (weather humidity). */
  fractionOrPercent?: boolean;
  bounds?: readonly [number, number];
}

const detail = (column: string, unitsOf: string, extra: Partial<StatDef> & { int?: boolean } = {}): StatDef => ({
  target: { kind: "detail", column, ...(extra.int ? { int: true } : {}) },
  unitsOf,
  ...(extra.bounds ? { bounds: extra.bounds } : {}),
});
const series = (s: string, extra: Partial<StatDef> = {}): StatDef => ({ target: { kind: "series", series: s }, unitsOf: s, ...extra });
const energy: StatDef = { target: { kind: "energy" }, unitsOf: "energy" };

/** Workout-level strings besides the ids (limits.ts). */
const WORKOUT_FIELDS = [...ID_FIELDS, ["type", LIMITS.type], ["title", LIMITS.title], ["notes", LIMITS.notes]] as const;

const ELEVATION_GAIN: readonly [number, number] = [0, 30000];

/** Statistic `type` → handling (§8.5). Anything not listed is ignored. */
const STATS: ReadonlyMap<string, StatDef> = new Map<string, StatDef>([
  ["duration", { target: { kind: "duration" }, unitsOf: "duration" }],
  ["totalDuration", { target: { kind: "duration" }, unitsOf: "duration" }],
  ["activeEnergyBurned", energy],
  ["basalEnergyBurned", energy],
  ["calories", energy],
  ["totalCalories", energy],
  ["averageRunningStrideLength", series("running_stride_length", { defaultUnit: "m" })],
  ["averageVerticalOscillation", series("running_vertical_oscillation")],
  ["averageGroundContactTime", series("running_ground_contact_time")],
  ["averageMETs", series("average_met")],
  ["weatherTemperature", series("weather_temperature")],
  ["weatherHumidity", series("weather_humidity", { fractionOrPercent: true })],
  ["swimmingStrokeCount", series("swimming_stroke_count")],
  ["meanCadence", series("cadence")],
  ["maxCadence", series("cadence")],
  ["vo2Max", series("vo2_max")],
  ["totalEnergyBurned", series("energy")],
  ["totalDistance", series("distance_walking_running")],
  ["totalSteps", series("steps")],
  ["distance", detail("distance", "distance_other")],
  ["stepCount", detail("steps_count", "steps", { int: true })],
  ["minHeartRate", detail("heart_rate_min", "heart_rate")],
  ["averageHeartRate", detail("heart_rate_avg", "heart_rate")],
  ["meanHeartRate", detail("heart_rate_avg", "heart_rate")],
  ["maxHeartRate", detail("heart_rate_max", "heart_rate")],
  ["averageRunningPower", detail("average_watts", "power")],
  ["averageRunningSpeed", detail("average_speed", "speed")],
  ["averageSpeed", detail("average_speed", "speed")],
  ["meanSpeed", detail("average_speed", "speed")],
  ["maxSpeed", detail("max_speed", "speed")],
  ["elevationAscended", detail("total_elevation_gain", "elevation", { bounds: ELEVATION_GAIN })],
  ["altitudeGain", detail("total_elevation_gain", "elevation", { bounds: ELEVATION_GAIN })],
  ["maxAltitude", detail("elev_high", "elevation")],
  ["minAltitude", detail("elev_low", "elevation")],
]);

const DURATION_UNITS = new Map<string, number>([
  ["s", 1], ["sec", 1], ["seconds", 1], ["ms", 0.001], ["min", 60], ["minutes", 60], ["h", 3600], ["hr", 3600],
]);

interface StatResolved {
  def: StatDef;
  resolved: { entry: { pct?: number }; series: string; def: SeriesTypeDef; units: Map<string, Conversion> } | null;
}
const RESOLVED = new Map<string, StatResolved>();
for (const [name, def] of STATS) {
  if (def.target.kind === "duration") {
    RESOLVED.set(name, { def, resolved: null });
    continue;
  }
  const sdef = SERIES_TYPES[def.unitsOf];
  if (!sdef) throw new Error(`workouts: unknown series ${def.unitsOf}`);
  const entry = def.pct !== undefined ? { pct: def.pct } : {};
  RESOLVED.set(name, { def, resolved: { entry, series: def.unitsOf, def: sdef, units: unitTable(def.unitsOf, sdef.unit) } });
}

/** Every details column, null until a statistic fills it, so storage sees one stable shape. */
function emptyDetails(): WorkoutDetails {
  return {
    duration_seconds: null, energy_burned: null, distance: null, steps_count: null, heart_rate_min: null,
    heart_rate_avg: null, heart_rate_max: null, average_watts: null, max_watts: null, average_speed: null,
    max_speed: null, average_cadence: null, total_elevation_gain: null, elev_high: null, elev_low: null,
    moving_time_seconds: null,
  };
}

export interface WorkoutOutcome {
  workout: NormalizedWorkout;
  samples: NormalizedSample[];
}

// Shared, not allocated per item: a body of millions of non-objects must not churn the heap.
const NOT_A_WORKOUT = fail(REASONS.not_an_object, "workout must be an object");

export function normalizeWorkout(item: unknown, ctx: BatchContext): WorkoutOutcome | Failure {
  if (!isPlainObject(item)) return NOT_A_WORKOUT;
  const w = ctx.window;
  const bad = checkLengths(item, WORKOUT_FIELDS) ?? checkWindow(item, ctx.now, w);
  if (bad) return bad;
  const start = w.start;
  const end = w.end;
  const zoneOffset = w.zoneOffset;
  const src = ctx.sources.resolve(item.source);
  if ("reason" in src) return src;
  const values = item.values;
  if (values !== null && values !== undefined && !Array.isArray(values)) {
    return fail(REASONS.invalid_field, "values must be a list or null");
  }

  const details = emptyDetails();
  const samples: NormalizedSample[] = [];
  const externalId = idOf(item.id);
  let duration: number | null = null;
  let energyKcal: number | null = null;

  for (const stat of values ?? []) {
    if (!isPlainObject(stat) || typeof stat.type !== "string") continue;
    if (stat.type.length > LIMITS.type) return tooLongFailure("statistic type", LIMITS.type);
    if (tooLong(stat.unit, LIMITS.unit)) return tooLongFailure("statistic unit", LIMITS.unit);
    const r = RESOLVED.get(stat.type);
    if (r === undefined) continue;
    const num = parseNumber(stat.value, true); // the reference accepts JSON true/false as 1/0 here
    if (!num.ok) return fail(num.reason, `statistic ${stat.type}: value is not a finite number`);
    const rawUnit = typeof stat.unit === "string" && stat.unit !== "" ? stat.unit : null;
    if (stat.unit !== null && stat.unit !== undefined && typeof stat.unit !== "string") {
      return fail(REASONS.invalid_field, `statistic ${stat.type}: unit must be a string`);
    }

    if (r.resolved === null) {
      const f = DURATION_UNITS.get(rawUnit ?? "s");
      if (f === undefined) return fail(REASONS.unit_mismatch, `statistic ${stat.type}: unit does not fit a duration`);
      if (num.value < 0) return fail(REASONS.value_out_of_range, `statistic ${stat.type}: negative duration`);
      duration = num.value * f;
      continue;
    }
    const unit = rawUnit ?? r.def.defaultUnit ?? r.resolved.def.unit;
    const conv = conversionFor(r.resolved, unit, ctx.provider);
    if (conv === null) return fail(REASONS.unit_mismatch, `statistic ${stat.type}: unit does not fit`);
    const fraction = r.def.fractionOrPercent && unit === "%" && Math.abs(num.value) <= 1;
    const value = tidy(num.value * (fraction ? 100 : conv.factor) + conv.offset);
    const sdef = r.resolved.def;
    const t = r.def.target;
    const [min, max] = r.def.bounds ?? [sdef.min, sdef.max];
    const lowOk = r.def.bounds === undefined && sdef.gt0 && t.kind !== "detail" ? value > min : value >= min;
    if (!lowOk || value > max) {
      return fail(REASONS.value_out_of_range, `statistic ${stat.type}: value outside its physiological bounds`);
    }
    if (t.kind === "energy") energyKcal = (energyKcal ?? 0) + value;
    else if (t.kind === "detail") details[t.column] = t.int ? Math.trunc(value) : value;
    else if (t.kind === "series") {
      // Same series twice at the workout's end (meanCadence, maxCadence): the later one wins, as in the reference.
      const key = sampleKey(src.sourceKey, t.series, end);
      const s: NormalizedSample = {
        key, seriesType: t.series, seriesTypeId: sdef.id, recordedAt: end, endAt: null, value, unit: sdef.unit,
        sourceKey: src.sourceKey, source: src.source, externalId, zoneOffset, origin: "workout",
      };
      const at = samples.findIndex((x) => x.key === key);
      if (at >= 0) samples[at] = s;
      else samples.push(s);
    }
  }

  const windowSeconds = (end - start) / 1000;
  if (duration !== null && duration > windowSeconds + 60 && duration / 1000 <= windowSeconds + 60) {
    duration /= 1000; // milliseconds labelled as seconds (Samsung)
  }
  if (duration === null || duration > windowSeconds + 60) duration = windowSeconds;
  details.duration_seconds = Math.trunc(duration);
  details.energy_burned = energyKcal === null ? null : tidy(energyKcal);

  const rawType = typeof item.type === "string" ? item.type.trim() || null : null;
  return {
    workout: {
      key: eventKey(src.sourceKey, "workout", start, end),
      type: unifiedWorkoutType(item.type),
      rawType,
      startAt: start,
      endAt: end,
      sourceKey: src.sourceKey,
      source: src.source,
      externalId,
      parentId: idOf(item.parentId ?? item.parent_id),
      zoneOffset,
      details,
    },
    samples,
  };
}
