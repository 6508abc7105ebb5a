import type { HCRawRecord } from "../../ports/raw-samples";
import { isoSeconds, zoneOffsetString, type PayloadItem, type PayloadSource } from "../payload";
import type { HealthDataType } from "../types";

/** Health Connect mapping of the Android SDK (SDK reference §1.2.3, §2.3). */

export const HC_TYPES: Partial<Record<HealthDataType, string>> = {
  steps: "Steps", heartRate: "HeartRate", restingHeartRate: "RestingHeartRate",
  heartRateVariabilitySDNN: "HeartRateVariabilityRmssd", oxygenSaturation: "OxygenSaturation",
  bloodPressure: "BloodPressure", bloodPressureSystolic: "BloodPressure", bloodPressureDiastolic: "BloodPressure",
  bloodGlucose: "BloodGlucose", activeEnergy: "ActiveCaloriesBurned", basalEnergy: "BasalMetabolicRate",
  bodyTemperature: "BodyTemperature", bodyMass: "Weight", height: "Height", bodyFatPercentage: "BodyFat",
  leanBodyMass: "LeanBodyMass", flightsClimbed: "FloorsClimbed", distanceWalkingRunning: "Distance",
  distanceCycling: "Distance", dietaryWater: "Hydration", vo2Max: "Vo2Max", respiratoryRate: "RespiratoryRate",
  workout: "ExerciseSession", sleep: "SleepSession",
};

/** Several ids read the same record class; reading it once avoids re-sending identical records (§2.5.2). */
export function hcReadKeys(types: readonly HealthDataType[]): string[] {
  return [...new Set(types.map((t) => HC_TYPES[t]).filter((k): k is string => !!k))];
}

const DEVICE_TYPES = ["unknown", "watch", "phone", "scale", "ring", "head_mounted", "fitness_band", "chest_strap", "smart_display"];
const RECORDING = ["unknown", "active", "automatic", "manual"];

function source(r: HCRawRecord): PayloadSource {
  return {
    appId: r.dataOrigin, deviceId: null, deviceName: null, deviceManufacturer: r.device?.manufacturer ?? null,
    deviceModel: r.device?.model ?? null,
    deviceType: r.device?.type !== undefined && r.device?.type !== null ? DEVICE_TYPES[r.device.type] ?? "unknown" : null,
    recordingMethod: r.recordingMethod !== undefined && r.recordingMethod !== null ? RECORDING[r.recordingMethod] ?? "unknown" : null,
  };
}

const num = (v: unknown): number | null => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};

/** Simple one-value records: record class → [payload type, field, unit]. */
const SIMPLE: Record<string, [string, string, string]> = {
  Steps: ["STEP_COUNT", "count", "count"],
  RestingHeartRate: ["RESTING_HEART_RATE", "beatsPerMinute", "bpm"],
  HeartRateVariabilityRmssd: ["HEART_RATE_VARIABILITY", "heartRateVariabilityMillis", "ms"],
  OxygenSaturation: ["OXYGEN_SATURATION", "percentage", "%"],
  BloodGlucose: ["BLOOD_GLUCOSE", "levelMmolPerL", "mmol/L"],
  ActiveCaloriesBurned: ["ACTIVE_CALORIES_BURNED", "energyKcal", "kcal"],
  BasalMetabolicRate: ["BASAL_METABOLIC_RATE", "kcalPerDay", "kcal/day"],
  BodyTemperature: ["BODY_TEMPERATURE", "temperatureCelsius", "°C"],
  Weight: ["WEIGHT", "weightKg", "kg"],
  Height: ["HEIGHT", "heightMeters", "m"],
  BodyFat: ["BODY_FAT", "percentage", "%"],
  LeanBodyMass: ["LEAN_BODY_MASS", "massKg", "kg"],
  FloorsClimbed: ["FLOORS_CLIMBED", "floors", "count"],
  Distance: ["DISTANCE", "distanceMeters", "m"],
  Hydration: ["HYDRATION", "volumeMilliliters", "mL"],
  Vo2Max: ["VO2_MAX", "vo2MillilitersPerMinuteKilogram", "mL/kg/min"],
  RespiratoryRate: ["RESPIRATORY_RATE", "rate", "breaths/min"],
};

