/**
 * Sleep: `data.sleep[]` items → SleepStage, and stored stages → SleepSession (reference §6.6).
 *
 * The reference keeps an open session per user in Redis and finalises it 120 min after its last stage. Here session
 * building is a pure function of all stored stages of a time range, so the same stages give the same sessions no
 * matter how they were split across batches or in which order they arrived. Differences, all for that reason:
 * - grouping is per source (sourceKey), as the reference's merge step does for named sources;
 * - an `awake`/`unknown` stage can't open a session, but one that ends within the gap before a session's first
 *   opening stage belongs to it (the reference drops it only when it happens to be processed first);
 * - `is_nap` (always false in the reference): total sleep under 3 h that starts between 09:00 and 20:59 local time
 *   (UTC when the zone is unknown, e.g. iOS ≤ 0.13, in which case only the duration rule applies).
 */
import { eventKey, type BatchContext } from "./context";
import { REASONS, idOf, isPlainObject } from "./primitives";
import { ID_FIELDS, LIMITS } from "./limits";
import { checkLengths, checkWindow, fail, tooLongFailure, type Failure } from "./validate";
import type { SleepSession, SleepSessionDetails, SleepStage } from "./types";

/** Gap that ends a session (reference SLEEP_END_GAP_MINUTES). */
export const SLEEP_GAP_MS = 120 * 60 * 1000;
const NAP_MAX_SLEEP_MINUTES = 180;
/**
 * Hypnogram entries kept per session (a night has a few dozen): the stored session must stay far from SQLite's
 * 2 MB value limit even if a client sends thousands of contiguous one-second stages. Totals still count them all.
 */
export const MAX_HYPNOGRAM_ENTRIES = 2000;

export const SLEEP_STAGES = ["in_bed", "sleeping", "awake", "light", "deep", "rem", "unknown"] as const;

// SDK vocabularies → internal stage. iOS already sends the internal names; Android stage names and HealthKit raw
// values (0..5) are accepted too in case a client passes them through unmapped.
const STAGE_MAP = new Map<string, string>([
  ["in_bed", "in_bed"], ["inbed", "in_bed"], ["awake_in_bed", "in_bed"],
  ["sleeping", "sleeping"], ["asleep", "sleeping"], ["asleep_unspecified", "sleeping"],
  ["awake", "awake"], ["light", "light"], ["core", "light"], ["asleep_core", "light"],
  ["deep", "deep"], ["asleep_deep", "deep"], ["rem", "rem"], ["asleep_rem", "rem"], ["unknown", "unknown"],
  ["0", "in_bed"], ["1", "sleeping"], ["2", "awake"], ["3", "light"], ["4", "deep"], ["5", "rem"],
]);

export function unifiedSleepStage(raw: string | number): string {
  const k = typeof raw === "number" ? String(raw) : raw.trim().toLowerCase();
  return STAGE_MAP.get(k) ?? "unknown";
}

// Shared, not allocated per item: a body of millions of non-objects must not churn the heap.
const NOT_A_SLEEP_ITEM = fail(REASONS.not_an_object, "sleep item must be an object");

export function normalizeSleepItem(item: unknown, ctx: BatchContext): SleepStage | Failure {
  if (!isPlainObject(item)) return NOT_A_SLEEP_ITEM;
  const raw = item.stage;
  if (raw === null || raw === undefined) return fail(REASONS.missing_field, "stage is required");
  if (typeof raw !== "string" && typeof raw !== "number") return fail(REASONS.invalid_field, "stage must be a string");
  if (typeof raw === "string" && raw.length > LIMITS.stage) return tooLongFailure("stage", LIMITS.stage);
  const w = ctx.window;
  const bad = checkLengths(item, ID_FIELDS) ?? checkWindow(item, ctx.now, w);
  if (bad) return bad;
  const src = ctx.sources.resolve(item.source);
  if ("reason" in src) return src;
  const stage = unifiedSleepStage(raw);
  return {
    key: eventKey(src.sourceKey, `sleep_stage:${stage}`, w.start, w.end),
    stage,
    startAt: w.start,
    endAt: w.end,
    sourceKey: src.sourceKey,
    source: src.source,
    externalId: idOf(item.id),
    zoneOffset: w.zoneOffset,
  };
}

