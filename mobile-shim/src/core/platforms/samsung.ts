import type { SamsungRawPoint } from "../../ports/raw-samples";
import { isoSeconds, stableId, zoneOffsetString, type PayloadItem, type PayloadSource } from "../payload";
import type { HealthDataType } from "../types";

/** Samsung Health mapping of the Android SDK (SDK reference §1.2.3, §2.3, §8), with its known fixes applied. */

export const SAMSUNG_TYPES: Partial<Record<HealthDataType, string>> = {
  steps: "STEPS", heartRate: "HEART_RATE", sleep: "SLEEP", workout: "EXERCISE", oxygenSaturation: "BLOOD_OXYGEN",
  bloodGlucose: "BLOOD_GLUCOSE", bloodPressure: "BLOOD_PRESSURE", bloodPressureSystolic: "BLOOD_PRESSURE",
  bloodPressureDiastolic: "BLOOD_PRESSURE", flightsClimbed: "FLOORS_CLIMBED", bodyTemperature: "BODY_TEMPERATURE",
  bodyMass: "BODY_COMPOSITION", bodyFatPercentage: "BODY_COMPOSITION", leanBodyMass: "BODY_COMPOSITION",
  height: "BODY_COMPOSITION", bmi: "BODY_COMPOSITION", activeEnergy: "ACTIVE_CALORIES",
  // The reference maps only `water`, which the Dart enum lacks; `dietaryWater` is what apps can ask for.
  dietaryWater: "WATER_INTAKE",
};

export function samsungReadKeys(types: readonly HealthDataType[]): string[] {
  return [...new Set(types.map((t) => SAMSUNG_TYPES[t]).filter((k): k is string => !!k))];
}

/** Samsung numbers arrive as Integer or Float (or strings); a strict cast once dropped whole batches. */
const num = (v: unknown): number | null => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};

/** Galaxy watches are often reported in group MOBILE; the model and name tell the truth (reference tests). */
export function samsungDeviceType(d: SamsungRawPoint["device"]): string | null {
  if (!d) return null;
  const name = (d.name ?? "").toLowerCase();
  const model = (d.model ?? "").toUpperCase();
  if (name.includes("watch") || model.startsWith("SM-L")) return "watch";
  if (name.includes("fit")) return "fitness_band";
  if (name.includes("ring") || model.startsWith("SM-Q")) return "ring";
  const group = (d.group ?? "").toUpperCase();
  if (group === "WATCH") return "watch";
  if (group === "BAND") return "fitness_band";
  if (group === "MOBILE") return "phone";
  if (group === "SCALE") return "scale";
  return null;
}

function source(p: SamsungRawPoint): PayloadSource {
  return {
    appId: p.appId ?? "com.sec.android.app.shealth", deviceId: p.device?.deviceId ?? null, deviceName: p.device?.name ?? null,
    deviceManufacturer: p.device?.manufacturer ?? null, deviceModel: p.device?.model ?? null,
    deviceType: samsungDeviceType(p.device), recordingMethod: null,
  };
}

const EXERCISE_TYPES: Record<string, string> = {
  BIKING: "CYCLING", CYCLING: "CYCLING", RUNNING: "RUNNING", WALKING: "WALKING", HIKING: "HIKING",
  SWIMMING: "SWIMMING_POOL", EXERCISE_BIKE: "CYCLING_STATIONARY", TREADMILL: "RUNNING_TREADMILL", YOGA: "YOGA",
  WEIGHT_MACHINE: "STRENGTH_TRAINING", ELLIPTICAL_TRAINER: "ELLIPTICAL", HIIT: "HIGH_INTENSITY_INTERVAL_TRAINING",
};

const BODY_COMPOSITION: [string, string, string, string, number][] = [
  // field, suffix, payload type, unit, scale
  ["weight", "weight", "WEIGHT", "kg", 1], ["height", "height", "HEIGHT", "m", 0.01], ["bodyFat", "bf", "BODY_FAT", "%", 1],
  ["bodyFatMass", "bfm", "BODY_FAT_MASS", "kg", 1], ["fatFreeMass", "ffm", "LEAN_BODY_MASS", "kg", 1],
  ["skeletalMuscleMass", "smm", "SKELETAL_MUSCLE_MASS", "kg", 1], ["bmi", "bmi", "BMI", "kg/m²", 1],
  ["basalMetabolicRate", "bmr", "BASAL_METABOLIC_RATE", "kcal/day", 1],
];

