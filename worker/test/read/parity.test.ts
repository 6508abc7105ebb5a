import { beforeAll, describe, expect, it } from "vitest";
import { IOS_SOURCES, isoSec, type Item } from "../ingest/fixtures";
import { ADMIN, api, signedInUser } from "../setup/harness";
import { upload } from "../sync/sync-helpers";

/**
 * Reference parity of computed read fields, on hand-checked numbers: sleep-window vitals, heart-rate-zone minutes,
 * workout elevation and floors, device names, and workouts the reference keeps (humidity 66 %, minHeartRate 0).
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const NIGHT = Date.UTC(2026, 10, 1, 22, 0, 0); // wakes 2026-11-02 06:00Z
const DAY3 = Date.UTC(2026, 10, 3, 10, 0, 0);
const watch = IOS_SOURCES.watch;
const unknownWatch = { ...watch, appId: "com.apple.health.X", deviceModel: "Watch99,9", deviceName: "Prototype" };

let userId: string;
const get = (path: string) => api.get(`/users/${userId}${path}`, { headers: ADMIN });

const rec = (id: string, type: string, t: number, value: number, unit: string, source: Item = watch): Item => ({
  id, type, startDate: isoSec(t), endDate: isoSec(t), zoneOffset: null, source, value, unit, parentId: null, metadata: null,
});
const stage = (id: string, s: string, from: number, to: number): Item => ({
  id, parentId: null, stage: s, startDate: isoSec(NIGHT + from * MIN), endDate: isoSec(NIGHT + to * MIN), zoneOffset: null,
  source: watch, values: null, metadata: null,
});
const workout = (id: string, start: number, values: Item[], source: Item = watch): Item => ({
  id, parentId: null, type: "running", startDate: isoSec(start), endDate: isoSec(start + 30 * MIN), zoneOffset: null,
  source, title: null, notes: null, values, segments: null, laps: null, route: null, samples: null, metadata: null,
});

function batch() {
  const HR = "HKQuantityTypeIdentifierHeartRate";
  const records: Item[] = [
    // Night vitals inside [22:00, 06:00): HR 50, 55, 57 → 54; SDNN 40, 50 → 45; resp 14, 15 → 14.5; SpO2 96, 97, 98 → 97.
    rec("n1", HR, NIGHT + HOUR, 50, "count/min"), rec("n2", HR, NIGHT + 3 * HOUR, 55, "count/min"),
    rec("n3", HR, NIGHT + 5 * HOUR, 57, "count/min"),
    rec("out1", HR, NIGHT - HOUR, 100, "count/min"), rec("out2", HR, NIGHT + 8 * HOUR, 90, "count/min"), // outside
    rec("s1", "HKQuantityTypeIdentifierHeartRateVariabilitySDNN", NIGHT + 2 * HOUR, 40, "ms"),
    rec("s2", "HKQuantityTypeIdentifierHeartRateVariabilitySDNN", NIGHT + 4 * HOUR, 50, "ms"),
    rec("r1", "HKQuantityTypeIdentifierRespiratoryRate", NIGHT + 2 * HOUR, 14, "count/min"),
    rec("r2", "HKQuantityTypeIdentifierRespiratoryRate", NIGHT + 4 * HOUR, 15, "count/min"),
    rec("o1", "HKQuantityTypeIdentifierOxygenSaturation", NIGHT + 2 * HOUR, 96, "%"),
    rec("o2", "HKQuantityTypeIdentifierOxygenSaturation", NIGHT + 3 * HOUR, 97, "%"),
    rec("o3", "HKQuantityTypeIdentifierOxygenSaturation", NIGHT + 4 * HOUR, 98, "%"),
  ];
  // Day 3, one minute each, zones at max HR 190: light 95–119, moderate 120–144, vigorous 145–176 (per-minute mean).
  const minutes: number[][] = [[100, 110], [119], [120], [144], [145], [176], [177], [94], [119, 120]];
  minutes.forEach((values, m) => values.forEach((v, k) => records.push(rec(`z${m}-${k}`, HR, DAY3 + m * MIN + k * 10_000, v, "count/min"))));
  records.push(rec("u1", HR, DAY3, 70, "count/min", unknownWatch));
  return {
    provider: "apple", sdkVersion: "0.6.0", syncTimestamp: "2026-11-04T00:00:00Z",
    data: {
      records,
      sleep: [stage("st1", "in_bed", 0, 480), stage("st2", "light", 0, 240), stage("st3", "deep", 240, 360), stage("st4", "rem", 360, 480)],
      workouts: [
        // The reference's own sample statistics: humidity 66 with unit %, and altitudeGain 45 m.
        workout("w1", DAY3 + HOUR, [{ type: "altitudeGain", value: 45, unit: "m" }, { type: "weatherHumidity", value: 66, unit: "%" }]),
        workout("w2", DAY3 + 3 * HOUR, [{ type: "elevationAscended", value: 10, unit: "m" }, { type: "minHeartRate", value: 0, unit: "bpm" }]),
      ],
    },
  };
}

beforeAll(async () => {
  const { user, tokens } = await signedInUser();
  userId = user.id;
  const res = await upload(userId, tokens, batch());
  expect(res.status).toBe(202);
  expect(res.json).toMatchObject({ dropped_count: 0, workouts_saved: 2, rejected: [] });
});

describe("workout statistics the reference keeps", () => {
  it("stores humidity 66 % as 66 and a workout with minHeartRate 0", async () => {
    const w = await get(`/events/workouts?start_date=2026-11-03&end_date=2026-11-04`);
    expect(w.json.data).toHaveLength(2);
    const hum = await get(`/timeseries?start_time=2026-11-03&end_time=2026-11-03&types=weather_humidity`);
    expect(hum.json.data.map((s: { value: number; unit: string }) => [s.value, s.unit])).toEqual([[66, "percent"]]);
  });
});

describe("sleep summary vitals (reference: means over the main-sleep window, every source)", () => {
  it("averages heart rate, HRV, respiratory rate and SpO2 inside [first start, last end)", async () => {
    const res = await get(`/summaries/sleep?start_date=2026-11-02&end_date=2026-11-02`);
    expect(res.status).toBe(200);
    expect(res.json.data).toHaveLength(1);
    expect(res.json.data[0]).toMatchObject({
      date: "2026-11-02", duration_minutes: 480,
      avg_heart_rate_bpm: 54, avg_hrv_sdnn_ms: 45, avg_hrv_rmssd_ms: null, avg_respiratory_rate: 14.5, avg_spo2_percent: 97,
    });
  });
});

describe("activity summary (reference: zone minutes, workout elevation, floors from elevation)", () => {
  it("counts minutes by mean heart rate into zones and sums workout elevation into floors", async () => {
    const res = await get(`/summaries/activity?start_date=2026-11-03&end_date=2026-11-03`);
    expect(res.status).toBe(200);
    expect(res.json.data).toHaveLength(1);
    const row = res.json.data[0];
    expect(row.source).toMatchObject({ device: "Watch7,5" });
    // 100/110 → 105 light, 119 light, 120 moderate, 144 moderate, 145 vigorous, 176 vigorous, 177 and 94 none,
    // 119/120 → 119.5 moderate.
    expect(row.intensity_minutes).toEqual({ light: 2, moderate: 3, vigorous: 2 });
    expect(row.elevation_meters).toBe(55);
    expect(row.floors_climbed).toBe(18); // int(55 / 3), no flights counted
  });

  it("has no intensity minutes on a day without heart rate", async () => {
    const res = await get(`/summaries/activity?start_date=2026-11-02&end_date=2026-11-02`);
    for (const row of res.json.data) expect(row.elevation_meters).toBeNull();
  });
});

describe("device names (reference model table)", () => {
  it("maps Watch7,5 to Apple Watch Ultra 2 and falls back to the raw model", async () => {
    const res = await get(`/timeseries?start_time=2026-11-03T10:00:00Z&end_time=2026-11-03T10:00:01Z&types=heart_rate`);
    const names = res.json.data.map((s: { source: { device: string; device_name: string } }) => [s.source.device, s.source.device_name]).sort();
    expect(names).toEqual([["Watch7,5", "Apple Watch Ultra 2"], ["Watch99,9", "Watch99,9"]]);
  });
});