/** `2025-12-25T22:00:00Z`, fractional seconds only when non-zero (the API's datetime style). */
const isoZ = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

const OPENERS = new Set(["in_bed", "sleeping", "light", "deep", "rem"]);
const DETAILED = new Set(["light", "deep", "rem"]);

function byStartThenEnd(a: SleepStage, b: SleepStage): number {
  return a.startAt - b.startAt || a.endAt - b.endAt || (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0);
}

/** Group one source's sorted, de-duplicated stages into sessions by the 120-minute gap rule. */
function cluster(sorted: SleepStage[]): SleepStage[][] {
  const sessions: SleepStage[][] = [];
  let current: SleepStage[] | null = null;
  let currentEnd = 0;
  let pending: SleepStage[] = []; // awake/unknown seen while no session is open
  for (const s of sorted) {
    if (current !== null && s.startAt - currentEnd > SLEEP_GAP_MS) {
      sessions.push(current);
      current = null;
    }
    if (current === null) {
      if (!OPENERS.has(s.stage)) {
        pending.push(s);
        continue;
      }
      current = pending.filter((p) => s.startAt - p.endAt <= SLEEP_GAP_MS);
      pending = [];
      currentEnd = current.reduce((m, p) => Math.max(m, p.endAt), s.endAt);
      current.push(s);
      continue;
    }
    current.push(s);
    if (s.endAt > currentEnd) currentEnd = s.endAt;
  }
  if (current !== null) sessions.push(current);
  return sessions;
}

interface Interval {
  stage: string;
  start: number;
  end: number;
}

