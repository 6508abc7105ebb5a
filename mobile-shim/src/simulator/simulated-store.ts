import type { AuthorizationResult, HealthStorePort, NewestReadRequest, NewestReadResult, ProviderInfo, ReadRequest, ReadResult, StorePlatform } from "../ports/health-store";
import type { RawSample } from "../ports/raw-samples";
import { ALL_CONCEPTS, DAY_MS, factsOfDay, lateFactsWrittenOn, mix, prng, PROFILES, uuid, type Concept, type Fact } from "./facts";

const NONE: readonly Fact[] = [];
import { shapeFacts, type Shaped } from "./shape";

export type SimDevice = "ios" | "android" | "samsung";

export interface SimulatedStoreOptions {
  device: SimDevice;
  seed?: number;
  profile?: "typical" | "heavy";
  /** How much history the phone holds (days before construction time). */
  historyDays?: number;
  /** "Now" of the phone: data becomes visible once the store received it. */
  now: () => number;
  /** The person's UTC offset in minutes (data follows their local day). */
  tzMinutes?: number;
  /** Read keys the user will refuse in the permission sheet (partial grants). */
  deny?: string[];
}

/**
 * A phone's health database, generated on demand. Change order is (write time, id), the model of HealthKit
 * anchors and Health Connect changes tokens: data written late with old timestamps appears *after* the
 * anchor, exactly as on a device. Only a few days are ever materialised (LRU), so memory stays flat however
 * many years are read.
 */
export class SimulatedHealthStore implements HealthStorePort {
  readonly seed: number;
  private readonly profile;
  private readonly historyStart: number;
  private readonly tz: number;
  private active: StorePlatform;
  private granted = new Set<string>();
  private listeners = new Set<() => void>();
  private injected: { key: string; s: Shaped }[] = [];
  private cache = new Map<string, Map<string, Shaped[]>>();
  private keyConcepts = new Map<StorePlatform, Map<string, Set<Concept>>>();
  private nonce: () => number;
  private horizon = 0;
  private lateCache = new Map<string, Shaped[]>();
  private lateFacts = new Map<number, readonly Fact[]>();
  private walkDay = new Map<string, { day: number; list: Shaped[] }>();
  /** Counters for tests and benchmarks. */
  readonly reads = { calls: 0, samples: 0 };

  constructor(private readonly o: SimulatedStoreOptions) {
    this.seed = o.seed ?? 42;
    this.profile = PROFILES[o.profile ?? "typical"];
    this.tz = o.tzMinutes ?? 60;
    this.historyStart = (Math.floor(o.now() / DAY_MS) - (o.historyDays ?? 365 * 3)) * DAY_MS;
    this.active = o.device === "ios" ? "healthkit" : "healthconnect";
    this.nonce = prng(mix(this.seed, "nonce"));
  }

  platform(): StorePlatform { return this.active; }

  async getAvailableProviders(): Promise<ProviderInfo[]> {
    if (this.o.device === "ios") return [];
    return [{ id: "google", displayName: "Health Connect", isAvailable: true },
      { id: "samsung", displayName: "Samsung Health", isAvailable: this.o.device === "samsung" }];
  }

  async setProvider(id: string): Promise<boolean> {
    if (this.o.device === "ios") return true;
    if (id === "google") { this.active = "healthconnect"; return true; }
    if (id === "samsung" && this.o.device === "samsung") { this.active = "samsung"; return true; }
    return false;
  }

  async requestAuthorization(keys: string[]): Promise<AuthorizationResult> {
    for (const k of keys) if (!this.o.deny?.includes(k)) this.granted.add(k);
    if (this.active === "healthkit") return { granted: null };
    return { granted: keys.filter((k) => this.granted.has(k)), background: true, history: true };
  }

  observe(_keys: string[], onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => { this.listeners.delete(onChange); };
  }

  /** Tells observers new data may be visible (the CLI calls it as time passes; inject() calls it). */
  notifyChange(): void { for (const l of [...this.listeners]) l(); }

  async deviceInfo() {
    return this.o.device === "ios" ? { manufacturer: "Apple", model: "iPhone15,2", osVersion: "17.4.1" }
      : { manufacturer: this.o.device === "samsung" ? "samsung" : "Google", model: this.o.device === "samsung" ? "SM-S918B" : "Pixel 8", osVersion: "14" };
  }

  /** Test hook: a sample written now (or at `writtenAt`) — late data, absurd timestamps, duplicates from other apps. */
  inject(raw: RawSample, writtenAt = this.o.now()): void {
    // Never "in the past" of an anchor already handed out: a real store's change log only grows.
    writtenAt = Math.max(writtenAt, this.horizon + 1);
    const key = raw.platform === "healthkit" ? raw.type : raw.platform === "healthconnect" ? raw.recordType : raw.dataType;
    const id = raw.platform === "healthkit" ? raw.uuid : raw.platform === "healthconnect" ? raw.id : raw.uid;
    this.injected.push({ key, s: { written: writtenAt, id, raw } });
    this.notifyChange();
  }

