import type { HealthStorePort, ReadResult } from "../ports/health-store";
import type { PlatformMapping } from "./platforms";
import { ENVELOPE_OVERHEAD_BYTES, serializeItem, utf8Length, type SerializedItems } from "./payload";
import { isPlausible } from "./timestamp-sanity";

export interface ChunkLimits { maxItems: number; maxBytes: number }

/**
 * How a chunk reads its types. `anchored`: change order from each type's anchor. `newest`: the first sync's
 * newest-first walk, from each type's walk cursor down to `floor`, bounded by the type's head anchor.
 */
export type ReadMode = { kind: "anchored" } | { kind: "newest"; heads: Record<string, string> };

/** One page of a type, whichever way it was read. */
interface Page { samples: ReadResult["samples"]; position: string; hasMore: boolean }

export interface BuiltChunk {
  items: SerializedItems;
  itemCount: number;
  bytes: number;
  /** Read-key → position after the samples in this chunk (anchor, or walk cursor in `newest` mode). */
  anchors: Record<string, string>;
  /** Read keys with nothing more to read (in this mode, down to this floor) once this chunk is acknowledged. */
  completes: string[];
  perKey: Record<string, number>;
  /** Per key, the earliest start among the samples in this chunk (how far back a newest-first walk got). */
  oldest: Record<string, number>;
  implausible: number;
  /** Keys whose anchors moved but contributed no items (e.g. only implausible samples): still worth committing. */
  movedOnly: boolean;
}

interface Serialized { items: SerializedItems; count: number; bytes: number; implausible: number; oldest: number }

/**
 * Fills one upload chunk from the health store, round-robin over the types that still have data so every
 * type makes progress in every chunk. Each type is read from its committed anchor; a page that would overflow
 * the chunk is re-read with a smaller limit (OS anchors cannot be split mid-page), except a single raw sample,
 * which goes alone if it does not fit anywhere.
 */
export class ChunkBuilder {
  /** Observed items per raw sample and bytes per item, per key: sizes the next read. */
  private ratio = new Map<string, { itemsPerRaw: number; bytesPerItem: number }>();

  constructor(private readonly health: HealthStorePort, private readonly mapping: PlatformMapping, private readonly now: () => number) {}

  private serialize(res: Pick<ReadResult, "samples">): Serialized {
    const out: Serialized = { items: { records: [], sleep: [], workouts: [] }, count: 0, bytes: 0, implausible: 0, oldest: Infinity };
    const now = this.now();
    for (const raw of res.samples) {
      if (!isPlausible(raw.start, raw.end, now)) { out.implausible++; continue; }
      if (raw.start < out.oldest) out.oldest = raw.start;
      for (const p of this.mapping.toItems(raw)) {
        const json = serializeItem(p);
        out.items[p.kind].push(json);
        out.count++;
        out.bytes += utf8Length(json) + 1;
      }
    }
    return out;
  }

  async build(keys: string[], anchors: Record<string, string | null>, floor: number | null, limits: ChunkLimits, startIndex: number,
    mode: ReadMode = { kind: "anchored" }): Promise<BuiltChunk> {
    const chunk: BuiltChunk = { items: { records: [], sleep: [], workouts: [] }, itemCount: 0, bytes: ENVELOPE_OVERHEAD_BYTES,
      anchors: {}, completes: [], perKey: {}, oldest: {}, implausible: 0, movedOnly: false };
    let active = keys.slice(startIndex % Math.max(1, keys.length)).concat(keys.slice(0, startIndex % Math.max(1, keys.length)));
    // Two sweeps: a fair share per type first, then whatever room is left goes to types that still have data.
    for (let sweep = 0; sweep < 2 && active.length; sweep++) {
      const share = sweep === 0 ? Math.max(1, Math.ceil(limits.maxItems / active.length)) : limits.maxItems;
      const stillActive: string[] = [];
      for (const key of active) {
        const roomItems = limits.maxItems - chunk.itemCount;
        const roomBytes = limits.maxBytes - chunk.bytes;
        if (roomItems <= 0 || roomBytes <= 256) { stillActive.push(key); continue; }
        const more = await this.fill(chunk, key, chunk.anchors[key] ?? anchors[key] ?? null, floor, Math.min(share, roomItems), roomBytes, mode);
        if (more) stillActive.push(key);
      }
      active = stillActive;
    }
    return chunk;
  }

  /** Adds one page of `key` to the chunk. Returns true if the key has more data after it. */
  private async page(key: string, position: string | null, limit: number, floor: number | null, mode: ReadMode): Promise<Page> {
    if (mode.kind === "newest") {
      const r = await this.health.readNewest!({ key, cursor: position, limit, startAtOrAfter: floor, asOf: mode.heads[key]! });
      return { samples: r.samples, position: r.cursor, hasMore: r.hasMore };
    }
    let res = await this.health.read({ key, anchor: position, limit, startAtOrAfter: floor });
    if (res.anchorExpired) res = await this.health.read({ key, anchor: null, limit, startAtOrAfter: floor });
    return { samples: res.samples, position: res.anchor, hasMore: res.hasMore };
  }

  private async fill(chunk: BuiltChunk, key: string, anchor: string | null, floor: number | null, roomItems: number, roomBytes: number, mode: ReadMode): Promise<boolean> {
    const est = this.ratio.get(key) ?? { itemsPerRaw: 1, bytesPerItem: 400 };
    const byBytes = Math.floor(roomBytes / est.bytesPerItem / est.itemsPerRaw);
    let limit = Math.max(1, Math.min(5_000, Math.floor(roomItems / est.itemsPerRaw), byBytes));
    for (let attempt = 0; attempt < 6; attempt++) {
      const res = await this.page(key, anchor, limit, floor, mode);
      const s = this.serialize(res);
      if (res.samples.length && s.count) {
        this.ratio.set(key, { itemsPerRaw: Math.max(0.05, s.count / res.samples.length), bytesPerItem: Math.max(50, s.bytes / s.count) });
      }
      const fits = s.count <= roomItems && s.bytes <= roomBytes;
      const alone = chunk.itemCount === 0 && res.samples.length <= 1;
      if (fits || alone) {
        chunk.items.records.push(...s.items.records);
        chunk.items.sleep.push(...s.items.sleep);
        chunk.items.workouts.push(...s.items.workouts);
        chunk.itemCount += s.count;
        chunk.bytes += s.bytes;
        chunk.implausible += s.implausible;
        chunk.perKey[key] = (chunk.perKey[key] ?? 0) + s.count;
        if (s.count && s.oldest < (chunk.oldest[key] ?? Infinity)) chunk.oldest[key] = s.oldest;
        if (res.position !== anchor) { chunk.anchors[key] = res.position; if (!s.count) chunk.movedOnly = true; }
        if (!res.hasMore) chunk.completes.push(key);
        return res.hasMore;
      }
      if (res.samples.length <= 1) return true; // one sample that only fits in an empty chunk: next chunk
      const scale = Math.min(roomItems / s.count, roomBytes / s.bytes);
      limit = Math.max(1, Math.min(res.samples.length - 1, Math.floor(res.samples.length * scale * 0.9)));
    }
    return true;
  }
}
