import { describe, expect, it } from "vitest";
import { SyncEnvelopeSchema, type NormalizedBatch, type NormalizedSample } from "../../src/ingest/index";
import {
  HC_PATTERN, IOS_PATTERN, IOS_SOURCES, IOS_UNMAPPED_TYPES, SAMSUNG_PATTERN, healthConnectBatch, iosBatch, normalized,
  samsungBatch,
} from "./fixtures";

const START = Date.UTC(2026, 1, 20, 22, 0, 0);
const NOW = START + 10 * 86_400_000;

const ok = (body: unknown) => normalized(body, NOW);
const bySeries = (b: NormalizedBatch, series: string): NormalizedSample[] => b.samples.filter((s) => s.seriesType === series);
const first = (b: NormalizedBatch, series: string): NormalizedSample => {
  const s = bySeries(b, series)[0];
  if (!s) throw new Error(`no ${series} sample`);
  return s;
};

describe("iOS (HealthKit) batch", () => {
  const body = iosBatch({ start: START, records: IOS_PATTERN.length * 3, workouts: 2, sleepNights: 1 });
  const b = ok(body);

  it("is shaped exactly like the SDK's: 10 record keys, upper-case UUIDs, null zoneOffset and parentId", () => {
    const rec = body.data.records[0]!;
    expect(Object.keys(rec).sort()).toEqual(
      ["endDate", "id", "metadata", "parentId", "source", "startDate", "type", "unit", "value", "zoneOffset"],
    );
    expect(rec.id).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-8[0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(Object.keys(body.data.workouts[0]!)).toHaveLength(15);
    expect(Object.keys(body.data.sleep[0]!)).toHaveLength(9);
    expect(SyncEnvelopeSchema.safeParse(body).success).toBe(true);
  });

  it("keeps every mapped record, counts the unmapped ones, rejects nothing", () => {
    expect(b.provider).toBe("apple");
    expect(b.sdkVersion).toBe("0.6.0");
    expect(b.received).toEqual({ records: IOS_PATTERN.length * 3, workouts: 2, sleep: 11 });
    expect(b.rejected).toEqual([]);
    expect(b.unknownTypes).toEqual(Object.fromEntries(IOS_UNMAPPED_TYPES.map((t) => [t, 3])));
    // 15 mapped per round × 3 rounds, + workout statistics stored as samples (6 series per workout).
    expect(bySeries(b, "heart_rate")).toHaveLength(3);
    expect(b.samples.filter((s) => s.origin === "record")).toHaveLength(15 * 3);
    expect(b.inBatchDuplicates).toBe(0);
  });

  it("converts HealthKit units: Cal → kcal, % fractions → percent, SpO2 already percent, m → cm", () => {
    expect(first(b, "energy")).toMatchObject({ value: 1.5, unit: "kcal" });
    expect(first(b, "walking_asymmetry_percentage")).toMatchObject({ value: 3, unit: "percent" });
    expect(first(b, "body_fat_percentage")).toMatchObject({ value: 22, unit: "percent" });
    expect(first(b, "oxygen_saturation")).toMatchObject({ value: 95, unit: "percent" });
    expect(first(b, "height")).toMatchObject({ value: 178, unit: "cm" });
    expect(first(b, "walking_step_length")).toMatchObject({ value: 72, unit: "cm" });
    expect(first(b, "blood_glucose")).toMatchObject({ value: 90, unit: "mg_dl" });
    expect(first(b, "respiratory_rate")).toMatchObject({ value: 12, unit: "brpm" });
  });

  it("keeps instantaneous samples instantaneous and interval samples with their end", () => {
    expect(first(b, "heart_rate").endAt).toBeNull();
    expect(first(b, "steps")).toMatchObject({ recordedAt: START, endAt: START + 60_000 });
  });

  it("splits blood pressure into two samples sharing one source and timestamp", () => {
    const sys = first(b, "blood_pressure_systolic");
    const dia = first(b, "blood_pressure_diastolic");
    expect(sys.sourceKey).toBe(dia.sourceKey);
    expect(sys.recordedAt).toBe(dia.recordedAt);
    expect(sys.source).toMatchObject({ appId: IOS_SOURCES.cuff.appId, deviceModel: "BP7450", provider: "apple" });
    expect(sys.key).not.toBe(dia.key);
  });

  it("resolves the source like the reference and keeps every source field", () => {
    const hr = first(b, "heart_rate");
    expect(hr.source).toMatchObject({
      appId: "com.apple.health.7D1E5C2A", deviceName: "Apple Watch", deviceModel: "Watch7,5", deviceType: "watch",
      deviceManufacturer: "Apple Inc.", sourceName: "Apple Watch", inferredDeviceType: "watch",
      softwareVersion: "11.2.0", deviceSoftwareVersion: "11.2", deviceHardwareVersion: "Watch7,5",
    });
    expect(hr.externalId).toBe(body.data.records[0]!.id);
    expect(hr.zoneOffset).toBeNull();
    expect(first(b, "steps").source.inferredDeviceType).toBe("phone");
  });

  it("turns workouts into events with §8.5 statistics in canonical units", () => {
    expect(b.workouts).toHaveLength(2);
    const w = b.workouts[0]!;
    expect(w.type).toBe("running");
    expect(w.endAt - w.startAt).toBe(30 * 60_000);
    expect(w.details).toMatchObject({
      duration_seconds: 1683, energy_burned: 180, distance: 2165.35, steps_count: 2890, heart_rate_min: 92,
      heart_rate_avg: 121.49, heart_rate_max: 154, average_watts: 212, average_speed: 1.29, max_speed: 3.9,
      total_elevation_gain: 15.57,
    });
    expect(b.workouts[1]!.type).toBe("walking");
    const atEnd = b.samples.filter((s) => s.origin === "workout" && s.recordedAt === w.endAt);
    const values = Object.fromEntries(atEnd.map((s) => [s.seriesType, s.value]));
    expect(values).toEqual({
      running_stride_length: 105, running_vertical_oscillation: 8.9, running_ground_contact_time: 265,
      average_met: 9.4, weather_temperature: 18.5, weather_humidity: 65,
    });
  });

  it("keeps sleep stages 0..5 in the internal vocabulary", () => {
    expect(new Set(b.sleepStages.map((s) => s.stage))).toEqual(new Set(["in_bed", "sleeping", "awake", "light", "deep", "rem"]));
  });
});

describe("Health Connect batch", () => {
  const body = healthConnectBatch({ start: START, records: HC_PATTERN.length * 2, workouts: 4, sleepNights: 1 });
  const b = ok(body);

  it("accepts the Android vocabulary, derived ids with parentId and zone offsets", () => {
    expect(b.provider).toBe("google");
    expect(b.rejected).toEqual([]);
    expect(b.unknownTypes).toEqual({});
    expect(b.samples).toHaveLength(HC_PATTERN.length * 2);
    const sys = first(b, "blood_pressure_systolic");
    expect(sys.externalId).toMatch(/-sys$/);
    expect(body.data.records.find((r) => r.id === sys.externalId)!.parentId).toBe(sys.externalId!.slice(0, -4));
    expect(sys.zoneOffset).toBe("+01:00");
    expect(first(b, "heart_rate").externalId).toMatch(/-s0$/);
  });

  it("converts mmol/L glucose, keeps BMR kcal/day, HC percent and mL as sent, m → cm", () => {
    expect(first(b, "blood_glucose")).toMatchObject({ value: 99.1001, unit: "mg_dl" });
    expect(first(b, "basal_energy")).toMatchObject({ value: 1680, unit: "kcal" });
    expect(first(b, "body_fat_percentage").value).toBe(21.5); // not ×100: provider is not apple
    expect(first(b, "hydration")).toMatchObject({ value: 250, unit: "mL" });
    expect(first(b, "height").value).toBe(180);
    expect(first(b, "heart_rate_variability_rmssd").value).toBe(35);
  });

  it("maps UPPER_CASE workout types and takes the duration statistic", () => {
    expect(b.workouts.map((w) => w.type)).toEqual(["running", "indoor_cycling", "cardio_training", "other"]);
    expect(b.workouts.map((w) => w.rawType)).toEqual(["RUNNING", "CYCLING_STATIONARY", "HIIT", "UNKNOWN_42"]);
    expect(b.workouts[0]!.details.duration_seconds).toBe(2700);
    expect(b.workouts[0]!.details.energy_burned).toBeNull();
  });
});

describe("Samsung Health batch", () => {
  const body = samsungBatch({ start: START, records: SAMSUNG_PATTERN.length * 2, workouts: 2, sleepNights: 1 });
  const b = ok(body);

  it("accepts body-composition children, the BP trio with pulse, mmol/L glucose", () => {
    expect(b.rejected).toEqual([]);
    expect(b.samples.filter((s) => s.origin === "record")).toHaveLength(SAMSUNG_PATTERN.length * 2);
    expect(bySeries(b, "heart_rate").map((s) => s.externalId!.replace(/^.*-/, "-"))).toEqual(["-s0", "-pulse", "-s0", "-pulse"]);
    expect(first(b, "blood_glucose").value).toBeCloseTo(6.1 * 18.0182, 4);
    expect(first(b, "body_mass_index")).toMatchObject({ value: 24.3, unit: "kg_m2" });
    expect(first(b, "height").value).toBe(182);
    expect(first(b, "weight").source.inferredDeviceType).toBe("other"); // SM-R960: reference §8.7 behaviour
  });

  it("reads millisecond durations, raw UPPER_CASE types, sessions with parentId", () => {
    const [run, bike] = b.workouts;
    expect(run!.details).toMatchObject({
      duration_seconds: 2700, energy_burned: 412.5, distance: 7340, heart_rate_avg: 148.2, heart_rate_max: 171,
      heart_rate_min: 98, average_speed: 2.72, max_speed: 4.1, total_elevation_gain: 48, elev_high: 212, elev_low: 168,
    });
    expect(run!.type).toBe("running");
    expect(bike!.type).toBe("cycling");
    expect(run!.parentId).toBe(run!.externalId!.replace(/-s0$/, ""));
    const cadence = b.samples.filter((s) => s.seriesType === "cadence" && s.recordedAt === run!.endAt);
    expect(cadence.map((s) => s.value)).toEqual([181]); // meanCadence then maxCadence: the later one wins
  });

  it("ignores Samsung's sleepScore values and keeps the `sleeping` wrapper as a stage", () => {
    expect(b.sleepStages.map((s) => s.stage)).toEqual(["sleeping", "awake", "light", "deep", "rem", "light", "awake"]);
  });
});
