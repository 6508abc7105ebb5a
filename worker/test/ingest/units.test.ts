import { describe, expect, it } from "vitest";
import { SDK_TYPE_MAP, SERIES_TYPES, unifiedWorkoutType, parseTimestamp } from "../../src/ingest/index";
import { WORKOUT_TYPE_COUNT } from "../../src/ingest/workout-types";
import { isoSec, normalized, type Item } from "./fixtures";

const T = Date.UTC(2026, 1, 20, 8, 0, 0);
const NOW = T + 3_600_000;

/** Canonical value of one record of `type` sent with `value` and `unit` by `provider`. */
function convert(type: string, value: number | string, unit: string | null, provider = "apple"): number {
  const r: Item = { id: "x", type, startDate: isoSec(T), endDate: isoSec(T), zoneOffset: null, source: null, value, unit, parentId: null, metadata: null };
  const b = normalized({ provider, sdkVersion: "1", syncTimestamp: isoSec(T), data: { records: [r], sleep: [], workouts: [] } }, NOW);
  if (b.samples.length !== 1) throw new Error(`${type} ${value} ${unit}: ${JSON.stringify(b.rejected)}`);
  return b.samples[0]!.value;
}
const HK = (s: string) => `HKQuantityTypeIdentifier${s}`;

describe("tables", () => {
  it("maps all 108 SDK identifiers, each to one of the 93 series types", () => {
    expect(SDK_TYPE_MAP.size).toBe(108);
    expect([...SDK_TYPE_MAP.keys()].filter((k) => k.startsWith("HK"))).toHaveLength(81);
    for (const [type, e] of SDK_TYPE_MAP) expect(SERIES_TYPES[e.series], type).toBeDefined();
    expect(SERIES_TYPES.heart_rate).toMatchObject({ id: 1, unit: "bpm" });
    expect(SERIES_TYPES.hydration).toMatchObject({ id: 507, unit: "mL" });
    expect(new Set(Object.values(SERIES_TYPES).map((d) => d.id)).size).toBe(93);
  });

  it("accepts every SDK type with its canonical unit spelled as the model does", () => {
    for (const [type, e] of SDK_TYPE_MAP) {
      const d = SERIES_TYPES[e.series]!;
      const v = Math.round((d.min + d.max) / 2);
      const provider = type.startsWith("HK") ? "apple" : "google";
      const pct = d.unit !== "percent" && e.pct !== undefined;
      if (!pct) expect(convert(type, v, d.unit, provider), type).toBe(v);
    }
  });

  it("maps the 110 workout types of §8.6, lower-casing Android's UPPER_CASE", () => {
    expect(WORKOUT_TYPE_COUNT).toBe(110);
    expect(unifiedWorkoutType("RUNNING_TREADMILL")).toBe("treadmill");
    expect(unifiedWorkoutType(" swimming_open_water ")).toBe("open_water_swimming");
    expect(unifiedWorkoutType("other")).toBe("generic");
    expect(unifiedWorkoutType("UNKNOWN_42")).toBe("other");
    expect(unifiedWorkoutType("constructor")).toBe("other");
    expect(unifiedWorkoutType(null)).toBe("unknown");
    expect(unifiedWorkoutType("BIKING")).toBe("cycling"); // addition: raw Samsung name
  });
});

