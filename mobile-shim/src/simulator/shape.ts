import type { HCRawRecord, HKRawSample, RawSample, SamsungRawPoint } from "../ports/raw-samples";
import type { StorePlatform } from "../ports/health-store";
import { mix, prng, uuid, type Fact, type PointMetric } from "./facts";

/** A raw sample plus when the store received it (its position in change order). */
export interface Shaped { written: number; id: string; raw: RawSample }

const Q = "HKQuantityTypeIdentifier";
const derivedId = (id: string, key: string) => uuid(prng(mix(id, key)));

// ---- HealthKit -----------------------------------------------------------------------------------------
const WATCH = { bundleId: "com.apple.health.3F2A9C1E-7B4D-4E8A-9C61-2D5B8E0F1A37", name: "Alex’s Apple Watch", productType: "Watch6,1", osVersion: [10, 4, 0] as [number, number, number] };
const PHONE = { bundleId: "com.apple.health", name: "Alex’s iPhone", productType: "iPhone15,2", osVersion: [17, 4, 1] as [number, number, number] };
const WATCH_DEVICE = { name: "Apple Watch", manufacturer: "Apple Inc.", model: "Watch", hardwareVersion: "Watch6,1", softwareVersion: "10.4" };
const POLAR = { bundleId: "fi.polar.polarflow", name: "Polar Flow", productType: null, osVersion: null };

const HK_POINTS: Partial<Record<PointMetric, [string, string, number?]>> = {
  restingHr: [`${Q}RestingHeartRate`, "count/min"], hrv: [`${Q}HeartRateVariabilitySDNN`, "ms"], spo2: [`${Q}OxygenSaturation`, "%"],
  resp: [`${Q}RespiratoryRate`, "count/min"], glucose: [`${Q}BloodGlucose`, "mg/dL"], temp: [`${Q}BodyTemperature`, "degC"],
  vo2max: [`${Q}VO2Max`, "ml/kg·min"], walkSpeed: [`${Q}WalkingSpeed`, "m/s"], stepLength: [`${Q}WalkingStepLength`, "m"],
  asymmetry: [`${Q}WalkingAsymmetryPercentage`, "%"], doubleSupport: [`${Q}WalkingDoubleSupportPercentage`, "%"],
  basal: [`${Q}BasalEnergyBurned`, "kcal"], water: [`${Q}DietaryWater`, "L"], dietEnergy: [`${Q}DietaryEnergyConsumed`, "kcal"],
  carbs: [`${Q}DietaryCarbohydrates`, "g"], protein: [`${Q}DietaryProtein`, "g"], fat: [`${Q}DietaryFatTotal`, "g"],
};

