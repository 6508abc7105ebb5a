import { describe, expect, it } from "vitest";
import { normalizeEnvelope } from "../../src/ingest/index";
import { LIMITS, MAX_SOURCES_PER_USER, REJECTION_SAMPLE_SIZE } from "../../src/ingest/limits";
import { buildSleepSessions, MAX_HYPNOGRAM_ENTRIES } from "../../src/ingest/sleep";
import { SOURCE_FIELDS } from "../../src/ingest/source";
import { IOS_SOURCES, isoSec, normalized, type Item } from "./fixtures";

const T = Date.UTC(2026, 1, 20, 8, 0, 0);
const NOW = T + 3_600_000;
const long = (n: number) => "x".repeat(n);

const rec = (over: Item = {}, i = 0): Item => ({
  id: `R${i}`, type: "HKQuantityTypeIdentifierHeartRate", startDate: isoSec(T + i * 1000), endDate: isoSec(T + i * 1000),
  zoneOffset: null, source: IOS_SOURCES.watch, value: 70, unit: "bpm", parentId: null, metadata: null, ...over,
});
const workout = (over: Item = {}): Item => ({
  id: "W", type: "running", startDate: isoSec(T), endDate: isoSec(T + 600_000), zoneOffset: null, source: IOS_SOURCES.watch,
  title: null, notes: null, values: [{ type: "distance", value: 1000, unit: "m" }], ...over,
});
const stage = (over: Item = {}): Item => ({
  id: "S", stage: "deep", startDate: isoSec(T), endDate: isoSec(T + 600_000), zoneOffset: null, source: IOS_SOURCES.watch, ...over,
});
const envelope = (records: Item[], workouts: Item[] = [], sleep: Item[] = []) =>
  ({ provider: "apple", sdkVersion: "0.6.0", syncTimestamp: isoSec(NOW), data: { records, workouts, sleep } });

/** `bad` between two good records: rejected alone with field_too_long, the others kept. */
function tooLong(bad: Item) {
  const b = normalized(envelope([rec({}, 0), bad, rec({}, 2)]), NOW);
  expect(b.samples.map((s) => s.externalId)).toEqual(["R0", "R2"]);
  expect(b.rejected).toHaveLength(1);
  expect(b.rejected[0]).toMatchObject({ collection: "records", index: 1, reason: "field_too_long" });
  expect(b.rejected[0]!.message.length).toBeLessThanOrEqual(200);
  expect((b.rejected[0]!.id ?? "").length).toBeLessThanOrEqual(LIMITS.id);
  return b.rejected[0]!;
}

describe("every string field of an item has a maximum length", () => {
  it("records: id, parentId, type, unit, value, timestamps, zone, each source field; at the limit is fine", () => {
    const r = (over: Item) => rec(over, 1);
    expect(tooLong(r({ id: long(LIMITS.id + 1) })).message).toBe("id is longer than 256 characters");
    tooLong(r({ parentId: long(LIMITS.id + 1) }));
    tooLong(r({ type: long(LIMITS.type + 1) }));
    tooLong(r({ unit: long(LIMITS.unit + 1) }));
    tooLong(r({ value: "1".repeat(LIMITS.scalar + 1) }));
    tooLong(r({ startDate: `${isoSec(T)}${" ".repeat(LIMITS.scalar)}` }));
    tooLong(r({ zoneOffset: `+01:00${long(20)}` }));
    for (const field of ["appId", "deviceId", "deviceName", "deviceManufacturer", "deviceModel", "deviceSoftwareVersion", "name", "bundleIdentifier"]) {
      expect(tooLong(r({ source: { ...IOS_SOURCES.watch, [field]: long(LIMITS.sourceField + 1) } })).message).toContain(`source.${field}`);
    }
    const ok = normalized(envelope([rec({ id: long(LIMITS.id), source: { ...IOS_SOURCES.watch, deviceName: long(LIMITS.sourceField) } })]), NOW);
    expect(ok.samples).toHaveLength(1);
  });

  it("the same source with a long field is rejected wherever it appears, even after a short-field twin was cached", () => {
    const big = { ...IOS_SOURCES.watch, deviceSoftwareVersion: long(3_000_000) };
    const b = normalized(envelope([rec({}, 0), rec({ source: big }, 1), rec({ source: big }, 2)]), NOW);
    expect(b.samples).toHaveLength(1);
    expect(b.rejected.map((r) => r.reason)).toEqual(["field_too_long", "field_too_long"]);
  });

  it("workouts (title, notes, type, statistic type/unit) and sleep (stage, id)", () => {
    const b = normalized(envelope([], [
      workout({ title: long(LIMITS.title + 1) }), workout({ notes: long(LIMITS.notes + 1) }), workout({ type: long(LIMITS.type + 1) }),
      workout({ values: [{ type: long(LIMITS.type + 1), value: 1 }] }), workout({ values: [{ type: "distance", value: 1, unit: long(LIMITS.unit + 1) }] }),
      workout({ title: long(LIMITS.title), notes: long(LIMITS.notes) }),
    ], [stage({ stage: long(LIMITS.stage + 1) }), stage({ id: long(3_000_000) }), stage()]), NOW);
    expect(b.workouts).toHaveLength(1);
    expect(b.sleepStages).toHaveLength(1);
    expect(b.rejected.map((r) => [r.collection, r.index, r.reason])).toEqual([
      ["workouts", 0, "field_too_long"], ["workouts", 1, "field_too_long"], ["workouts", 2, "field_too_long"],
      ["workouts", 3, "field_too_long"], ["workouts", 4, "field_too_long"],
      ["sleep", 0, "field_too_long"], ["sleep", 1, "field_too_long"],
    ]);
    expect(b.rejected[6]!.id).toHaveLength(LIMITS.id);
  });

  it("envelope: an absurd provider is echoed shortened; long sdkVersion/syncTimestamp are dropped, not the batch", () => {
    const r = normalizeEnvelope({ provider: long(3_000_000), data: {} }, { now: NOW });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.detail.length).toBeLessThan(120);
    const b = normalized({ ...envelope([rec()]), sdkVersion: long(65), syncTimestamp: long(65) }, NOW);
    expect(b).toMatchObject({ sdkVersion: null, syncTimestamp: null });
    expect(b.samples).toHaveLength(1);
  });
});