describe("unit conversions", () => {
  it("energy: Cal and kcal are kilocalories, kJ and cal are converted", () => {
    expect(convert(HK("ActiveEnergyBurned"), 100, "Cal")).toBe(100);
    expect(convert(HK("ActiveEnergyBurned"), 100, "kcal")).toBe(100);
    expect(convert(HK("ActiveEnergyBurned"), 418.4, "kJ")).toBeCloseTo(100, 3);
    expect(convert(HK("ActiveEnergyBurned"), 100_000, "cal")).toBe(100);
    expect(convert("BASAL_METABOLIC_RATE", 1700, "kcal/day", "google")).toBe(1700);
  });

  it("percent: HealthKit fractions ×100, SpO2 already percent, Android body fat as sent", () => {
    expect(convert(HK("WalkingAsymmetryPercentage"), 0.057, "%")).toBe(5.7);
    expect(convert(HK("WalkingDoubleSupportPercentage"), 0.28, "%")).toBe(28);
    expect(convert(HK("AppleWalkingSteadiness"), 0.91, "%")).toBe(91);
    expect(convert(HK("BodyFatPercentage"), 0.185, "%")).toBe(18.5);
    expect(convert(HK("BodyFatPercentage"), 0.185, null)).toBe(18.5);
    expect(convert("BODY_FAT", 18.5, "%", "samsung")).toBe(18.5);
    expect(convert("BODY_FAT", 0.185, "%", "apple")).toBe(18.5); // reference: ×100 whenever provider is apple
    expect(convert(HK("OxygenSaturation"), 97, "%")).toBe(97);
    expect(convert(HK("OxygenSaturation"), 0.97, "%")).toBe(97); // unscaled fraction from an older SDK
    expect(convert("OXYGEN_SATURATION", 98, "%", "google")).toBe(98);
    expect(convert(HK("PeripheralPerfusionIndex"), 0.031, "%")).toBe(3.1);
    expect(convert(HK("AtrialFibrillationBurden"), 0.02, "%")).toBe(2);
    expect(convert(HK("BloodAlcoholContent"), 0.0008, "%")).toBe(80); // 0.08 % BAC = 80 mg/dL
  });

  it("blood glucose: mg/dL as sent, any mmol spelling ×18.0182, null unit as mg/dL", () => {
    expect(convert(HK("BloodGlucose"), 95, "mg/dL")).toBe(95);
    expect(convert("BLOOD_GLUCOSE", 5.5, "mmol/L", "google")).toBe(99.1001);
    expect(convert(HK("BloodGlucose"), 5.5, "mmol<180.1558800000541>/L")).toBe(99.1001);
    expect(convert("BLOOD_GLUCOSE", 100, null, "samsung")).toBe(100);
  });

  it("length: m → cm where the model stores cm, meters elsewhere", () => {
    expect(convert(HK("Height"), 1.78, "m")).toBe(178);
    expect(convert(HK("Height"), 1.78, null)).toBe(178);
    expect(convert(HK("Height"), 178, "cm")).toBe(178);
    expect(convert("HEIGHT", 1.82, "m", "samsung")).toBe(182);
    expect(convert(HK("WalkingStepLength"), 0.7, "m")).toBe(70);
    expect(convert(HK("WaistCircumference"), 0.86, "m")).toBe(86);
    expect(convert(HK("RunningStrideLength"), 1.2, "m")).toBe(120);
    expect(convert(HK("RunningVerticalOscillation"), 9.1, "cm")).toBe(9.1);
    expect(convert(HK("DistanceWalkingRunning"), 1.5, "km")).toBe(1500);
    expect(convert(HK("DistanceCycling"), 1, "mi")).toBe(1609.344);
    expect(convert(HK("SixMinuteWalkTestDistance"), 540, "m")).toBe(540);
  });

  it("volume: L and mL", () => {
    expect(convert("HYDRATION", 250, "mL", "google")).toBe(250);
    expect(convert("HYDRATION", 0.25, "L", "google")).toBe(250);
    expect(convert(HK("ForcedVitalCapacity"), 4.2, "L")).toBe(4.2);
    expect(convert(HK("ForcedVitalCapacity"), 4200, "mL")).toBe(4.2);
    expect(convert(HK("PeakExpiratoryFlowRate"), 450, "L/min")).toBe(450);
  });

  it("mass, temperature, rates, speed, time", () => {
    expect(convert(HK("BodyMass"), 72500, "g")).toBe(72.5);
    expect(convert(HK("BodyMass"), 160, "lb")).toBeCloseTo(72.5748, 4);
    expect(convert(HK("BodyTemperature"), 36.6, "degC")).toBe(36.6);
    expect(convert("BODY_TEMPERATURE", 36.6, "°C", "google")).toBe(36.6);
    expect(convert(HK("BodyTemperature"), 98.6, "degF")).toBe(37);
    expect(convert(HK("HeartRate"), 70, "count/min")).toBe(70);
    expect(convert(HK("RespiratoryRate"), 14, "breaths/min")).toBe(14);
    expect(convert(HK("VO2Max"), 45, "mL/kg/min")).toBe(45);
    expect(convert(HK("WalkingSpeed"), 3.6, "km/h")).toBe(1);
    expect(convert(HK("AppleExerciseTime"), 30, "min")).toBe(30);
    expect(convert(HK("AppleStandTime"), 120, "s")).toBe(2);
    expect(convert(HK("HeartRateVariabilitySDNN"), 0.045, "s")).toBe(45);
    expect(convert(HK("BodyMassIndex"), 23.4, "count")).toBe(23.4); // HealthKit's BMI unit
    expect(convert(HK("InsulinDelivery"), 4, "IU")).toBe(4);
  });

  it("matches units case-insensitively only where unambiguous (Cal ≠ cal)", () => {
    expect(convert(HK("BloodPressureSystolic"), 120, "mmhg")).toBe(120);
    expect(convert(HK("ActiveEnergyBurned"), 50, " kcal ")).toBe(50);
    expect(convert(HK("ActiveEnergyBurned"), 50, "Cal")).toBe(50);
  });

  it("files speeds and depth under their own series, not distance_other (deliberate deviation)", () => {
    expect(SDK_TYPE_MAP.get(HK("RowingSpeed"))!.series).toBe("speed");
    expect(SDK_TYPE_MAP.get(HK("UnderwaterDepth"))!.series).toBe("underwater_depth");
    expect(SDK_TYPE_MAP.get(HK("NikeFuel"))!.series).toBe("nike_fuel");
    expect(convert(HK("PaddleSportsSpeed"), 2.5, "m/s")).toBe(2.5);
  });
});

describe("timestamps", () => {
  it("parses ISO with Z, offsets, fractions, naive (UTC) and Unix seconds/ms", () => {
    const ms = Date.UTC(2026, 1, 24, 10, 0, 0);
    expect(parseTimestamp("2026-02-24T10:00:00Z")).toBe(ms);
    expect(parseTimestamp("2026-02-24T11:00:00+01:00")).toBe(ms);
    expect(parseTimestamp("2026-02-24T05:30:00-04:30")).toBe(ms);
    expect(parseTimestamp("2026-02-24T10:00:00.123456Z")).toBe(ms + 123);
    expect(parseTimestamp("2026-02-24T10:00:00")).toBe(ms);
    expect(parseTimestamp("2026-02-24 10:00:00Z")).toBe(ms);
    expect(parseTimestamp(ms / 1000)).toBe(ms);
    expect(parseTimestamp(ms)).toBe(ms);
    expect(parseTimestamp(String(ms / 1000))).toBe(ms);
    for (const bad of ["2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-02-24T24:00:00Z", "soon", "", null, {}]) {
      expect(parseTimestamp(bad)).toBeNaN();
    }
    expect(parseTimestamp("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
  });
});