function hk(f: Fact): Shaped[] {
  const q = (key: string, start: number, end: number, value: number, unit: string, src: HKRawSample["source"] = WATCH, id = derivedId(f.id, key)): Shaped =>
    ({ written: f.written, id: id.toUpperCase(), raw: { platform: "healthkit", uuid: id.toUpperCase(), type: key, start, end, value, unit,
      source: src, device: src === WATCH ? WATCH_DEVICE : null, metadata: null } satisfies HKRawSample });
  switch (f.c) {
    case "hr": return [q(`${Q}HeartRate`, f.t, f.t, f.bpm, "count/min", f.sourceApp ? POLAR : WATCH, f.id)];
    case "activity": {
      const out = [q(`${Q}StepCount`, f.start, f.end, f.steps, "count"), q(`${Q}ActiveEnergyBurned`, f.start, f.end, f.kcal, "kcal"),
        q(`${Q}DistanceWalkingRunning`, f.start, f.end, f.meters, "m")];
      if (f.floors) out.push(q(`${Q}FlightsClimbed`, f.start, f.end, f.floors, "count", PHONE));
      return out;
    }
    case "point": {
      if (f.metric === "mindful") {
        const id = f.id.toUpperCase();
        return [{ written: f.written, id, raw: { platform: "healthkit", uuid: id, type: "HKCategoryTypeIdentifierMindfulSession", start: f.t, end: f.t + 600_000, value: 0, source: PHONE, metadata: null } }];
      }
      const m = HK_POINTS[f.metric];
      return m ? [q(m[0], f.t, f.t, f.value, m[1], f.metric.startsWith("diet") || ["carbs", "protein", "fat", "water"].includes(f.metric) ? PHONE : WATCH, f.id)] : [];
    }
    case "sleep": {
      const cat = (value: number, start: number, end: number, i: number): Shaped => {
        const id = derivedId(f.id, `s${i}`).toUpperCase();
        return { written: f.written, id, raw: { platform: "healthkit", uuid: id, type: "HKCategoryTypeIdentifierSleepAnalysis", start, end, value, source: WATCH, device: WATCH_DEVICE, metadata: null } };
      };
      const stageValue = { awake: 2, light: 3, deep: 4, rem: 5 } as const;
      return [cat(0, f.start, f.end, -1), ...f.stages.map((s, i) => cat(stageValue[s.stage], s.start, s.end, i))];
    }
    case "workout": {
      const id = f.id.toUpperCase();
      const stats = [{ type: "duration", value: Math.round((f.end - f.start) / 1000), unit: "s" }, { type: "activeEnergyBurned", value: f.kcal, unit: "kcal" },
        { type: "averageHeartRate", value: f.avgHr, unit: "bpm" }, { type: "maxHeartRate", value: f.maxHr, unit: "bpm" }];
      if (f.meters) stats.push({ type: "distance", value: f.meters, unit: "m" });
      return [{ written: f.written, id, raw: { platform: "healthkit", uuid: id, type: "HKWorkoutTypeIdentifier", start: f.start, end: f.end, source: WATCH,
        device: WATCH_DEVICE, metadata: { HKIndoorWorkout: "0" }, workout: { activityType: f.type, stats } } }];
    }
    case "bp": return [q(`${Q}BloodPressureSystolic`, f.t, f.t, f.sys, "mmHg", PHONE), q(`${Q}BloodPressureDiastolic`, f.t, f.t, f.dia, "mmHg", PHONE)];
    case "body": {
      const scale = { bundleId: "com.withings.wiScaleNG", name: "Health Mate", productType: null, osVersion: null };
      return [q(`${Q}BodyMass`, f.t, f.t, f.weight, "kg", scale), q(`${Q}BodyFatPercentage`, f.t, f.t, f.bodyFat / 100, "%", scale),
        q(`${Q}LeanBodyMass`, f.t, f.t, f.lean, "kg", scale), q(`${Q}BodyMassIndex`, f.t, f.t, f.bmi, "count", scale),
        ...(f.late ? [] : [q(`${Q}Height`, f.t, f.t, f.height, "m", PHONE)])];
    }
  }
}

// ---- Health Connect ------------------------------------------------------------------------------------
const HC_ORIGIN = "com.google.android.apps.fitness";
const HC_DEVICE = { manufacturer: "Google", model: "Pixel Watch 2", type: 1 };
const HC_EXERCISE: Record<string, string> = { running: "RUNNING", cycling: "BIKING", walking: "WALKING", strength_training: "STRENGTH_TRAINING",
  yoga: "YOGA", swimming: "SWIMMING_POOL", hiking: "HIKING", hiit: "HIGH_INTENSITY_INTERVAL_TRAINING" };
const HC_POINTS: Partial<Record<PointMetric, [string, string, (v: number) => number]>> = {
  restingHr: ["RestingHeartRate", "beatsPerMinute", (v) => v], hrv: ["HeartRateVariabilityRmssd", "heartRateVariabilityMillis", (v) => v],
  spo2: ["OxygenSaturation", "percentage", (v) => Math.round(v * 100)], resp: ["RespiratoryRate", "rate", (v) => v],
  glucose: ["BloodGlucose", "levelMmolPerL", (v) => Math.round((v / 18.0182) * 10) / 10], temp: ["BodyTemperature", "temperatureCelsius", (v) => v],
  vo2max: ["Vo2Max", "vo2MillilitersPerMinuteKilogram", (v) => v], water: ["Hydration", "volumeMilliliters", (v) => Math.round(v * 1000)],
};

function hcRecord(f: Fact, recordType: string, start: number, end: number, fields: Record<string, unknown>, origin = HC_ORIGIN, idKey = recordType): Shaped {
  const id = idKey === "" ? f.id : derivedId(f.id, idKey);
  return { written: f.written, id, raw: { platform: "healthconnect", recordType, id, start, end, zoneOffsetSeconds: 3600, dataOrigin: origin,
    device: origin === HC_ORIGIN ? HC_DEVICE : null, recordingMethod: origin === HC_ORIGIN ? 2 : 3, lastModified: f.written, fields } satisfies HCRawRecord };
}