const META_FIELDS: Record<string, string[]> = {
  HeartRateVariabilityRmssd: [], BloodGlucose: ["specimenSource", "relationToMeal"], BodyTemperature: ["measurementLocation"],
};

function pickMeta(r: HCRawRecord): Record<string, unknown> | null {
  if (r.recordType === "HeartRateVariabilityRmssd") return { method: "rmssd" };
  const keys = META_FIELDS[r.recordType];
  if (!keys) return null;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (r.fields[k] !== undefined && r.fields[k] !== null) out[k] = r.fields[k];
  return Object.keys(out).length ? out : null;
}

const SLEEP_STAGE: Record<string, string> = {
  AWAKE: "awake", AWAKE_IN_BED: "in_bed", SLEEPING: "sleeping", LIGHT: "light", DEEP: "deep", REM: "rem",
};

export function hcToItems(r: HCRawRecord): PayloadItem[] {
  const src = source(r);
  const zoneOffset = zoneOffsetString(r.zoneOffsetSeconds);
  const base = { zoneOffset, source: src };
  const simple = SIMPLE[r.recordType];
  if (simple) {
    const value = num(r.fields[simple[1]]);
    if (value === null) return [];
    return [{ kind: "records", item: { ...base, id: r.id, type: simple[0], startDate: isoSeconds(r.start),
      endDate: isoSeconds(r.end), value, unit: simple[2], parentId: null, metadata: pickMeta(r) } }];
  }
  switch (r.recordType) {
    case "HeartRate": {
      const samples = (r.fields.samples as { time: number; beatsPerMinute: number }[] | undefined) ?? [];
      return samples.flatMap((s, i): PayloadItem[] => {
        const v = num(s.beatsPerMinute);
        return v === null ? [] : [{ kind: "records", item: { ...base, id: `${r.id}-s${i}`, type: "HEART_RATE",
          startDate: isoSeconds(s.time), endDate: isoSeconds(s.time), value: v, unit: "bpm", parentId: r.id, metadata: null } }];
      });
    }
    case "BloodPressure": {
      const meta: Record<string, unknown> = {};
      for (const k of ["bodyPosition", "measurementLocation"]) if (r.fields[k] != null) meta[k] = r.fields[k];
      const parts: [string, string, unknown][] = [["sys", "BLOOD_PRESSURE_SYSTOLIC", r.fields.systolic], ["dia", "BLOOD_PRESSURE_DIASTOLIC", r.fields.diastolic]];
      return parts.flatMap(([suffix, type, raw]): PayloadItem[] => {
        const v = num(raw);
        return v === null ? [] : [{ kind: "records", item: { ...base, id: `${r.id}-${suffix}`, type, startDate: isoSeconds(r.start),
          endDate: isoSeconds(r.end), value: v, unit: "mmHg", parentId: r.id, metadata: Object.keys(meta).length ? meta : null } }];
      });
    }
    case "SleepSession": {
      const stages = (r.fields.stages as { start: number; end: number; stage: string }[] | undefined) ?? [];
      if (!stages.length) {
        return [{ kind: "sleep", item: { ...base, id: r.id, parentId: null, stage: "sleeping", startDate: isoSeconds(r.start),
          endDate: isoSeconds(r.end), values: null, metadata: null } }];
      }
      return stages.map((s, i): PayloadItem => ({ kind: "sleep", item: { ...base, id: `${r.id}-s${i}`, parentId: r.id,
        stage: SLEEP_STAGE[s.stage] ?? "unknown", startDate: isoSeconds(s.start), endDate: isoSeconds(s.end), values: null, metadata: null } }));
    }
    case "ExerciseSession": {
      const f = r.fields;
      return [{ kind: "workouts", item: { ...base, id: r.id, parentId: null, type: String(f.exerciseType ?? "OTHER"),
        startDate: isoSeconds(r.start), endDate: isoSeconds(r.end), title: (f.title as string) ?? null, notes: (f.notes as string) ?? null,
        values: [{ type: "duration", value: Math.round((r.end - r.start) / 1000), unit: "s" }],
        segments: (f.segments as unknown[]) ?? null, laps: (f.laps as unknown[]) ?? null, route: (f.route as unknown[]) ?? null,
        samples: null, metadata: f.route ? { hasRoute: true } : null } }];
    }
    default:
      return [];
  }
}