const SIMPLE: Record<string, [string, string, string, number]> = {
  HEART_RATE: ["HEART_RATE", "heartRate", "bpm", 1],
  BLOOD_OXYGEN: ["OXYGEN_SATURATION", "oxygenSaturation", "%", 1],
  BODY_TEMPERATURE: ["BODY_TEMPERATURE", "temperature", "°C", 1],
  FLOORS_CLIMBED: ["FLOORS_CLIMBED", "floor", "count", 1],
  WATER_INTAKE: ["HYDRATION", "amount", "mL", 1],
  BLOOD_GLUCOSE: ["BLOOD_GLUCOSE", "glucose", "mmol/L", 1 / 18.0182],
  STEPS: ["STEP_COUNT", "count", "count", 1],
  ACTIVE_CALORIES: ["ACTIVE_CALORIES_BURNED", "calories", "kcal", 1],
};

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function samsungToItems(p: SamsungRawPoint): PayloadItem[] {
  const src = source(p);
  const zoneOffset = zoneOffsetString(p.zoneOffsetSeconds);
  const base = { zoneOffset, source: src, startDate: isoSeconds(p.start), endDate: isoSeconds(p.end) };
  // Aggregates get a fresh random uid on every read; a content-derived id makes re-reads dedupable (§2.3 quirk).
  const id = p.isAggregate ? stableId("samsung", p.dataType, p.start, p.end, p.device?.deviceId ?? "") : p.uid;
  const simple = SIMPLE[p.dataType];
  if (simple) {
    const v = num(p.fields[simple[1]]);
    if (v === null) return [];
    const metadata = p.dataType === "BLOOD_GLUCOSE" ? pick(p.fields, ["mealStatus", "measurementType", "sampleSourceType"]) : null;
    return [{ kind: "records", item: { ...base, id, type: simple[0], value: simple[3] === 1 ? v : round3(v * simple[3]),
      unit: simple[2], parentId: null, metadata } }];
  }
  switch (p.dataType) {
    case "BLOOD_PRESSURE": {
      const parts: [string, string, string, string][] = [["systolic", "sys", "BLOOD_PRESSURE_SYSTOLIC", "mmHg"],
        ["diastolic", "dia", "BLOOD_PRESSURE_DIASTOLIC", "mmHg"], ["pulse", "pulse", "HEART_RATE", "bpm"]];
      return parts.flatMap(([field, suffix, type, unit]): PayloadItem[] => {
        const v = num(p.fields[field]);
        return v === null ? [] : [{ kind: "records", item: { ...base, id: `${id}-${suffix}`, type, value: v, unit, parentId: id, metadata: null } }];
      });
    }
    case "BODY_COMPOSITION":
      return BODY_COMPOSITION.flatMap(([field, suffix, type, unit, scale]): PayloadItem[] => {
        const v = num(p.fields[field]);
        return v === null ? [] : [{ kind: "records", item: { ...base, id: `${id}-${suffix}`, type, value: round3(v * scale), unit, parentId: id, metadata: null } }];
      });
    case "SLEEP": {
      const score = num(p.fields.sleepScore);
      const values = score === null ? null : [{ type: "sleepScore", value: score, unit: "score" }];
      const sessions = (p.fields.sessions as { start: number; end: number; stages?: { start: number; end: number; stage: string }[] }[]) ?? [];
      return sessions.flatMap((s, i): PayloadItem[] => {
        if (!s.stages?.length) {
          return [{ kind: "sleep", item: { ...base, id: `${id}-s${i}`, parentId: id, stage: "sleeping", startDate: isoSeconds(s.start),
            endDate: isoSeconds(s.end), values, metadata: null } }];
        }
        return s.stages.map((st, j): PayloadItem => ({ kind: "sleep", item: { ...base, id: `${id}-s${i}-${j}`, parentId: id,
          stage: ({ AWAKE: "awake", LIGHT: "light", DEEP: "deep", REM: "rem" } as Record<string, string>)[st.stage] ?? "unknown",
          startDate: isoSeconds(st.start), endDate: isoSeconds(st.end), values, metadata: null } }));
      });
    }
    case "EXERCISE": {
      const sessions = (p.fields.sessions as Record<string, unknown>[]) ?? [];
      return sessions.map((s, i): PayloadItem => {
        const values: { type: string; value: number; unit: string }[] = [];
        const stat = (key: string, type: string, unit: string) => { const v = num(s[key]); if (v !== null) values.push({ type, value: v, unit }); };
        stat("duration", "duration", "ms"); stat("calories", "calories", "kcal"); stat("distance", "distance", "m");
        stat("meanHeartRate", "averageHeartRate", "bpm"); stat("maxHeartRate", "maxHeartRate", "bpm");
        const raw = String(s.exerciseType ?? "OTHER").toUpperCase();
        return { kind: "workouts", item: { ...base, id: `${id}-s${i}`, parentId: id, type: EXERCISE_TYPES[raw] ?? "OTHER",
          startDate: isoSeconds(num(s.start) ?? p.start), endDate: isoSeconds(num(s.end) ?? p.end), title: null, notes: null,
          values, segments: null, laps: null, route: (s.route as unknown[]) ?? null, samples: (s.log as unknown[]) ?? null, metadata: null } };
      });
    }
    default:
      return [];
  }
}

function pick(fields: Record<string, unknown>, keys: string[]): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (fields[k] !== undefined && fields[k] !== null) out[k] = fields[k];
  return Object.keys(out).length ? out : null;
}
