/**
 * Sync-ingest normalization: pure functions, no bindings, no storage, no HTTP.
 *
 * - `normalizeEnvelope(body, {now})` validates the SDK envelope and every item, converts values to canonical units
 *   and vocabularies, and computes natural dedup keys:
 *     sample  = (sourceKey, seriesType, recordedAt ms)
 *     workout = (sourceKey, "workout", startAt, endAt)
 *     sleep stage = (sourceKey, "sleep_stage:<stage>", startAt, endAt); sleep session = (sourceKey, "sleep", start, end)
 *   `sourceKey` = provider + appId + deviceId + manufacturer + model + device name, so a re-read with new random ids
 *   collapses while two apps/devices writing the same sample stay apart.
 * - `buildSleepSessions(stages)` turns stored stages into sessions (deterministic, order-independent).
 */
export type {
  Collection,
  EnvelopeResult,
  HypnogramEntry,
  NormalizedBatch,
  NormalizedSample,
  NormalizedWorkout,
  Rejection,
  SleepSession,
  SleepSessionDetails,
  SleepStage,
  SourceInfo,
  WorkoutDetails,
} from "./types";
export { normalizeEnvelope, SUPPORTED_PROVIDERS, MAX_UNKNOWN_TYPE_LABELS } from "./normalize";
export { buildSleepSessions, SLEEP_GAP_MS, SLEEP_STAGES, unifiedSleepStage } from "./sleep";
export { SERIES_TYPES, withinBounds, type SeriesTypeDef, type Aggregation } from "./series-types";
export { SDK_TYPE_MAP, type SdkTypeEntry } from "./sdk-type-map";
export { unifiedWorkoutType } from "./workout-types";
export { inferDeviceType } from "./source";
export { REASONS, MIN_TIMESTAMP, MAX_FUTURE_MS, parseTimestamp, type Reason } from "./primitives";
export { sampleKey, eventKey } from "./context";
export { SyncEnvelopeSchema } from "./schema";