function unionLength(intervals: Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const i of sorted) {
    if (i.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = i.start;
      curEnd = i.end;
    } else if (i.end > curEnd) curEnd = i.end;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

function localHour(ms: number, zone: string | null): number {
  let off = 0;
  if (zone !== null) {
    const sign = zone[0] === "-" ? -1 : 1;
    off = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000;
  }
  return new Date(ms + off).getUTCHours();
}

/** Reference "compute metrics" for one session's stages. */
function buildSession(stages: SleepStage[]): SleepSession {
  const first = stages[0]!;
  const hasAsleep = stages.some((s) => s.stage === "sleeping" || DETAILED.has(s.stage));
  const hasDetailed = stages.some((s) => DETAILED.has(s.stage));
  // Legacy devices write only in_bed → it stands for sleep. Detailed stages make the `sleeping` wrapper (Samsung)
  // and in_bed redundant; otherwise sleeping/awake are the whole story.
  const kept: Interval[] = [];
  for (const s of stages) {
    const stage = !hasAsleep && s.stage === "in_bed" ? "sleeping" : s.stage;
    const keep = hasDetailed ? DETAILED.has(stage) || stage === "awake" : stage === "sleeping" || stage === "awake";
    if (keep) kept.push({ stage, start: s.startAt, end: s.endAt });
  }
  kept.sort((a, b) => a.start - b.start || a.end - b.end);
  // Overlaps are clipped so no minute is counted twice; a stage fully inside an earlier one vanishes.
  const hypnogram: Interval[] = [];
  let prevEnd = -Infinity;
  for (const k of kept) {
    const start = Math.max(k.start, prevEnd);
    if (start >= k.end) continue;
    hypnogram.push({ stage: k.stage, start, end: k.end });
    prevEnd = k.end;
  }
  const secs: Record<string, number> = { awake: 0, sleeping: 0, light: 0, deep: 0, rem: 0 };
  for (const h of hypnogram) secs[h.stage] = (secs[h.stage] ?? 0) + (h.end - h.start) / 1000;
  const asleep = secs.sleeping! + secs.light! + secs.deep! + secs.rem!;
  const inBedIntervals = stages.filter((s) => s.stage === "in_bed").map((s) => ({ stage: "in_bed", start: s.startAt, end: s.endAt }));
  const inBed = inBedIntervals.length > 0 ? unionLength(inBedIntervals) / 1000 : asleep + secs.awake!;
  const timeInBed = Math.max(inBed, asleep + secs.awake!);

  let startAt: number;
  let endAt: number;
  if (hypnogram.length > 0) {
    startAt = hypnogram[0]!.start;
    endAt = hypnogram.reduce((m, h) => Math.max(m, h.end), -Infinity);
  } else {
    startAt = first.startAt;
    endAt = stages.reduce((m, s) => Math.max(m, s.endAt), -Infinity);
  }
  const zoneOffset = stages.find((s) => s.zoneOffset !== null)?.zoneOffset ?? null;
  const minutes = (s: number) => Math.floor(s / 60);
  const totalSleepMinutes = minutes(asleep);
  const stageMinutes: Record<string, number> = {};
  for (const [k, v] of Object.entries(secs)) stageMinutes[k] = minutes(v);
  const hour = localHour(startAt, zoneOffset);
  const details: SleepSessionDetails = {
    total_sleep_minutes: totalSleepMinutes,
    time_in_bed_minutes: minutes(timeInBed),
    efficiency_percent: timeInBed > 0 ? Math.round((asleep / timeInBed) * 10000) / 100 : null,
    stages: stageMinutes,
    hypnogram: hypnogram.slice(0, MAX_HYPNOGRAM_ENTRIES).map((h) => ({ stage: h.stage, start: isoZ(h.start), end: isoZ(h.end) })),
    ...(hypnogram.length > MAX_HYPNOGRAM_ENTRIES ? { hypnogram_truncated: true } : {}),
    is_nap: totalSleepMinutes > 0 && totalSleepMinutes < NAP_MAX_SLEEP_MINUTES && (zoneOffset === null || (hour >= 9 && hour < 21)),
    deep_minutes: stageMinutes.deep!,
    rem_minutes: stageMinutes.rem!,
    light_minutes: stageMinutes.light!,
    awake_minutes: stageMinutes.awake!,
    duration_seconds: Math.trunc((endAt - startAt) / 1000),
  };
  return {
    key: eventKey(first.sourceKey, "sleep", startAt, endAt),
    startAt,
    endAt,
    sourceKey: first.sourceKey,
    source: first.source,
    externalId: stages.find((s) => OPENERS.has(s.stage))?.externalId ?? first.externalId,
    zoneOffset,
    details,
  };
}

const idBefore = (a: string | null, b: string | null): boolean => a !== null && (b === null || a < b);

/**
 * Pure and deterministic: all stored stages of a time range (several batches, any order, duplicates allowed) →
 * sessions per source, sorted by source then start. Session keys are (sourceKey, "sleep", start, end), so
 * rebuilding from the same stages yields the same keys; a session that grew gets a new key and the caller replaces
 * the overlapping old one.
 */
export function buildSleepSessions(stages: readonly SleepStage[]): SleepSession[] {
  const bySource = new Map<string, Map<string, SleepStage>>();
  for (const s of stages) {
    let m = bySource.get(s.sourceKey);
    if (m === undefined) bySource.set(s.sourceKey, (m = new Map()));
    // Duplicates (re-sent with new ids) keep the smallest id, so the session's externalId is order-independent.
    const prev = m.get(s.key);
    if (prev === undefined || idBefore(s.externalId, prev.externalId)) m.set(s.key, s);
  }
  const out: SleepSession[] = [];
  for (const sourceKey of [...bySource.keys()].sort()) {
    const sorted = [...bySource.get(sourceKey)!.values()].sort(byStartThenEnd);
    for (const group of cluster(sorted)) out.push(buildSession(group));
  }
  return out;
}
