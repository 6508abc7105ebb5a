/**
 * Payload builders that mirror what each official SDK sends (reference SDK doc §2.3, API §12): every key present,
 * nulls explicit, each platform's ids, units and vocabularies. Shared by the ingest, storage and end-to-end tests.
 *
 * Each builder takes a start time (epoch ms) and counts; output is deterministic for the same options, and `idSalt`
 * changes every SDK id without changing the data (a re-read with new ids, as Samsung does for hourly aggregates).
 * Samsung's hourly aggregates advance one hour per round (14 records), so pass a `now` far enough after `start`.
 */
import { normalizeEnvelope, type NormalizedBatch } from "../../src/ingest/index";

/** normalizeEnvelope that throws on an envelope-level error (tests of item behaviour want the batch). */
export function normalized(body: unknown, now: number): NormalizedBatch {
  const r = normalizeEnvelope(body, { now });
  if (!r.ok) throw new Error(`envelope rejected: ${r.detail}`);
  return r.batch;
}

export interface FixtureOptions {
  /** Epoch ms of the first sample; records are one "round" per minute, workouts every 2 h, nights every 24 h. */
  start: number;
  records?: number;
  workouts?: number;
  sleepNights?: number;
  idSalt?: string;
  sdkVersion?: string;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Item = { [k: string]: Json };
export interface SdkEnvelope {
  provider: string;
  sdkVersion: string;
  syncTimestamp: string;
  data: { records: Item[]; sleep: Item[]; workouts: Item[] };
  [k: string]: Json | SdkEnvelope["data"];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Second-precision UTC with `Z`, as both SDKs format dates. */
export const isoSec = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** Deterministic UUID-shaped id from a seed (FNV-1a, four rounds). */
export function uuidFrom(seed: string, upper = false): string {
  let hex = "";
  for (let round = 0; round < 4; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    hex += (h >>> 0).toString(16).padStart(8, "0");
  }
  const u = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return upper ? u.toUpperCase() : u;
}

// ---------------------------------------------------------------------------------------------------------------- iOS

export const IOS_SOURCES = {
  watch: {
    appId: "com.apple.health.7D1E5C2A", deviceId: null, deviceName: "Apple Watch", deviceManufacturer: "Apple Inc.",
    deviceModel: "Watch7,5", deviceType: "watch", recordingMethod: null, deviceHardwareVersion: "Watch7,5",
    deviceSoftwareVersion: "11.2", operatingSystemVersion: { majorVersion: 11, minorVersion: 2, patchVersion: 0 },
  },
  phone: {
    appId: "com.apple.health.81A2B3C4", deviceId: null, deviceName: "iPhone", deviceManufacturer: "Apple Inc.",
    deviceModel: "iPhone15,2", deviceType: "phone", recordingMethod: null,
    operatingSystemVersion: { majorVersion: 18, minorVersion: 1, patchVersion: 1 },
  },
  scale: {
    appId: "com.withings.wiscale2", deviceId: null, deviceName: "Body+", deviceManufacturer: "Withings",
    deviceModel: "WBS05", deviceType: "scale", recordingMethod: null,
  },
  cuff: {
    appId: "jp.co.omron.healthcare.omronconnect", deviceId: null, deviceName: "BP7450", deviceManufacturer: "OMRON",
    deviceModel: "BP7450", deviceType: null, recordingMethod: null,
  },
} satisfies Record<string, Item>;

type Pattern = readonly [type: string, unit: string | null, value: (i: number) => number, source: keyof typeof IOS_SOURCES, spanMin: number];

/** One round of iOS records (each round is one minute). `null` series = not mapped (counted as unknown type). */
export const IOS_PATTERN: readonly Pattern[] = [
  ["HKQuantityTypeIdentifierHeartRate", "bpm", (i) => 60 + (i % 40), "watch", 0],
  ["HKQuantityTypeIdentifierStepCount", "count", (i) => 20 + (i % 80), "phone", 1],
  ["HKQuantityTypeIdentifierActiveEnergyBurned", "Cal", (i) => 1.5 + (i % 10) / 10, "watch", 1],
  ["HKQuantityTypeIdentifierDistanceWalkingRunning", "m", (i) => 15 + (i % 50), "phone", 1],
  ["HKQuantityTypeIdentifierOxygenSaturation", "%", (i) => 95 + (i % 5), "watch", 0],
  ["HKQuantityTypeIdentifierWalkingAsymmetryPercentage", "%", () => 0.03, "phone", 1],
  ["HKQuantityTypeIdentifierBodyFatPercentage", "%", () => 0.22, "scale", 0],
  ["HKQuantityTypeIdentifierHeight", "m", () => 1.78, "phone", 0],
  ["HKQuantityTypeIdentifierBodyMass", "kg", (i) => 72 + (i % 3) / 10, "scale", 0],
  ["HKQuantityTypeIdentifierBloodPressureSystolic", "mmHg", (i) => 115 + (i % 10), "cuff", 0],
  ["HKQuantityTypeIdentifierBloodPressureDiastolic", "mmHg", (i) => 75 + (i % 8), "cuff", 0],
  ["HKQuantityTypeIdentifierBloodGlucose", "mg/dL", (i) => 90 + (i % 20), "phone", 0],
  ["HKQuantityTypeIdentifierHeartRateVariabilitySDNN", "ms", (i) => 40 + (i % 30), "watch", 0],
  ["HKQuantityTypeIdentifierRespiratoryRate", "breaths/min", (i) => 12 + (i % 6), "watch", 0],
  ["HKQuantityTypeIdentifierWalkingStepLength", "m", () => 0.72, "phone", 1],
  ["HKCategoryTypeIdentifierMindfulSession", null, () => 0, "phone", 5],
  ["HKQuantityTypeIdentifierDietaryWater", "L", () => 0.25, "phone", 0],
];
export const IOS_UNMAPPED_TYPES = ["HKCategoryTypeIdentifierMindfulSession", "HKQuantityTypeIdentifierDietaryWater"];

function iosRecords(o: FixtureOptions): Item[] {
  const out: Item[] = [];
  const n = o.records ?? 0;
  for (let i = 0; i < n; i++) {
    const round = Math.floor(i / IOS_PATTERN.length);
    const [type, unit, value, src, span] = IOS_PATTERN[i % IOS_PATTERN.length]!;
    const t = o.start + round * MIN;
    out.push({
      id: uuidFrom(`ios-rec-${o.idSalt ?? ""}-${i}`, true),
      type,
      startDate: isoSec(t),
      endDate: isoSec(t + span * MIN),
      zoneOffset: null,
      source: IOS_SOURCES[src],
      value: value(round),
      unit,
      parentId: null,
      metadata: type.endsWith("HeartRate") ? { HKMetadataKeyHeartRateMotionContext: "1" } : null,
    });
  }
  return out;
}

/** iOS running workout: every statistic the SDK derives on iOS 16+ (API §12). */
export function iosWorkoutStats(): Item[] {
  const s = (type: string, value: number, unit: string): Item => ({ type, value, unit });
  return [
    s("duration", 1683.27, "s"), s("activeEnergyBurned", 131.41, "kcal"), s("basalEnergyBurned", 48.59, "kcal"),
    s("distance", 2165.35, "m"), s("stepCount", 2890.6, "count"), s("minHeartRate", 92, "bpm"),
    s("averageHeartRate", 121.49, "bpm"), s("maxHeartRate", 154, "bpm"), s("averageRunningPower", 212, "W"),
    s("averageRunningSpeed", 2.8, "m/s"), s("averageRunningStrideLength", 1.05, "m"),
    s("averageVerticalOscillation", 8.9, "cm"), s("averageGroundContactTime", 265, "ms"),
    s("elevationAscended", 15.57, "m"), s("elevationDescended", 14.2, "m"), s("averageSpeed", 1.29, "m/s"),
    s("maxSpeed", 3.9, "m/s"), s("averageMETs", 9.4, "kcal/(kg·hr)"), s("indoorWorkout", 0, "bool"),
    s("weatherTemperature", 18.5, "degC"), s("weatherHumidity", 0.65, "%"),
  ];
}

function iosWorkouts(o: FixtureOptions): Item[] {
  const types = ["running", "walking", "hiit", "functional_strength_training", "other"];
  return Array.from({ length: o.workouts ?? 0 }, (_, i) => {
    const t = o.start + i * 2 * HOUR;
    return {
      id: uuidFrom(`ios-wo-${o.idSalt ?? ""}-${i}`, true), parentId: null, type: types[i % types.length]!,
      startDate: isoSec(t), endDate: isoSec(t + 30 * MIN), zoneOffset: null, source: IOS_SOURCES.watch,
      title: null, notes: null, values: iosWorkoutStats(), segments: null, laps: null, route: null, samples: null,
      metadata: { HKIndoorWorkout: "0", HKElevationAscended: "1557 cm" },
    };
  });
}

/**
 * One iOS night starting at `night` (minutes): in_bed 0–480 plus HealthKit stages 0..5. Expected session:
 * light 255, deep 100, rem 100, awake 15 min → total sleep 455, time in bed 480, efficiency 94.79 %.
 */
export const IOS_NIGHT: readonly [stage: string, from: number, to: number][] = [
  ["in_bed", 0, 480], ["awake", 0, 10], ["light", 10, 100], ["deep", 100, 160], ["rem", 160, 200],
  ["light", 200, 300], ["deep", 300, 340], ["rem", 340, 400], ["awake", 400, 405], ["light", 405, 470],
  ["sleeping", 470, 480],
];

function iosSleep(o: FixtureOptions): Item[] {
  const out: Item[] = [];
  for (let n = 0; n < (o.sleepNights ?? 0); n++) {
    const night = o.start + n * DAY;
    IOS_NIGHT.forEach(([stage, from, to], j) =>
      out.push({
        id: uuidFrom(`ios-sleep-${o.idSalt ?? ""}-${n}-${j}`, true), parentId: null, stage,
        startDate: isoSec(night + from * MIN), endDate: isoSec(night + to * MIN), zoneOffset: null,
        source: IOS_SOURCES.watch, values: null, metadata: null,
      }),
    );
  }
  return out;
}

export function iosBatch(o: FixtureOptions): SdkEnvelope {
  return {
    provider: "apple", sdkVersion: o.sdkVersion ?? "0.6.0", syncTimestamp: isoSec(o.start + DAY),
    data: { records: iosRecords(o), sleep: iosSleep(o), workouts: iosWorkouts(o) },
  };
}

// ------------------------------------------------------------------------------------------------- Android (HC, SH)

export const HC_SOURCE = {
  appId: "com.google.android.apps.fitness", deviceId: null, deviceName: null, deviceManufacturer: "Google",
  deviceModel: "Pixel Watch 2", deviceType: "watch", recordingMethod: "automatic",
} satisfies Item;

export const SAMSUNG_SOURCE = {
  appId: "com.sec.android.app.shealth", deviceId: "3f9a1c", deviceName: "Galaxy Watch6", deviceManufacturer: "Samsung",
  deviceModel: "SM-R960", deviceType: "watch", recordingMethod: null,
} satisfies Item;

type AndroidRec = readonly [suffix: string | null, type: string, unit: string, value: (i: number) => number, spanMin: number, offsetSec?: number];

/** One Health Connect round: a parent record and its derived children (`-s<i>`, `-sys`/`-dia`). */
export const HC_PATTERN: readonly AndroidRec[] = [
  ["-s0", "HEART_RATE", "bpm", (i) => 62 + (i % 30), 0],
  [null, "STEP_COUNT", "count", (i) => 30 + (i % 60), 1],
  ["-sys", "BLOOD_PRESSURE_SYSTOLIC", "mmHg", (i) => 118 + (i % 6), 0],
  ["-dia", "BLOOD_PRESSURE_DIASTOLIC", "mmHg", (i) => 78 + (i % 4), 0],
  [null, "BLOOD_GLUCOSE", "mmol/L", () => 5.5, 0],
  [null, "BASAL_METABOLIC_RATE", "kcal/day", () => 1680, 0],
  [null, "HEIGHT", "m", () => 1.8, 0],
  [null, "BODY_FAT", "%", () => 21.5, 0],
  [null, "HYDRATION", "mL", () => 250, 1],
  [null, "OXYGEN_SATURATION", "%", () => 97, 0],
  [null, "HEART_RATE_VARIABILITY", "ms", (i) => 35 + (i % 20), 0],
  [null, "ACTIVE_CALORIES_BURNED", "kcal", () => 2.4, 1],
  [null, "DISTANCE", "m", () => 42.5, 1],
];

export const SAMSUNG_PATTERN: readonly AndroidRec[] = [
  ["-s0", "HEART_RATE", "bpm", (i) => 64 + (i % 30), 0],
  [null, "STEP_COUNT", "count", (i) => 300 + i, 60], // hourly aggregate: random id on every read
  [null, "ACTIVE_CALORIES_BURNED", "kcal", () => 35.2, 60], // hourly aggregate: random id on every read
  ["-sys", "BLOOD_PRESSURE_SYSTOLIC", "mmHg", () => 121, 0, 30],
  ["-dia", "BLOOD_PRESSURE_DIASTOLIC", "mmHg", () => 79, 0, 30],
  ["-pulse", "HEART_RATE", "bpm", () => 71, 0, 30], // the cuff's pulse, 30 s after the HR series sample
  [null, "BLOOD_GLUCOSE", "mmol/L", () => 6.1, 0],
  ["-weight", "WEIGHT", "kg", () => 80.4, 0],
  ["-height", "HEIGHT", "m", () => 1.82, 0],
  ["-bf", "BODY_FAT", "%", () => 18.2, 0],
  ["-bfm", "BODY_FAT_MASS", "kg", () => 14.6, 0],
  ["-smm", "SKELETAL_MUSCLE_MASS", "kg", () => 37.1, 0],
  ["-bmi", "BMI", "kg/m²", () => 24.3, 0],
  [null, "OXYGEN_SATURATION", "%", () => 96, 0],
];

function androidRecords(o: FixtureOptions, pattern: readonly AndroidRec[], tag: string, source: Item, random: (i: number) => boolean): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < (o.records ?? 0); i++) {
    const round = Math.floor(i / pattern.length);
    const k = i % pattern.length;
    const [suffix, type, unit, value, span, offsetSec = 0] = pattern[k]!;
    const t = o.start + round * (span === 60 ? HOUR : MIN) + offsetSec * 1000;
    // Children of one reading share its parent: BP trio, body composition set, a heart-rate series.
    const group = suffix === null ? `r${k}` : suffix.startsWith("-s") ? `hr${k}` : ["-sys", "-dia", "-pulse"].includes(suffix) ? "bp" : "bc";
    const parent = uuidFrom(`${tag}-${o.idSalt ?? ""}-${round}-${group}`);
    const id = random(k) ? uuidFrom(`${tag}-rand-${o.idSalt ?? ""}-${i}`) : suffix ? `${parent}${suffix}` : parent;
    out.push({
      id, type, startDate: isoSec(t), endDate: isoSec(t + span * MIN), zoneOffset: round % 7 === 6 ? "Z" : "+01:00",
      source, value: value(round), unit, parentId: suffix && !random(k) ? parent : null,
      metadata: type === "HEART_RATE_VARIABILITY" ? { method: "rmssd" } : type === "BLOOD_GLUCOSE" ? { specimenSource: "capillary_blood" } : null,
    });
  }
  return out;
}