function hc(f: Fact): Shaped[] {
  switch (f.c) {
    case "hr": return []; // grouped per hour by groupHeartRate()
    case "activity": {
      const out = [hcRecord(f, "Steps", f.start, f.end, { count: f.steps }, HC_ORIGIN, ""), hcRecord(f, "ActiveCaloriesBurned", f.start, f.end, { energyKcal: f.kcal }),
        hcRecord(f, "Distance", f.start, f.end, { distanceMeters: f.meters })];
      if (f.floors) out.push(hcRecord(f, "FloorsClimbed", f.start, f.end, { floors: f.floors }));
      return out;
    }
    case "point": {
      if (f.metric === "basal") return new Date(f.t).getUTCHours() === 0 ? [hcRecord(f, "BasalMetabolicRate", f.t, f.t, { kcalPerDay: Math.round(f.value * 24) })] : [];
      const m = HC_POINTS[f.metric];
      return m ? [hcRecord(f, m[0], f.t, f.t, { [m[1]]: m[2](f.value), ...(f.metric === "glucose" ? { specimenSource: 2, relationToMeal: 1 } : {}) }, HC_ORIGIN, "")] : [];
    }
    case "sleep": return [hcRecord(f, "SleepSession", f.start, f.end, { stages: f.stages.map((s) => ({ ...s, stage: s.stage.toUpperCase() })) }, HC_ORIGIN, "")];
    case "workout": return [hcRecord(f, "ExerciseSession", f.start, f.end, { exerciseType: HC_EXERCISE[f.type] ?? "OTHER_WORKOUT", title: null, notes: null }, HC_ORIGIN, "")];
    case "bp": return [hcRecord(f, "BloodPressure", f.t, f.t, { systolic: f.sys, diastolic: f.dia, bodyPosition: 2, measurementLocation: 3 }, "com.omronhealthcare.omronconnect", "")];
    case "body": {
      const origin = "com.withings.wiscale2";
      return [hcRecord(f, "Weight", f.t, f.t, { weightKg: f.weight }, origin, ""), hcRecord(f, "BodyFat", f.t, f.t, { percentage: f.bodyFat }, origin),
        hcRecord(f, "LeanBodyMass", f.t, f.t, { massKg: f.lean }, origin), ...(f.late ? [] : [hcRecord(f, "Height", f.t, f.t, { heightMeters: f.height }, origin)])];
    }
  }
}

/** Health Connect stores heart rate as series records: one record per hour and source, samples inside. */
function groupHeartRate(facts: Fact[], platformSeed: number): Shaped[] {
  const groups = new Map<string, Extract<Fact, { c: "hr" }>[]>();
  for (const f of facts) {
    if (f.c !== "hr") continue;
    const key = `${Math.floor(f.t / 3_600_000)}|${f.sourceApp ?? ""}`;
    const g = groups.get(key);
    if (g) g.push(f); else groups.set(key, [f]);
  }
  return [...groups.entries()].map(([key, g]) => {
    const hour = Number(key.split("|")[0]);
    const written = Math.max(...g.map((f) => f.written));
    const id = uuid(prng(mix(platformSeed, "hcHR", key, g[0]!.id)));
    const origin = g[0]!.sourceApp ?? HC_ORIGIN;
    return { written, id, raw: { platform: "healthconnect", recordType: "HeartRate", id, start: hour * 3_600_000, end: Math.max(...g.map((f) => f.t)),
      zoneOffsetSeconds: 3600, dataOrigin: origin, device: origin === HC_ORIGIN ? HC_DEVICE : null, recordingMethod: 2, lastModified: written,
      fields: { samples: g.map((f) => ({ time: f.t, beatsPerMinute: f.bpm })) } } };
  });
}

// ---- Samsung Health ------------------------------------------------------------------------------------
const SS_DEVICE = { manufacturer: "Samsung", model: "SM-R960", name: "Galaxy Watch6", group: "MOBILE", deviceId: "a1b2c3d4" };
const SS_EXERCISE: Record<string, string> = { running: "RUNNING", cycling: "BIKING", walking: "WALKING", strength_training: "WEIGHT_MACHINE",
  yoga: "YOGA", swimming: "SWIMMING", hiking: "HIKING", hiit: "HIIT" };

function ssPoint(f: Fact, dataType: string, start: number, end: number, fields: Record<string, unknown>): Shaped {
  return { written: f.written, id: f.id, raw: { platform: "samsung", dataType, uid: f.id, start, end, zoneOffsetSeconds: 3600, device: SS_DEVICE, fields } satisfies SamsungRawPoint };
}

