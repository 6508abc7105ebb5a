import { describe, expect, it } from "vitest";
import { REASONS, SERIES_TYPES, normalizeEnvelope, type Rejection } from "../../src/ingest/index";
import { IOS_SOURCES, isoSec, normalized, type Item } from "./fixtures";

const T = Date.UTC(2026, 1, 20, 8, 0, 0);
const NOW = T + 3_600_000;

function rec(over: Item = {}): Item {
  return {
    id: "A1B2C3D4-0000-4000-8000-000000000001", type: "HKQuantityTypeIdentifierHeartRate", startDate: isoSec(T),
    endDate: isoSec(T), zoneOffset: null, source: IOS_SOURCES.watch, value: 70, unit: "bpm", parentId: null,
    metadata: null, ...over,
  };
}
const envelope = (records: unknown[], extra: { sleep?: unknown[]; workouts?: unknown[]; provider?: string } = {}) => ({
  provider: extra.provider ?? "apple", sdkVersion: "0.6.0", syncTimestamp: isoSec(NOW),
  data: { records, sleep: extra.sleep ?? [], workouts: extra.workouts ?? [] },
});
/** One bad record between two good ones: the bad one is reported, the good ones survive. */
function rejectOne(bad: unknown, provider = "apple"): Rejection {
  const b = normalized(envelope([rec(), bad, rec({ startDate: isoSec(T + 1000), endDate: isoSec(T + 1000) })], { provider }), NOW);
  expect(b.samples).toHaveLength(2);
  expect(b.rejected).toHaveLength(1);
  expect(b.rejected[0]).toMatchObject({ collection: "records", index: 1 });
  return b.rejected[0]!;
}

describe("envelope", () => {
  it("rejects non-objects with the reference wording", () => {
    for (const body of [null, [], "x", 3]) {
      expect(normalizeEnvelope(body, { now: NOW })).toEqual({ ok: false, status: 400, detail: "Input should be a valid dictionary" });
    }
  });

  it("rejects a missing or unsupported provider, lower-cases it once (REF-BUG #8)", () => {
    expect(normalizeEnvelope({ data: {} }, { now: NOW })).toEqual({
      ok: false, status: 400, detail: "Unsupported provider: . Supported: apple, samsung, google",
    });
    expect(normalizeEnvelope({ provider: "Fitbit" }, { now: NOW })).toMatchObject({ detail: "Unsupported provider: fitbit. Supported: apple, samsung, google" });
    const r = normalizeEnvelope({ ...envelope([rec({ type: "HKQuantityTypeIdentifierBodyFatPercentage", unit: "%", value: 0.2 })]), provider: "Apple" }, { now: NOW });
    expect(r.ok && r.batch.provider).toBe("apple");
    expect(r.ok && r.batch.samples[0]!.value).toBe(20); // the apple-only ×100 applies to "Apple" too
  });

  it("rejects data or a collection of the wrong kind, defaults missing ones to empty", () => {
    expect(normalizeEnvelope({ provider: "apple", data: [] }, { now: NOW })).toMatchObject({ ok: false, detail: "data: Input should be a valid dictionary" });
    expect(normalizeEnvelope({ provider: "apple", data: { records: {} } }, { now: NOW })).toMatchObject({ ok: false, detail: "data.records: Input should be a valid list" });
    const r = normalizeEnvelope({ provider: "google" }, { now: NOW });
    expect(r.ok && r.batch).toMatchObject({ sdkVersion: null, syncTimestamp: null, received: { records: 0, workouts: 0, sleep: 0 } });
  });

  it("tolerates unknown extra fields everywhere", () => {
    const body = { ...envelope([rec({ futureField: { a: 1 }, source: { ...IOS_SOURCES.watch, newKey: true } })]), batchHint: 3 };
    (body.data as Record<string, unknown>).extraCollection = [1, 2];
    const b = normalized(body, NOW);
    expect(b.samples).toHaveLength(1);
    expect(b.rejected).toEqual([]);
  });
});