  /** Which fact concepts produce each read key on the active platform (learned once from one full day). */
  private conceptsOf(key: string): ReadonlySet<Concept> {
    let map = this.keyConcepts.get(this.active);
    if (!map) {
      map = new Map();
      for (const c of ALL_CONCEPTS) {
        const only = new Set([c]);
        // Weekly and occasional measurements need a few weeks of sample days to show up.
        const days = c === "hr" || c === "activity" ? [20_000] : Array.from({ length: 77 }, (_, i) => 20_000 + i);
        const facts = days.flatMap((d) => factsOfDay(this.seed, d, this.profile, this.tz, only));
        for (const k of shapeFacts(this.active, facts, this.seed, () => "").keys()) {
          const set = map.get(k) ?? new Set<Concept>();
          set.add(c);
          map.set(k, set);
        }
      }
      this.keyConcepts.set(this.active, map);
    }
    return map.get(key) ?? new Set();
  }

  private shapedDataDay(day: number, key: string): Map<string, Shaped[]> {
    const concepts = this.conceptsOf(key);
    const cacheKey = `${this.active}|${day}|${[...concepts].sort().join(",")}`;
    let m = this.cache.get(cacheKey);
    if (m) { this.cache.delete(cacheKey); this.cache.set(cacheKey, m); return m; }
    const exists = concepts.size > 0 && day * DAY_MS >= this.historyStart;
    const facts = exists ? factsOfDay(this.seed, day, this.profile, this.tz, concepts) : [];
    m = shapeFacts(this.active, facts, this.seed, () => uuid(this.nonce));
    const late = this.lateWrittenOn(day, key);
    if (late.length) m.set(`late:${key}`, late);
    this.cache.set(cacheKey, m);
    if (this.cache.size > 48) this.cache.delete(this.cache.keys().next().value!);
    return m;
  }

  /** Samples of `key` about the past that the store received on UTC day `day` (cheap: most days have none). */
  private lateWrittenOn(day: number, key: string): Shaped[] {
    // Most days have no late writes at all: answer those without building a key.
    let facts = this.lateFacts.get(day);
    if (!facts) {
      facts = day * DAY_MS >= this.historyStart ? lateFactsWrittenOn(this.seed, day, this.tz) : NONE;
      if (!facts.length) facts = NONE;
      if (this.lateFacts.size > 20_000) this.lateFacts.clear();
      this.lateFacts.set(day, facts);
    }
    if (facts === NONE) return [];
    const cacheKey = `${this.active}|${day}|${key}`;
    let list = this.lateCache.get(cacheKey);
    if (list) return list;
    const concepts = this.conceptsOf(key);
    const late = concepts.size > 0 ? facts.filter((f) => concepts.has(f.c)) : [];
    list = late.length ? shapeFacts(this.active, late, this.seed + 1, () => uuid(this.nonce)).get(key) ?? [] : [];
    if (this.lateCache.size > 4_000) this.lateCache.clear();
    this.lateCache.set(cacheKey, list);
    return list;
  }

  /** Every sample of `key` (injected ones aside) whose start falls on UTC day `d`, newest first. */
  private startedOn(key: string, d: number): Shaped[] {
    const cached = this.walkDay.get(key);
    if (cached?.day === d) return cached.list;
    const from = d * DAY_MS, to = from + DAY_MS;
    const inDay = (s: Shaped) => s.raw.start >= from && s.raw.start < to;
    const out: Shaped[] = [];
    // Data of a day may start the evening before or end after midnight (time zones, sleep).
    for (let dd = d - 1; dd <= d + 1; dd++) for (const s of this.shapedDataDay(dd, key).get(key) ?? []) if (inDay(s)) out.push(s);
    // Late writes about day d arrive 3–42 days after it (lateFactsWrittenOn).
    for (let w = d + 2; w <= d + 45; w++) for (const s of this.lateWrittenOn(w, key)) if (inDay(s)) out.push(s);
    out.sort(newestFirst);
    this.walkDay.set(key, { day: d, list: out });
    return out;
  }

  async headAnchor(key: string): Promise<string> {
    const now = Math.max(this.o.now(), ...this.injected.map((i) => i.s.written));
    this.horizon = Math.max(this.horizon, now);
    void key;
    return `v1:${now}:\uffff`;
  }