function samsung(f: Fact): Shaped[] {
  switch (f.c) {
    case "hr": return [ssPoint(f, "HEART_RATE", f.t, f.t, { heartRate: f.bpm })];
    case "activity": return f.floors ? [ssPoint(f, "FLOORS_CLIMBED", f.start, f.end, { floor: f.floors })] : [];
    case "point": {
      const fields: Partial<Record<PointMetric, [string, Record<string, unknown>]>> = {
        spo2: ["BLOOD_OXYGEN", { oxygenSaturation: Math.round(f.value * 100) }], glucose: ["BLOOD_GLUCOSE", { glucose: f.value, mealStatus: "FASTING" }],
        temp: ["BODY_TEMPERATURE", { temperature: f.value }], water: ["WATER_INTAKE", { amount: Math.round(f.value * 1000) }],
      };
      const m = fields[f.metric];
      return m ? [ssPoint(f, m[0], f.t, f.t, m[1])] : [];
    }
    case "sleep": return [ssPoint(f, "SLEEP", f.start, f.end, { sleepScore: f.score, sessions: [{ start: f.start, end: f.end, stages: f.stages.map((s) => ({ ...s, stage: s.stage.toUpperCase() })) }] })];
    case "workout": return [ssPoint(f, "EXERCISE", f.start, f.end, { sessions: [{ exerciseType: SS_EXERCISE[f.type] ?? "OTHER", start: f.start, end: f.end,
      duration: f.end - f.start, calories: f.kcal, distance: f.meters, meanHeartRate: f.avgHr, maxHeartRate: f.maxHr }] })];
    case "bp": return [ssPoint(f, "BLOOD_PRESSURE", f.t, f.t, { systolic: f.sys, diastolic: f.dia, pulse: f.pulse })];
    // Integer-valued height next to float weights: the mixed numeric types that once broke Samsung batches.
    case "body": return [ssPoint(f, "BODY_COMPOSITION", f.t, f.t, { weight: f.weight, height: 178, bodyFat: f.bodyFat, fatFreeMass: f.lean, bmi: f.bmi, skeletalMuscleMass: Math.round(f.lean * 0.55 * 10) / 10 })];
  }
}

/** Samsung exposes steps and active calories only as hourly aggregates, with a fresh random uid per read. */
function hourlyAggregates(facts: Fact[], readNonce: () => string): Shaped[] {
  const hours = new Map<number, { steps: number; kcal: number; written: number }>();
  for (const f of facts) {
    if (f.c !== "activity") continue;
    const h = Math.floor(f.start / 3_600_000);
    const b = hours.get(h) ?? { steps: 0, kcal: 0, written: 0 };
    b.steps += f.steps; b.kcal = Math.round((b.kcal + f.kcal) * 10) / 10; b.written = Math.max(b.written, (h + 1) * 3_600_000 + 300_000);
    hours.set(h, b);
  }
  const out: Shaped[] = [];
  for (const [h, b] of hours) {
    const mk = (dataType: string, fields: Record<string, unknown>): Shaped => ({ written: b.written, id: `${dataType}-${h}`,
      raw: { platform: "samsung", dataType, uid: readNonce(), isAggregate: true, start: h * 3_600_000, end: (h + 1) * 3_600_000, zoneOffsetSeconds: 3600, device: SS_DEVICE, fields } });
    out.push(mk("STEPS", { count: b.steps }), mk("ACTIVE_CALORIES", { calories: b.kcal }));
  }
  return out;
}

/** Shapes one data-day's facts for a platform; returns samples grouped by read key. */
export function shapeFacts(platform: StorePlatform, facts: Fact[], seed: number, readNonce: () => string): Map<string, Shaped[]> {
  const byKey = new Map<string, Shaped[]>();
  const add = (s: Shaped) => {
    s.written = Math.round(s.written); // anchors carry integer milliseconds
    const key = s.raw.platform === "healthkit" ? s.raw.type : s.raw.platform === "healthconnect" ? s.raw.recordType : s.raw.dataType;
    const list = byKey.get(key);
    if (list) list.push(s); else byKey.set(key, [s]);
  };
  const shaper = platform === "healthkit" ? hk : platform === "healthconnect" ? hc : samsung;
  for (const f of facts) for (const s of shaper(f)) add(s);
  if (platform === "healthconnect") groupHeartRate(facts, seed).forEach(add);
  if (platform === "samsung") hourlyAggregates(facts, readNonce).forEach(add);
  for (const list of byKey.values()) list.sort((a, b) => a.written - b.written || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return byKey;
}
