import { describe, expect, it } from "vitest";
import type { NormalizedBatch } from "../../src/ingest/index";
import { IOS_SOURCES, isoSec, normalized, type Item } from "./fixtures";

const T = Date.UTC(2026, 1, 20, 8, 0, 0);
const NOW = T + 86_400_000;
const MIN = 60_000;

function workout(values: Item[] | null, over: Item = {}, provider = "apple"): NormalizedBatch {
  const w: Item = {
    id: "W1", parentId: null, type: "running", startDate: isoSec(T), endDate: isoSec(T + 45 * MIN), zoneOffset: null,
    source: IOS_SOURCES.watch, title: null, notes: null, values, segments: null, laps: null, route: null, samples: null,
    metadata: null, ...over,
  };
  return normalized({ provider, sdkVersion: "1", syncTimestamp: isoSec(T), data: { records: [], sleep: [], workouts: [w] } }, NOW);
}
const stat = (type: string, value: number | boolean | string, unit: string | null): Item => ({ type, value, unit });

describe("workouts", () => {
  it("without statistics: window duration, null metrics, unknown type for a missing type", () => {
    const b = workout(null, { type: null });
    expect(b.workouts[0]).toMatchObject({ type: "unknown", rawType: null, startAt: T, endAt: T + 45 * MIN, externalId: "W1" });
    expect(b.workouts[0]!.details).toMatchObject({ duration_seconds: 2700, energy_burned: null, distance: null });
    expect(b.samples).toEqual([]);
  });

  it("sums energy statistics in kcal, truncates steps and duration", () => {
    const b = workout([stat("activeEnergyBurned", 131.41, "kcal"), stat("basalEnergyBurned", 48.59, "Cal"), stat("calories", 4.184, "kJ"), stat("stepCount", 812.9, "count"), stat("duration", 1683.9, "s")]);
    expect(b.workouts[0]!.details).toMatchObject({ energy_burned: 181, steps_count: 812, duration_seconds: 1683 });
  });

  it("reads durations in ms by unit, and mislabelled ms by plausibility (Samsung)", () => {
    expect(workout([stat("duration", 2_400_000, "ms")]).workouts[0]!.details.duration_seconds).toBe(2400);
    expect(workout([stat("duration", 2_400_000, "s")], {}, "samsung").workouts[0]!.details.duration_seconds).toBe(2400);
    expect(workout([stat("totalDuration", 40, "min")]).workouts[0]!.details.duration_seconds).toBe(2400);
    expect(workout([stat("duration", 9_000_000, "s")]).workouts[0]!.details.duration_seconds).toBe(2700); // fits neither: capped at the window
  });

  it("converts statistics by their unit and stores series statistics as samples at the workout end", () => {
    const b = workout([stat("distance", 5.2, "km"), stat("maxSpeed", 18, "km/h"), stat("averageRunningStrideLength", 1.1, "m"), stat("weatherHumidity", 0.4, "%"), stat("vo2Max", 48, "mL/kg/min")]);
    expect(b.workouts[0]!.details).toMatchObject({ distance: 5200, max_speed: 5 });
    expect(b.samples.map((s) => [s.seriesType, s.value, s.recordedAt, s.origin])).toEqual([
      ["running_stride_length", 110, T + 45 * MIN, "workout"],
      ["weather_humidity", 40, T + 45 * MIN, "workout"],
      ["vo2_max", 48, T + 45 * MIN, "workout"],
    ]);
    expect(b.samples[0]!.sourceKey).toBe(b.workouts[0]!.sourceKey);
  });

  it("reads weather humidity labelled % as a fraction up to 1 and as percent above (the reference's sample sends 66)", () => {
    const pct = workout([stat("weatherHumidity", 66, "%")]);
    expect(pct.rejected).toEqual([]);
    expect(pct.samples.map((s) => [s.seriesType, s.value])).toEqual([["weather_humidity", 66]]);
    expect(workout([stat("weatherHumidity", 0.66, "%")]).samples[0]!.value).toBe(66);
    expect(workout([stat("weatherHumidity", 1, "%")]).samples[0]!.value).toBe(100);
    expect(workout([stat("weatherHumidity", 101, "%")]).rejected[0]).toMatchObject({ reason: "value_out_of_range" });
  });

  it("keeps a workout whose minHeartRate is 0 and stores the statistic like the reference", () => {
    const b = workout([stat("minHeartRate", 0, "bpm"), stat("maxHeartRate", 171, "bpm")]);
    expect(b.rejected).toEqual([]);
    expect(b.workouts[0]!.details).toMatchObject({ heart_rate_min: 0, heart_rate_max: 171 });
    expect(workout([stat("minHeartRate", -1, "bpm")]).rejected[0]).toMatchObject({ reason: "value_out_of_range" });
  });

  it("ignores unknown and ignored statistics without checking them, accepts booleans as 0/1", () => {
    const b = workout([stat("indoorWorkout", true, "bool"), stat("swimmingLocationType", 2, null), stat("elevationDescended", "n/a", "m"), stat("somethingNew", 1, "x"), { value: 3 }, "junk" as unknown as Item, stat("maxHeartRate", true, "bpm")]);
    expect(b.rejected).toEqual([]);
    expect(b.workouts[0]!.details.heart_rate_max).toBe(1);
  });

  it("later statistics of the same column overwrite earlier ones", () => {
    const b = workout([stat("averageHeartRate", 120, "bpm"), stat("meanHeartRate", 125, "bpm")]);
    expect(b.workouts[0]!.details.heart_rate_avg).toBe(125);
  });

  it("rejects values that are not a list", () => {
    const b = workout({ a: 1 } as unknown as Item[]);
    expect(b.rejected[0]).toMatchObject({ collection: "workouts", reason: "invalid_field", id: "W1" });
  });

  it("keeps parentId and zoneOffset, accepts snake_case source keys", () => {
    const b = workout(null, { parentId: "P1", zoneOffset: "+02:00", source: { app_id: "com.x", device_model: "SM-R960", device_name: "Galaxy Watch" } }, "samsung");
    expect(b.workouts[0]).toMatchObject({ parentId: "P1", zoneOffset: "+02:00" });
    expect(b.workouts[0]!.source).toMatchObject({ appId: "com.x", deviceModel: "SM-R960", deviceName: "Galaxy Watch", provider: "samsung" });
  });
});
