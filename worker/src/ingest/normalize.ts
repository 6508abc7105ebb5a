/**
 * Envelope → NormalizedBatch. Only envelope-level problems fail the request (400, reference wording); every item is
 * validated on its own, so one bad item never costs the rest of the batch.
 */
import type { BatchContext } from "./context";
import { idOf, isPlainObject } from "./primitives";
import { normalizeRecord } from "./records";
import { normalizeSleepItem } from "./sleep";
import { LIMITS, MAX_MESSAGE_LENGTH, REJECTION_SAMPLE_SIZE } from "./limits";
import { SourceResolver, type KnownSources } from "./source";
import { normalizeWorkout } from "./workouts";
import type { Collection, EnvelopeResult, NormalizedBatch, NormalizedSample, Rejection } from "./types";

/** Reference §6.1; order matters for the error message. */
export const SUPPORTED_PROVIDERS: readonly string[] = Object.freeze(["apple", "samsung", "google"]);
const SUPPORTED = new Set(SUPPORTED_PROVIDERS);

/** Distinct unknown type labels reported per batch; the rest are summed under "(other)" to bound the response. */
export const MAX_UNKNOWN_TYPE_LABELS = 100;

/** Reference: `lowercase(str(body.provider or ""))`, lower-cased once and used everywhere (REF-BUG #8). */
function providerOf(raw: unknown): string {
  if (raw === null || raw === undefined || raw === false || raw === 0 || raw === "") return "";
  return (typeof raw === "string" ? raw : String(raw)).toLowerCase();
}

function collection(data: Record<string, unknown>, name: Collection): unknown[] | string {
  const v = data[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : `data.${name}: Input should be a valid list`;
}

function rejection(collection: Collection, index: number, item: unknown, reason: string, message: string): Rejection {
  const id = isPlainObject(item) ? idOf(item.id) : null;
  return {
    collection, index, reason,
    // An over-long id is the reason of its own rejection: the sample keeps only its start.
    id: id !== null && id.length > LIMITS.id ? id.slice(0, LIMITS.id) : id,
    message: message.length > MAX_MESSAGE_LENGTH ? message.slice(0, MAX_MESSAGE_LENGTH) : message,
  };
}

/** Informational envelope strings: kept when short, dropped when absurd (never worth losing a batch over). */
const envelopeString = (v: unknown): string | null =>
  typeof v === "string" && v.length <= LIMITS.envelopeField ? v : null;

export interface NormalizeOptions {
  now: number;
  /** The user's stored sources; new ones past the per-user bound are rejected (default: no bound). */
  sources?: KnownSources;
}

export function normalizeEnvelope(body: unknown, opts: NormalizeOptions): EnvelopeResult {
  if (!isPlainObject(body)) return { ok: false, status: 400, detail: "Input should be a valid dictionary" };
  const provider = providerOf(body.provider);
  if (!SUPPORTED.has(provider)) {
    const shown = provider.length > LIMITS.providerEcho ? `${provider.slice(0, LIMITS.providerEcho)}…` : provider;
    return { ok: false, status: 400, detail: `Unsupported provider: ${shown}. Supported: ${SUPPORTED_PROVIDERS.join(", ")}` };
  }
  const rawData = body.data;
  let data: Record<string, unknown>;
  if (rawData === undefined || rawData === null) data = {};
  else if (isPlainObject(rawData)) data = rawData;
  else return { ok: false, status: 400, detail: "data: Input should be a valid dictionary" };
  const records = collection(data, "records");
  const workouts = collection(data, "workouts");
  const sleep = collection(data, "sleep");
  for (const c of [records, workouts, sleep]) if (typeof c === "string") return { ok: false, status: 400, detail: c };

  const batch: NormalizedBatch = {
    provider,
    // Informational only: a missing or odd value is not worth losing a batch over (the SDKs always send both).
    sdkVersion: envelopeString(body.sdkVersion),
    syncTimestamp: envelopeString(body.syncTimestamp),
    samples: [],
    workouts: [],
    sleepStages: [],
    rejected: [],
    droppedCount: 0,
    unknownTypes: {},
    received: { records: 0, workouts: 0, sleep: 0 },
    inBatchDuplicates: 0,
  };
  const recs = records as unknown[];
  const wos = workouts as unknown[];
  const slp = sleep as unknown[];
  batch.received = { records: recs.length, workouts: wos.length, sleep: slp.length };

  const ctx: BatchContext = {
    provider,
    now: opts.now,
    sources: new SourceResolver(provider, opts.sources),
    window: { start: 0, end: 0, zoneOffset: null },
  };

  // Samples: last write wins on the same key (reference upsert semantics), position of the first occurrence kept.
  // Indexed by the key's parts rather than the key string: sourceKey is one shared string per source (its hash is
  // computed once), series ids and times are numbers, so no per-sample string is built and hashed.
  const sampleAt = new Map<string, Map<number, Map<number, number>>>();
  const pushSample = (s: NormalizedSample) => {
    let bySeries = sampleAt.get(s.sourceKey);
    if (bySeries === undefined) sampleAt.set(s.sourceKey, (bySeries = new Map()));
    let byTime = bySeries.get(s.seriesTypeId);
    if (byTime === undefined) bySeries.set(s.seriesTypeId, (byTime = new Map()));
    const at = byTime.get(s.recordedAt);
    if (at === undefined) {
      byTime.set(s.recordedAt, batch.samples.length);
      batch.samples.push(s);
    } else {
      batch.samples[at] = s;
      batch.inBatchDuplicates++;
    }
  };

  // Only the first rejections are kept (the response and the sync run show them); the rest are counted.
  const reject = (c: Collection, i: number, item: unknown, reason: string, message: string) => {
    if (batch.droppedCount++ < REJECTION_SAMPLE_SIZE) batch.rejected.push(rejection(c, i, item, reason, message));
  };

  const unknown = new Map<string, number>();
  for (let i = 0; i < recs.length; i++) {
    const item = recs[i];
    const out = normalizeRecord(item, ctx);
    if ("key" in out) pushSample(out);
    else if ("unknownType" in out) unknown.set(out.unknownType, (unknown.get(out.unknownType) ?? 0) + 1);
    else reject("records", i, item, out.reason, out.message);
  }
  let labels = 0;
  for (const [type, n] of unknown) {
    const label = labels < MAX_UNKNOWN_TYPE_LABELS ? type : "(other)";
    if (label === type) labels++;
    batch.unknownTypes[label] = (batch.unknownTypes[label] ?? 0) + n;
  }

  // Workouts: first one wins (reference insert-or-ignore); a duplicate's statistics are dropped with it.
  const workoutKeys = new Set<string>();
  for (let i = 0; i < wos.length; i++) {
    const item = wos[i];
    const out = normalizeWorkout(item, ctx);
    if ("reason" in out) {
      reject("workouts", i, item, out.reason, out.message);
      continue;
    }
    if (workoutKeys.has(out.workout.key)) {
      batch.inBatchDuplicates++;
      continue;
    }
    workoutKeys.add(out.workout.key);
    batch.workouts.push(out.workout);
    for (const s of out.samples) pushSample(s);
  }

  const stageKeys = new Set<string>();
  for (let i = 0; i < slp.length; i++) {
    const item = slp[i];
    const out = normalizeSleepItem(item, ctx);
    if ("reason" in out) {
      reject("sleep", i, item, out.reason, out.message);
      continue;
    }
    if (stageKeys.has(out.key)) {
      batch.inBatchDuplicates++;
      continue;
    }
    stageKeys.add(out.key);
    batch.sleepStages.push(out);
  }
  return { ok: true, batch };
}
