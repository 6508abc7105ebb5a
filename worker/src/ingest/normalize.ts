/**
 * Envelope → NormalizedBatch. Only envelope-level problems fail the request (400, reference wording); every item is
 * validated on its own, so one bad item never costs the rest of the batch.
 */
import type { BatchContext } from "./context";
import { idOf, isPlainObject } from "./primitives";
import { normalizeRecord } from "./records";
import { normalizeSleepItem } from "./sleep";
import { SourceResolver } from "./source";
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
  return { collection, index, id: isPlainObject(item) ? idOf(item.id) : null, reason, message };
}

export function normalizeEnvelope(body: unknown, opts: { now: number }): EnvelopeResult {
  if (!isPlainObject(body)) return { ok: false, status: 400, detail: "Input should be a valid dictionary" };
  const provider = providerOf(body.provider);
  if (!SUPPORTED.has(provider)) {
    return { ok: false, status: 400, detail: `Unsupported provider: ${provider}. Supported: ${SUPPORTED_PROVIDERS.join(", ")}` };
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
    sdkVersion: typeof body.sdkVersion === "string" ? body.sdkVersion : null,
    syncTimestamp: typeof body.syncTimestamp === "string" ? body.syncTimestamp : null,
    samples: [],
    workouts: [],
    sleepStages: [],
    rejected: [],
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
    sources: new SourceResolver(provider),
    window: { start: 0, end: 0, zoneOffset: null },
  };

  // Samples: last write wins on the same key (reference upsert semantics), position of the first occurrence kept.
  const sampleAt = new Map<string, number>();
  const pushSample = (s: NormalizedSample) => {
    const at = sampleAt.get(s.key);
    if (at === undefined) {
      sampleAt.set(s.key, batch.samples.length);
      batch.samples.push(s);
    } else {
      batch.samples[at] = s;
      batch.inBatchDuplicates++;
    }
  };

  const unknown = new Map<string, number>();
  for (let i = 0; i < recs.length; i++) {
    const item = recs[i];
    const out = normalizeRecord(item, ctx);
    if ("key" in out) pushSample(out);
    else if ("unknownType" in out) unknown.set(out.unknownType, (unknown.get(out.unknownType) ?? 0) + 1);
    else batch.rejected.push(rejection("records", i, item, out.reason, out.message));
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
      batch.rejected.push(rejection("workouts", i, item, out.reason, out.message));
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
      batch.rejected.push(rejection("sleep", i, item, out.reason, out.message));
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