describe("bounded bookkeeping", () => {
  it("keeps the first rejections and counts the rest", () => {
    const bad = Array.from({ length: 500 }, (_, i) => rec({ id: long(60_000), value: "nope" }, i));
    const b = normalized(envelope([...bad, rec({}, 999)]), NOW);
    expect(b.droppedCount).toBe(500);
    expect(b.rejected).toHaveLength(REJECTION_SAMPLE_SIZE);
    expect(b.rejected.every((r) => r.id!.length <= LIMITS.id)).toBe(true);
    expect(b.samples).toHaveLength(1);
  });

  it("admits new sources while there is room, then rejects their items with too_many_sources", () => {
    const src = (i: number) => ({ ...IOS_SOURCES.watch, deviceId: `dev-${i}` });
    const records = Array.from({ length: 10 }, (_, i) => rec({ source: src(i % 5) }, i));
    const known = new Set<string>();
    const first = normalizeEnvelope(envelope(records), { now: NOW, sources: { has: (k) => known.has(k), room: 3 } });
    if (!first.ok) throw new Error(first.detail);
    // Sources 0-2 fit, 3-4 do not; every item of a refused source is rejected on its own.
    expect(new Set(first.batch.samples.map((s) => s.sourceKey)).size).toBe(3);
    expect(first.batch.samples).toHaveLength(6);
    expect(first.batch.rejected.map((r) => [r.index, r.reason])).toEqual([[3, "too_many_sources"], [4, "too_many_sources"], [8, "too_many_sources"], [9, "too_many_sources"]]);
    // Known sources never count against the bound.
    for (const s of first.batch.samples) known.add(s.sourceKey);
    const again = normalizeEnvelope(envelope(records.slice(0, 3)), { now: NOW, sources: { has: (k) => known.has(k), room: 0 } });
    expect(again.ok && again.batch.samples).toHaveLength(3);
    expect(MAX_SOURCES_PER_USER).toBeGreaterThanOrEqual(100);
  });

  it("a session's hypnogram is cut at its bound (totals still count every stage)", () => {
    const n = MAX_HYPNOGRAM_ENTRIES + 500;
    const stages = Array.from({ length: n }, (_, i) => stage({ id: `S${i}`, stage: i % 2 ? "deep" : "light", startDate: isoSec(T + i * 60_000), endDate: isoSec(T + (i + 1) * 60_000) }));
    const b = normalized(envelope([], [], stages), T + n * 60_000 + 3_600_000);
    const [session] = buildSleepSessions(b.sleepStages);
    expect(session!.details.hypnogram).toHaveLength(MAX_HYPNOGRAM_ENTRIES);
    expect(session!.details.hypnogram_truncated).toBe(true);
    expect(session!.details.total_sleep_minutes).toBe(n);
    expect(JSON.stringify(session!.details).length).toBeLessThan(300_000);
  });
});

describe("source resolution cache", () => {
  it("compares every bounded source field: a long value is rejected even right after the same source with a short one", () => {
    for (const field of SOURCE_FIELDS) {
      const short = { ...IOS_SOURCES.watch, [field]: "short" };
      const long = { ...IOS_SOURCES.watch, [field]: "L".repeat(LIMITS.sourceField + 1) };
      const b = normalized(envelope([rec({ source: short }, 0), rec({ source: long }, 1), rec({ source: { ...short } }, 2)]), NOW);
      expect(b.rejected.map((r) => [r.index, r.reason]), field).toEqual([[1, "field_too_long"]]);
      expect(b.samples, field).toHaveLength(2);
    }
  });

  it("gives every item its own source's key, with more interleaved sources than the recent list holds", () => {
    const srcs = Array.from({ length: 11 }, (_, i) => ({ ...IOS_SOURCES.watch, deviceId: i % 2 ? `d${i}` : null, deviceName: `W${i}` }));
    const extra = { ...IOS_SOURCES.watch, deviceName: "W0", newField: "x" }; // same identity as source 0, more keys
    const nested = { ...IOS_SOURCES.watch, deviceName: "W0", operatingSystemVersion: { majorVersion: 12, minorVersion: 0, patchVersion: 0 } };
    const all = [...srcs, extra, nested];
    const records = Array.from({ length: 200 }, (_, i) => rec({ source: JSON.parse(JSON.stringify(all[(i * 7) % all.length])) }, i));
    const b = normalized(envelope(records), NOW);
    expect(b.samples).toHaveLength(200);
    for (const [i, s] of b.samples.entries()) {
      const want = all[(i * 7) % all.length]!;
      expect(JSON.parse(s.sourceKey)[5]).toBe(want.deviceName);
      expect(JSON.parse(s.sourceKey)[2]).toBe(want.deviceId);
    }
    expect(new Set(b.samples.map((s) => s.sourceKey)).size).toBe(11);
  });
});