function androidWorkout(id: string, type: string, t: number, source: Item, values: Item[], parentId: string | null): Item {
  return {
    id, parentId, type, startDate: isoSec(t), endDate: isoSec(t + 45 * MIN), zoneOffset: "+01:00", source,
    title: null, notes: null, values, segments: [], laps: [], route: [], samples: null, metadata: { hasRoute: "false" },
  };
}

function androidSleep(o: FixtureOptions, tag: string, source: Item, wrapper: boolean): Item[] {
  const out: Item[] = [];
  const stages: [string, number, number][] = [["awake", 0, 15], ["light", 15, 120], ["deep", 120, 200], ["rem", 200, 260], ["light", 260, 420], ["awake", 420, 430]];
  for (let n = 0; n < (o.sleepNights ?? 0); n++) {
    const night = o.start + n * DAY;
    const session = uuidFrom(`${tag}-sleep-${o.idSalt ?? ""}-${n}`);
    const score = wrapper ? [{ type: "sleepScore", value: 82, unit: "score" }] : null;
    if (wrapper) {
      out.push({ id: session, parentId: null, stage: "sleeping", startDate: isoSec(night), endDate: isoSec(night + 430 * MIN), zoneOffset: "+01:00", source, values: score, metadata: null });
    }
    stages.forEach(([stage, from, to], j) =>
      out.push({
        id: wrapper ? `${session}-s0-${j}` : `${session}-s${j}`, parentId: session, stage,
        startDate: isoSec(night + from * MIN), endDate: isoSec(night + to * MIN), zoneOffset: "+01:00", source,
        values: score, metadata: null,
      }),
    );
  }
  return out;
}

