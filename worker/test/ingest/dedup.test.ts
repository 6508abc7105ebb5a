import { describe, expect, it } from "vitest";
import type { NormalizedBatch } from "../../src/ingest/index";
import { IOS_SOURCES, healthConnectBatch, iosBatch, isoSec, normalized, samsungBatch, type Item, type SdkEnvelope } from "./fixtures";

const START = Date.UTC(2026, 1, 20, 22, 0, 0);
const NOW = START + 10 * 86_400_000;
const keys = (b: NormalizedBatch) => ({
  samples: b.samples.map((s) => s.key).sort(),
  workouts: b.workouts.map((w) => w.key).sort(),
  stages: b.sleepStages.map((s) => s.key).sort(),
});

describe("dedup keys", () => {
  it("are natural keys: a re-send with new ids gives the same keys (every platform)", () => {
    for (const build of [iosBatch, healthConnectBatch, samsungBatch]) {
      const a = normalized(build({ start: START, records: 60, workouts: 2, sleepNights: 1 }), NOW);
      const b = normalized(build({ start: START, records: 60, workouts: 2, sleepNights: 1, idSalt: "re-read" }), NOW);
      expect(a.samples.map((s) => s.externalId)).not.toEqual(b.samples.map((s) => s.externalId));
      expect(keys(b)).toEqual(keys(a));
      expect(a.samples.length).toBeGreaterThan(0);
    }
  });

  it("Samsung hourly aggregates re-read with new random ids collapse", () => {
    const a = samsungBatch({ start: START, records: 28 });
    const b = samsungBatch({ start: START, records: 28, idSalt: "second read" });
    const stepsA = a.data.records.filter((r) => r.type === "STEP_COUNT");
    const stepsB = b.data.records.filter((r) => r.type === "STEP_COUNT");
    expect(stepsA.map((r) => r.id)).not.toEqual(stepsB.map((r) => r.id));
    const both = normalized({ ...a, data: { ...a.data, records: [...stepsA, ...stepsB] } }, NOW);
    expect(both.samples).toHaveLength(stepsA.length);
    expect(both.inBatchDuplicates).toBe(stepsB.length);
  });

  it("the same sample from two apps or two devices stays two samples", () => {
    const base = iosBatch({ start: START, records: 1 }).data.records[0]!;
    const otherApp = { ...base, id: "B", source: { ...IOS_SOURCES.watch, appId: "com.strava" } };
    const otherDevice = { ...base, id: "C", source: { ...IOS_SOURCES.watch, deviceModel: "Watch6,1" } };
    const b = normalized({ provider: "apple", sdkVersion: "0.6.0", syncTimestamp: isoSec(START), data: { records: [base, otherApp, otherDevice], sleep: [], workouts: [] } }, NOW);
    expect(b.samples).toHaveLength(3);
    expect(new Set(b.samples.map((s) => s.sourceKey)).size).toBe(3);
    expect(b.inBatchDuplicates).toBe(0);
  });

  it("the same data from another provider is another source", () => {
    const a = normalized(healthConnectBatch({ start: START, records: 13 }), NOW);
    const asSamsung = { ...healthConnectBatch({ start: START, records: 13 }), provider: "samsung" };
    const b = normalized(asSamsung, NOW);
    expect(a.samples[0]!.key).not.toBe(b.samples[0]!.key);
  });

  it("ignores fields outside the identity (versions, recording method, deviceType)", () => {
    const base = iosBatch({ start: START, records: 1 }).data.records[0]!;
    const updated = { ...base, source: { ...IOS_SOURCES.watch, deviceSoftwareVersion: "12.0", recordingMethod: "automatic", deviceType: null } };
    const a = normalized({ provider: "apple", data: { records: [base] } }, NOW);
    const b = normalized({ provider: "apple", data: { records: [updated] } }, NOW);
    expect(b.samples[0]!.key).toBe(a.samples[0]!.key);
  });

  it("inside one batch: the last sample wins, the first workout / stage wins, all counted", () => {
    const r = iosBatch({ start: START, records: 1 }).data.records[0]!;
    const later = { ...r, id: "NEW", value: 99 };
    const body = iosBatch({ start: START, workouts: 1, sleepNights: 1 });
    const wo = body.data.workouts[0]!;
    const st = body.data.sleep[0]!;
    const b = normalized({ ...body, data: { records: [r, later], workouts: [wo, { ...wo, id: "W-DUP" }], sleep: [st, { ...st, id: "S-DUP" }] } }, NOW);
    expect(b.samples).toHaveLength(1 + 6); // one heart rate + the workout's statistic samples
    expect(b.samples[0]).toMatchObject({ value: 99, externalId: "NEW" });
    expect(b.workouts.map((w) => w.externalId)).toEqual([wo.id]);
    expect(b.sleepStages.map((s) => s.externalId)).toEqual([st.id]);
    expect(b.inBatchDuplicates).toBe(3);
  });

  it("differ for different series, instants and windows", () => {
    const r: Item = iosBatch({ start: START, records: 1 }).data.records[0]!;
    const b = normalized({ provider: "apple", data: { records: [r, { ...r, startDate: isoSec(START + 1000), endDate: isoSec(START + 1000) }, { ...r, type: "HKQuantityTypeIdentifierRestingHeartRate" }] } }, NOW);
    expect(new Set(b.samples.map((s) => s.key)).size).toBe(3);
  });

  it("are stable across any split of a batch", () => {
    const whole: SdkEnvelope = iosBatch({ start: START, records: 100, workouts: 3, sleepNights: 2 });
    const split = (from: number, to: number): SdkEnvelope => ({
      ...whole,
      data: {
        records: whole.data.records.slice(from * 25, to * 25),
        workouts: whole.data.workouts.slice(from, to),
        sleep: whole.data.sleep.slice(from * 6, to * 6),
      },
    });
    const parts = [split(3, 4), split(0, 1), split(2, 3), split(1, 2)].map((p) => normalized(p, NOW));
    const union = (f: (b: NormalizedBatch) => string[]) => parts.flatMap(f).sort();
    const all = keys(normalized(whole, NOW));
    expect(union((b) => b.samples.map((s) => s.key))).toEqual(all.samples);
    expect(union((b) => b.workouts.map((w) => w.key))).toEqual(all.workouts);
    expect(union((b) => b.sleepStages.map((s) => s.key))).toEqual(all.stages);
  });
});
