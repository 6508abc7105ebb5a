/**
 * The JSON contract between native adapters (Swift/Kotlin) and the TypeScript engine. Native code copies OS
 * objects field by field into these shapes and nothing more: units, ids of derived children, vocabularies and
 * the wire envelope are decided in TypeScript (core/platforms/*), where they are tested. Times are epoch ms.
 * Fixtures: src/capacitor/fixtures/*.json (shared by the TS tests and, when built, the native unit tests).
 */

/** HealthKit: one HKSample (quantity, category or workout). */
export interface HKRawSample {
  platform: "healthkit";
  uuid: string;
  /** HK type identifier, e.g. HKQuantityTypeIdentifierHeartRate, HKCategoryTypeIdentifierSleepAnalysis, HKWorkoutTypeIdentifier. */
  type: string;
  start: number;
  end: number;
  /** Quantity in `unit` (the native side asks for the preferred unit of core/platforms/healthkit.ts); category raw value. */
  value?: number;
  /** HKUnit unitString used for `value`, e.g. "count/min", "kcal", "%", "mg/dL". Absent for categories. */
  unit?: string;
  source: { bundleId: string; name?: string | null; productType?: string | null; osVersion?: [number, number, number] | null };
  device?: { name?: string | null; manufacturer?: string | null; model?: string | null; hardwareVersion?: string | null; softwareVersion?: string | null } | null;
  /** HK metadata, values stringified natively. */
  metadata?: Record<string, string> | null;
  /** Workouts only. `activityType` is the snake_case name of HKWorkoutActivityType; stats in the payload units. */
  workout?: { activityType: string; stats: { type: string; value: number; unit: string }[] } | null;
}

/** Health Connect: one Record. `fields` holds the record-specific properties named as in the Jetpack API. */
export interface HCRawRecord {
  platform: "healthconnect";
  /** Record class simple name: Steps, HeartRate, BloodPressure, SleepSession, ExerciseSession, Weight, ... */
  recordType: string;
  /** metadata.id (stable). */
  id: string;
  start: number;
  end: number;
  /** startZoneOffset in seconds, null when unknown. */
  zoneOffsetSeconds: number | null;
  /** metadata.dataOrigin.packageName */
  dataOrigin: string;
  /** metadata.device: type is the Device.TYPE_* int. */
  device?: { manufacturer?: string | null; model?: string | null; type?: number | null } | null;
  /** metadata.recordingMethod int (0 unknown, 1 active, 2 automatic, 3 manual). */
  recordingMethod?: number | null;
  /** metadata.lastModifiedTime: used by stores to order changes. */
  lastModified?: number;
  fields: Record<string, unknown>;
}

/** Samsung Health Data SDK: one data point (or an hourly aggregate bucket, which has no stable uid). */
export interface SamsungRawPoint {
  platform: "samsung";
  /** STEPS (hourly aggregate), ACTIVE_CALORIES (hourly aggregate), HEART_RATE, BLOOD_PRESSURE, BODY_COMPOSITION, SLEEP, EXERCISE, BLOOD_OXYGEN, BLOOD_GLUCOSE, BODY_TEMPERATURE, FLOORS_CLIMBED, WATER_INTAKE */
  dataType: string;
  /** Data point uid; for aggregates Samsung returns a fresh random id on every read (a known quirk). */
  uid: string;
  isAggregate?: boolean;
  start: number;
  end: number;
  zoneOffsetSeconds: number | null;
  device?: { manufacturer?: string | null; model?: string | null; name?: string | null; group?: string | null; deviceId?: string | null } | null;
  appId?: string | null;
  fields: Record<string, unknown>;
}

export type RawSample = HKRawSample | HCRawRecord | SamsungRawPoint;