export function healthConnectBatch(o: FixtureOptions): SdkEnvelope {
  const workouts = Array.from({ length: o.workouts ?? 0 }, (_, i) =>
    androidWorkout(uuidFrom(`hc-wo-${o.idSalt ?? ""}-${i}`), ["RUNNING", "CYCLING_STATIONARY", "HIIT", "UNKNOWN_42"][i % 4]!,
      o.start + i * 2 * HOUR, HC_SOURCE, [{ type: "duration", value: 2700, unit: "s" }], null),
  );
  return {
    provider: "google", sdkVersion: o.sdkVersion ?? "0.11.0", syncTimestamp: isoSec(o.start + DAY),
    data: { records: androidRecords(o, HC_PATTERN, "hc", HC_SOURCE, () => false), sleep: androidSleep(o, "hc", HC_SOURCE, false), workouts },
  };
}

/** Samsung running session statistics: every numeric field with the SDK's units (duration in ms). */
export function samsungWorkoutStats(): Item[] {
  const s = (type: string, value: number, unit: string): Item => ({ type, value, unit });
  return [
    s("duration", 2_700_000, "ms"), s("calories", 412.5, "kcal"), s("distance", 7340, "m"), s("meanHeartRate", 148.2, "bpm"),
    s("maxHeartRate", 171, "bpm"), s("minHeartRate", 98, "bpm"), s("meanSpeed", 2.72, "m/s"), s("maxSpeed", 4.1, "m/s"),
    s("meanCadence", 162, "spm"), s("maxCadence", 181, "spm"), s("altitudeGain", 48, "m"), s("altitudeLoss", 47, "m"),
    s("maxAltitude", 212, "m"), s("minAltitude", 168, "m"), s("vo2Max", 47.3, "mL/kg/min"),
  ];
}

export function samsungBatch(o: FixtureOptions): SdkEnvelope {
  const workouts = Array.from({ length: o.workouts ?? 0 }, (_, i) => {
    const uid = uuidFrom(`sh-wo-${o.idSalt ?? ""}-${i}`);
    return androidWorkout(`${uid}-s0`, ["RUNNING", "BIKING", "WALKING", "UNKNOWN"][i % 4]!, o.start + i * 2 * HOUR, SAMSUNG_SOURCE, samsungWorkoutStats(), uid);
  });
  const random = (k: number) => SAMSUNG_PATTERN[k]![4] === 60;
  return {
    provider: "samsung", sdkVersion: o.sdkVersion ?? "0.11.0", syncTimestamp: isoSec(o.start + DAY),
    data: { records: androidRecords(o, SAMSUNG_PATTERN, "sh", SAMSUNG_SOURCE, random), sleep: androidSleep(o, "sh", SAMSUNG_SOURCE, true), workouts },
  };
}
