import type { PayloadProvider } from "@ow/contract";
export type { PayloadRecord, PayloadSleep, PayloadSource, PayloadWorkout } from "@ow/contract";
import type { PayloadRecord, PayloadSleep, PayloadSource, PayloadWorkout } from "@ow/contract";

export type PayloadItem =
  | { kind: "records"; item: PayloadRecord }
  | { kind: "sleep"; item: PayloadSleep }
  | { kind: "workouts"; item: PayloadWorkout };

let lastSecond = NaN, lastIso = "";
/** ISO-8601 UTC with `Z` and second precision, as both official SDKs send. */
export function isoSeconds(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  // Consecutive calls often ask for the same second (start = end of instant samples).
  if (second !== lastSecond) { lastSecond = second; lastIso = new Date(second * 1000).toISOString().replace(".000Z", "Z"); }
  return lastIso;
}

/** Source objects repeat in almost every item: their JSON is computed once per object (mappers reuse them). */
const sourceJson = new WeakMap<object, string>();
function sourceText(src: PayloadSource | null): string {
  if (src === null) return "null";
  let text = sourceJson.get(src);
  if (text === undefined) { text = JSON.stringify(src); sourceJson.set(src, text); }
  return text;
}

const PAYLOAD_SOURCES_MAX = 256;
/**
 * Returns one shared object per distinct source (by `key`), so serialization can cache its JSON. Bounded: a
 * store with many distinct sources just stops sharing.
 */
export function sharedSource(cache: Map<string, PayloadSource>, key: string, make: () => PayloadSource): PayloadSource {
  let src = cache.get(key);
  if (!src) {
    src = make();
    if (cache.size >= PAYLOAD_SOURCES_MAX) cache.clear();
    cache.set(key, src);
  }
  return src;
}

/** `ZoneOffset.toString()` style: "Z", "+01:00", "-05:30". */
export function zoneOffsetString(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  if (seconds === 0) return "Z";
  const sign = seconds < 0 ? "-" : "+";
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, "0");
  return `${sign}${hh}:${mm}`;
}

/** Byte length of a string in UTF-8 without TextEncoder (the core uses no host globals). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the whole ASCII set, on purpose.
const NON_ASCII = /[^\x00-\x7f]/;
export function utf8Length(s: string): number {
  if (!NON_ASCII.test(s)) return s.length; // almost every item: one native scan instead of a loop
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** Serialized pieces of one chunk, kept as JSON strings so size is known while the chunk is being filled. */
export interface SerializedItems { records: string[]; sleep: string[]; workouts: string[] }

export const ENVELOPE_OVERHEAD_BYTES = 200;

/**
 * Builds the body text from pre-serialized items. Key order matches the official SDKs; all three collections
 * are always present.
 */
export function buildEnvelope(provider: PayloadProvider, sdkVersion: string, syncTimestamp: string, items: SerializedItems): string {
  return `{"provider":${JSON.stringify(provider)},"sdkVersion":${JSON.stringify(sdkVersion)},` +
    `"syncTimestamp":${JSON.stringify(syncTimestamp)},"data":{"records":[${items.records.join(",")}],` +
    `"sleep":[${items.sleep.join(",")}],"workouts":[${items.workouts.join(",")}]}}`;
}

/** Serializes one item with keys in the official order (JSON.stringify keeps insertion order). */
export function serializeItem(p: PayloadItem): string {
  if (p.kind === "records") {
    const r = p.item;
    // The hot path (most items are records): the same text JSON.stringify gives, with the source's JSON cached.
    const j = JSON.stringify;
    return `{"id":${j(r.id)},"type":${j(r.type)},"startDate":${j(r.startDate)},"endDate":${j(r.endDate)},` +
      `"zoneOffset":${j(r.zoneOffset ?? null)},"source":${sourceText(r.source ?? null)},"value":${j(r.value ?? null)},` +
      `"unit":${j(r.unit ?? null)},"parentId":${j(r.parentId ?? null)},"metadata":${j(r.metadata ?? null)}}`;
  }
  if (p.kind === "sleep") {
    const s = p.item;
    return JSON.stringify({ id: s.id, parentId: s.parentId, stage: s.stage, startDate: s.startDate, endDate: s.endDate,
      zoneOffset: s.zoneOffset, source: s.source, values: s.values, metadata: s.metadata });
  }
  const w = p.item;
  return JSON.stringify({ id: w.id, parentId: w.parentId, type: w.type, startDate: w.startDate, endDate: w.endDate,
    zoneOffset: w.zoneOffset, source: w.source, title: w.title, notes: w.notes, values: w.values, segments: w.segments,
    laps: w.laps, route: w.route, samples: w.samples, metadata: w.metadata });
}

/** Stable content-derived id (FNV-1a 64 → UUID-shaped), for items the OS gives no stable id (Samsung aggregates). */
export function stableId(...parts: (string | number)[]): string {
  const text = parts.join("|");
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619) >>> 0;
    h2 = Math.imul(h2 ^ c, 2246822519) >>> 0;
  }
  const h3 = Math.imul(h1 ^ (h2 >>> 7), 3266489917) >>> 0;
  const h4 = Math.imul(h2 ^ (h1 >>> 11), 668265263) >>> 0;
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  const s = hex(h1) + hex(h2) + hex(h3) + hex(h4);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-5${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