  async readNewest(req: NewestReadRequest): Promise<NewestReadResult> {
    this.reads.calls++;
    if (!this.granted.has(req.key)) return { samples: [], cursor: req.cursor ?? "n1:0:", hasMore: false };
    const now = Math.max(this.o.now(), ...this.injected.map((i) => i.s.written));
    const asOf = parseAnchor(req.asOf);
    const cursor = parseCursor(req.cursor);
    const floor = req.startAtOrAfter ?? -Infinity;
    const ok = (s: Shaped) => s.written <= now && (!asOf || s.written < asOf.w || (s.written === asOf.w && s.id <= asOf.id))
      && s.raw.start >= floor && (!cursor || s.raw.start < cursor.start || (s.raw.start === cursor.start && s.id < cursor.id));
    const topDay = cursor ? Math.floor(cursor.start / DAY_MS) : Math.floor(now / DAY_MS) + 1;
    // Late writes can be about days up to ~45 days before the first day of history.
    const lowDay = Math.max(Math.floor(this.historyStart / DAY_MS) - 46, Number.isFinite(floor) ? Math.floor(floor / DAY_MS) : -Infinity);
    const picked: Shaped[] = [];
    let d = Math.min(topDay, Math.floor(now / DAY_MS) + 1);
    for (; d >= lowDay && picked.length <= req.limit; d--) for (const s of this.startedOn(req.key, d)) if (ok(s)) picked.push(s);
    // Injected samples (any time, even absurd future ones) join at their place in the order.
    const boundary = d >= lowDay ? (d + 1) * DAY_MS : -Infinity;
    for (const i of this.injected) if (i.key === req.key && ok(i.s) && i.s.raw.start >= boundary) picked.push(i.s);
    picked.sort(newestFirst);
    const hasMore = picked.length > req.limit;
    const page = picked.slice(0, req.limit);
    const last = page[page.length - 1];
    this.reads.samples += page.length;
    const samples = page.map((s) => s.raw.platform === "samsung" && s.raw.isAggregate ? { ...s.raw, uid: uuid(this.nonce) } : s.raw);
    return { samples, cursor: last ? `n1:${last.raw.start}:${last.id}` : req.cursor ?? `n1:${Number.MAX_SAFE_INTEGER}:`, hasMore };
  }

  /** Samples of `key` the store received during UTC day `d`, in change order. */
  private writtenOn(key: string, d: number): Shaped[] {
    const from = d * DAY_MS, to = from + DAY_MS;
    const inDay = (s: Shaped) => s.written >= from && s.written < to;
    const out = [
      ...(this.shapedDataDay(d - 1, key).get(key) ?? []).filter(inDay),
      ...(this.shapedDataDay(d, key).get(key) ?? []).filter(inDay),
      ...(this.shapedDataDay(d, key).get(`late:${key}`) ?? []),
      ...this.injected.filter((i) => i.key === key && inDay(i.s)).map((i) => i.s),
    ];
    return out.sort((a, b) => a.written - b.written || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async read(req: ReadRequest): Promise<ReadResult> {
    this.reads.calls++;
    if (!this.granted.has(req.key)) return { samples: [], anchor: req.anchor ?? "v1:0:", hasMore: false };
    // Injected samples are visible at once even if the (fake) clock has not moved.
    const now = Math.max(this.o.now(), ...this.injected.map((i) => i.s.written));
    const cursor = parseAnchor(req.anchor);
    const firstDay = Math.floor(Math.max(cursor?.w ?? 0, this.historyStart, req.startAtOrAfter ?? 0, 0) / DAY_MS);
    const lastDay = Math.floor(now / DAY_MS);
    const picked: Shaped[] = [];
    scan: for (let d = firstDay; d <= lastDay; d++) {
      for (const s of this.writtenOn(req.key, d)) {
        if (s.written > now) break scan;
        if (cursor && (s.written < cursor.w || (s.written === cursor.w && s.id <= cursor.id))) continue;
        if (req.startAtOrAfter !== null && s.raw.start < req.startAtOrAfter) continue;
        picked.push(s);
        if (picked.length > req.limit) break scan;
      }
    }
    const hasMore = picked.length > req.limit;
    const page = picked.slice(0, req.limit);
    const last = page[page.length - 1];
    // Caught up: the anchor moves to "now" so later reads do not rescan history (HK anchors do the same).
    this.horizon = Math.max(this.horizon, now);
    const anchor = hasMore ? `v1:${last!.written}:${last!.id}` : `v1:${now}:\uffff`;
    this.reads.samples += page.length;
    // Samsung aggregates come back with a new random uid on every read: the quirk the mapper must absorb.
    const samples = page.map((s) => s.raw.platform === "samsung" && s.raw.isAggregate ? { ...s.raw, uid: uuid(this.nonce) } : s.raw);
    return { samples, anchor, hasMore };
  }
}

const newestFirst = (a: Shaped, b: Shaped) => b.raw.start - a.raw.start || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function parseCursor(c: string | null): { start: number; id: string } | null {
  if (!c) return null;
  const m = /^n1:(-?\d+):(.*)$/s.exec(c);
  return m ? { start: Number(m[1]), id: m[2]! } : null;
}

function parseAnchor(a: string | null): { w: number; id: string } | null {
  if (!a) return null;
  const m = /^v1:(\d+):(.*)$/s.exec(a);
  return m ? { w: Number(m[1]), id: m[2]! } : null;
}