describe("per-item rejection reasons", () => {
  it("not_an_object", () => expect(rejectOne("nope").reason).toBe(REASONS.not_an_object));
  it("missing_field: startDate, endDate, value", () => {
    expect(rejectOne(rec({ startDate: null }))).toMatchObject({ reason: "missing_field", message: "startDate is required", id: "A1B2C3D4-0000-4000-8000-000000000001" });
    expect(rejectOne(rec({ endDate: null })).reason).toBe("missing_field");
    expect(rejectOne(rec({ value: null })).message).toBe("value is required");
  });
  it("invalid_timestamp", () => {
    expect(rejectOne(rec({ startDate: "yesterday" })).reason).toBe("invalid_timestamp");
    expect(rejectOne(rec({ endDate: "2026-02-30T00:00:00Z" })).reason).toBe("invalid_timestamp");
  });
  it("end_before_start", () => expect(rejectOne(rec({ endDate: isoSec(T - 1000) })).reason).toBe("end_before_start"));
  it("timestamp_in_future: more than a day after now", () => {
    const far = NOW + 86_400_000 + 1000;
    expect(rejectOne(rec({ startDate: isoSec(far), endDate: isoSec(far) })).reason).toBe("timestamp_in_future");
    expect(rejectOne(rec({ endDate: isoSec(far) })).reason).toBe("timestamp_in_future");
    const ok = normalized(envelope([rec({ startDate: isoSec(NOW + 3_600_000), endDate: isoSec(NOW + 3_600_000) })]), NOW);
    expect(ok.samples).toHaveLength(1); // within a day: Samsung's current-hour bucket
  });
  it("timestamp_too_old: before 2000-01-01", () => {
    expect(rejectOne(rec({ startDate: "1999-12-31T23:59:59Z" })).reason).toBe("timestamp_too_old");
    expect(rejectOne(rec({ startDate: "1970-01-01T00:00:00Z" })).reason).toBe("timestamp_too_old");
  });
  it("invalid_zone_offset (that item only)", () => {
    for (const z of ["+1:00", "01:00", "+0100", "CET", "+19:00", "+01:60", 60]) {
      expect(rejectOne(rec({ zoneOffset: z })).reason).toBe("invalid_zone_offset");
    }
    const b = normalized(envelope([rec({ zoneOffset: "Z" }), rec({ startDate: isoSec(T + 1000), endDate: isoSec(T + 1000), zoneOffset: "-05:30" })]), NOW);
    expect(b.samples.map((s) => s.zoneOffset)).toEqual(["+00:00", "-05:30"]);
  });
  it("non_numeric_value", () => {
    for (const v of ["seventy", "", true, { v: 1 }, [70], "0x10"]) expect(rejectOne(rec({ value: v })).reason).toBe("non_numeric_value");
    const b = normalized(envelope([rec({ value: "72.5" })]), NOW);
    expect(b.samples[0]!.value).toBe(72.5); // the reference's Decimal accepts numeric strings
  });
  it("non_finite_value", () => {
    for (const v of ["NaN", "Infinity", "-inf", "1e999", Number.POSITIVE_INFINITY]) {
      expect(rejectOne(rec({ value: v })).reason).toBe("non_finite_value");
    }
  });
  it("value_out_of_range: values impossible for the type", () => {
    const cases: [string, number, string][] = [
      ["HKQuantityTypeIdentifierHeartRate", 0, "bpm"],
      ["HKQuantityTypeIdentifierHeartRate", 301, "bpm"],
      ["HKQuantityTypeIdentifierStepCount", -5, "count"],
      ["HKQuantityTypeIdentifierOxygenSaturation", 101, "%"],
      ["HKQuantityTypeIdentifierBodyFatPercentage", 25, "%"], // percent sent where HealthKit sends a fraction → 2500 %
      ["HKQuantityTypeIdentifierBodyTemperature", 5, "degC"],
      ["HKQuantityTypeIdentifierBloodPressureSystolic", 500, "mmHg"],
      ["HKQuantityTypeIdentifierBodyMass", 0, "kg"],
      ["HKQuantityTypeIdentifierActiveEnergyBurned", -1, "Cal"],
    ];
    for (const [type, value, unit] of cases) {
      const r = rejectOne(rec({ type, value, unit }));
      expect(r.reason, `${type} ${value}`).toBe("value_out_of_range");
      // Names the bounds, never the value (messages end up in sync-run records and logs).
      expect(r.message).toMatch(/^value outside [[(]-?[\d.]+, [\d.]+\] \S+ for [a-z_0-9]+$/);
    }
  });
  it("unit_mismatch", () => {
    expect(rejectOne(rec({ unit: "kg" }))).toMatchObject({ reason: "unit_mismatch", message: 'unit "kg" does not fit heart_rate' });
    expect(rejectOne(rec({ type: "HKQuantityTypeIdentifierStepCount", unit: "m" })).reason).toBe("unit_mismatch");
    expect(rejectOne(rec({ type: "HKQuantityTypeIdentifierHeight", unit: "kg", value: 1.8 })).reason).toBe("unit_mismatch");
    expect(rejectOne(rec({ type: "HKQuantityTypeIdentifierStepCount", unit: "%" })).reason).toBe("unit_mismatch");
  });
  it("invalid_field: a type, unit or source of the wrong kind", () => {
    expect(rejectOne(rec({ type: 7 })).reason).toBe("invalid_field");
    expect(rejectOne(rec({ unit: 3 })).reason).toBe("invalid_field");
    expect(rejectOne(rec({ source: "Apple Watch" })).reason).toBe("invalid_field");
  });
  it("field_too_long and too_many_sources (limits.test.ts has the full set)", () => {
    expect(rejectOne(rec({ id: "x".repeat(257) })).reason).toBe("field_too_long");
    const b = normalizeEnvelope(envelope([rec()]), { now: NOW, sources: { has: () => false, room: 0 } });
    expect(b.ok && b.batch.rejected.map((r) => r.reason)).toEqual(["too_many_sources"]);
  });
  it("every reason code is exercised by this file", () => {
    expect(Object.keys(REASONS).sort()).toEqual([
      "end_before_start", "field_too_long", "invalid_field", "invalid_timestamp", "invalid_zone_offset", "missing_field",
      "non_finite_value", "non_numeric_value", "not_an_object", "timestamp_in_future", "timestamp_too_old",
      "too_many_sources", "unit_mismatch", "value_out_of_range",
    ]);
  });

  it("applies to workouts and sleep items too, by collection and index", () => {
    const wo = { id: "W1", type: "running", startDate: isoSec(T), endDate: isoSec(T - 1000), source: null, values: null };
    const badStat = { id: "W2", type: "running", startDate: isoSec(T), endDate: isoSec(T + 60_000), values: [{ type: "maxHeartRate", value: 400, unit: "bpm" }] };
    const nanStat = { id: "W3", type: "running", startDate: isoSec(T), endDate: isoSec(T + 60_000), values: [{ type: "distance", value: "far", unit: "m" }] };
    const unitStat = { id: "W4", type: "running", startDate: isoSec(T), endDate: isoSec(T + 60_000), values: [{ type: "distance", value: 5, unit: "kg" }] };
    const sl = [{ id: "S1", stage: "deep", startDate: isoSec(T), endDate: isoSec(T + 60_000), zoneOffset: "bad" }, { id: "S2", startDate: isoSec(T), endDate: isoSec(T) }];
    const b = normalized(envelope([], { workouts: [wo, badStat, nanStat, unitStat], sleep: sl }), NOW);
    expect(b.rejected.map((r) => [r.collection, r.index, r.id, r.reason])).toEqual([
      ["workouts", 0, "W1", "end_before_start"],
      ["workouts", 1, "W2", "value_out_of_range"],
      ["workouts", 2, "W3", "non_numeric_value"],
      ["workouts", 3, "W4", "unit_mismatch"],
      ["sleep", 0, "S1", "invalid_zone_offset"],
      ["sleep", 1, "S2", "missing_field"],
    ]);
  });
});

describe("unknown types", () => {
  it("are counted per type, never rejected", () => {
    const b = normalized(envelope([
      rec({ type: "HKCategoryTypeIdentifierMindfulSession", unit: null, value: 0 }),
      rec({ type: "HKCategoryTypeIdentifierMindfulSession", unit: null, value: 0 }),
      rec({ type: "HKQuantityTypeIdentifierDietaryEnergyConsumed", unit: "Cal", value: 300 }),
      rec({ type: "HKCategoryTypeIdentifierSleepAnalysis", value: 3, unit: null }), // REF-BUG #15: not via records
      rec({ type: "heart_rate" }), // case-sensitive lookup, as in the reference
      rec({ type: null }),
      rec({ type: "HKQuantityTypeIdentifierHeartRate", value: "unparseable-but-unknown-first" }),
    ]), NOW);
    expect(b.unknownTypes).toEqual({
      HKCategoryTypeIdentifierMindfulSession: 2, HKQuantityTypeIdentifierDietaryEnergyConsumed: 1,
      HKCategoryTypeIdentifierSleepAnalysis: 1, heart_rate: 1, "(none)": 1,
    });
    expect(b.rejected.map((r) => r.reason)).toEqual(["non_numeric_value"]);
  });

  it("bounds the number of distinct labels", () => {
    const many = Array.from({ length: 150 }, (_, i) => rec({ type: `X${i}` }));
    const b = normalized(envelope(many), NOW);
    expect(Object.keys(b.unknownTypes)).toHaveLength(101);
    expect(b.unknownTypes["(other)"]).toBe(50);
  });
});

describe("bounds table", () => {
  it("has a sensible [min, max] for every one of the 93 series types", () => {
    expect(Object.keys(SERIES_TYPES)).toHaveLength(93);
    for (const [code, d] of Object.entries(SERIES_TYPES)) expect(d.max, code).toBeGreaterThan(d.min);
  });
});
