/** Public shapes of the normalization layer (shared with storage, the sync route and the read API). */

export interface SourceInfo {
  provider: string;
  appId: string | null;
  deviceId: string | null;
  deviceName: string | null;
  deviceManufacturer: string | null;
  /** `deviceModel`, else `productType` (reference §6.4). */
  deviceModel: string | null;
  /** As sent by the SDK (the reference ignores it and infers `inferredDeviceType` instead). */
  deviceType: string | null;
  recordingMethod: string | null;
  /** Reference `source_name`: name → deviceName → appId → bundleIdentifier. */
  sourceName: string | null;
  /** Reference §8.7 inference from the model: watch|band|phone|scale|ring|other, null when unknown. */
  inferredDeviceType: string | null;
  /** `"major.minor.patch"` from `operatingSystemVersion`, when sent. */
  softwareVersion: string | null;
  [k: string]: unknown;
}

export interface NormalizedSample {
  /** Dedup key: (sourceKey, seriesType, recordedAt). Never contains the SDK id. */
  key: string;
  seriesType: string;
  /** Series type id of §8.2 (persisted, never changes). */
  seriesTypeId: number;
  recordedAt: number;
  /** Null for instantaneous samples (end equal to start). */
  endAt: number | null;
  value: number;
  unit: string;
  sourceKey: string;
  source: SourceInfo;
  externalId: string | null;
  zoneOffset: string | null;
  /** `record`, or `workout` for statistics of a workout stored as samples at the workout's end (§6.4). */
  origin: "record" | "workout";
}

export type WorkoutDetails = Record<string, number | string | boolean | null>;

export interface NormalizedWorkout {
  /** Dedup key: (sourceKey, "workout", startAt, endAt). */
  key: string;
  type: string;
  /** The SDK's own type string, trimmed (null when absent). */
  rawType: string | null;
  startAt: number;
  endAt: number;
  sourceKey: string;
  source: SourceInfo;
  externalId: string | null;
  parentId: string | null;
  zoneOffset: string | null;
  details: WorkoutDetails;
}

export interface SleepStage {
  /** Dedup key: (sourceKey, "sleep_stage", stage, startAt, endAt). */
  key: string;
  /** in_bed | sleeping | awake | light | deep | rem | unknown (reference §8.7 vocabulary). */
  stage: string;
  startAt: number;
  endAt: number;
  sourceKey: string;
  source: SourceInfo;
  externalId: string | null;
  zoneOffset: string | null;
}

export interface HypnogramEntry {
  stage: string;
  start: string;
  end: string;
}

export interface SleepSessionDetails {
  total_sleep_minutes: number;
  time_in_bed_minutes: number;
  efficiency_percent: number | null;
  /** Minutes per kept stage: awake, sleeping, light, deep, rem (all present, 0 when absent). */
  stages: Record<string, number>;
  hypnogram: HypnogramEntry[];
  /** Present (true) when the hypnogram was cut at MAX_HYPNOGRAM_ENTRIES. */
  hypnogram_truncated?: boolean;
  is_nap: boolean;
  deep_minutes: number;
  rem_minutes: number;
  light_minutes: number;
  awake_minutes: number;
  duration_seconds: number;
}

export interface SleepSession {
  /** Dedup key: (sourceKey, "sleep", startAt, endAt). */
  key: string;
  startAt: number;
  endAt: number;
  sourceKey: string;
  source: SourceInfo;
  /** The first stage's SDK id (reference: the session's external_id). */
  externalId: string | null;
  zoneOffset: string | null;
  details: SleepSessionDetails;
}

export type Collection = "records" | "workouts" | "sleep";

export interface Rejection {
  collection: Collection;
  index: number;
  id: string | null;
  reason: string;
  message: string;
}

export interface NormalizedBatch {
  provider: string;
  sdkVersion: string | null;
  syncTimestamp: string | null;
  samples: NormalizedSample[];
  workouts: NormalizedWorkout[];
  sleepStages: SleepStage[];
  /** The first REJECTION_SAMPLE_SIZE rejections, in item order. */
  rejected: Rejection[];
  /** Every rejected item (`rejected` holds only the first of them). */
  droppedCount: number;
  unknownTypes: Record<string, number>;
  received: { records: number; workouts: number; sleep: number };
  /** Items dropped because an earlier (workouts, sleep) or later (samples: last wins) item had the same key. */
  inBatchDuplicates: number;
}

export type EnvelopeResult = { ok: true; batch: NormalizedBatch } | { ok: false; status: 400; detail: string };
