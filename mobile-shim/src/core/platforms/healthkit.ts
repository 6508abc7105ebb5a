import type { HKRawSample } from "../../ports/raw-samples";
import { isoSeconds, sharedSource, type PayloadItem, type PayloadSource } from "../payload";
import type { HealthDataType } from "../types";

/** HealthKit mapping of the iOS SDK (SDK reference §1.2.3, §2.3). */

const Q = "HKQuantityTypeIdentifier";
const C = "HKCategoryTypeIdentifier";
export const HK_WORKOUT = "HKWorkoutTypeIdentifier";
export const HK_SLEEP = `${C}SleepAnalysis`;

/** HealthDataType → HK identifier. `bloodPressure` is a correlation: never queried (its halves are). */
export const HK_TYPES: Partial<Record<HealthDataType, string>> = {
  steps: `${Q}StepCount`, distanceWalkingRunning: `${Q}DistanceWalkingRunning`, distanceCycling: `${Q}DistanceCycling`,
  flightsClimbed: `${Q}FlightsClimbed`, walkingSpeed: `${Q}WalkingSpeed`, walkingStepLength: `${Q}WalkingStepLength`,
  walkingAsymmetryPercentage: `${Q}WalkingAsymmetryPercentage`,
  walkingDoubleSupportPercentage: `${Q}WalkingDoubleSupportPercentage`,
  sixMinuteWalkTestDistance: `${Q}SixMinuteWalkTestDistance`, activeEnergy: `${Q}ActiveEnergyBurned`,
  basalEnergy: `${Q}BasalEnergyBurned`, heartRate: `${Q}HeartRate`, restingHeartRate: `${Q}RestingHeartRate`,
  heartRateVariabilitySDNN: `${Q}HeartRateVariabilitySDNN`, vo2Max: `${Q}VO2Max`, oxygenSaturation: `${Q}OxygenSaturation`,
  respiratoryRate: `${Q}RespiratoryRate`, bodyMass: `${Q}BodyMass`, height: `${Q}Height`, bmi: `${Q}BodyMassIndex`,
  bodyFatPercentage: `${Q}BodyFatPercentage`, leanBodyMass: `${Q}LeanBodyMass`,
  waistCircumference: `${Q}WaistCircumference`, bodyTemperature: `${Q}BodyTemperature`, bloodGlucose: `${Q}BloodGlucose`,
  insulinDelivery: `${Q}InsulinDelivery`, bloodPressureSystolic: `${Q}BloodPressureSystolic`,
  bloodPressureDiastolic: `${Q}BloodPressureDiastolic`, dietaryEnergyConsumed: `${Q}DietaryEnergyConsumed`,
  dietaryCarbohydrates: `${Q}DietaryCarbohydrates`, dietaryProtein: `${Q}DietaryProtein`,
  dietaryFatTotal: `${Q}DietaryFatTotal`, dietaryWater: `${Q}DietaryWater`, sleep: HK_SLEEP,
  mindfulSession: `${C}MindfulSession`, menstrualFlow: `${C}MenstrualFlow`,
  cervicalMucusQuality: `${C}CervicalMucusQuality`, ovulationTestResult: `${C}OvulationTestResult`,
  sexualActivity: `${C}SexualActivity`, workout: HK_WORKOUT,
};

/**
 * Unit the native side must request per identifier (HKUnit unit strings) and the label sent on the wire.
 * The labels reproduce the iOS SDK exactly (`Cal` for kcal, fractions labelled `%`), because servers normalize
 * per provider; SpO2 is the one value the SDK scales (×100).
 */
export const HK_UNITS: Record<string, { hk: string; wire: string; scale?: number }> = {
  [`${Q}StepCount`]: { hk: "count", wire: "count" }, [`${Q}FlightsClimbed`]: { hk: "count", wire: "count" },
  [`${Q}DistanceWalkingRunning`]: { hk: "m", wire: "m" }, [`${Q}DistanceCycling`]: { hk: "m", wire: "m" },
  [`${Q}WalkingSpeed`]: { hk: "m/s", wire: "m/s" }, [`${Q}WalkingStepLength`]: { hk: "m", wire: "m" },
  [`${Q}WalkingAsymmetryPercentage`]: { hk: "%", wire: "%" }, [`${Q}WalkingDoubleSupportPercentage`]: { hk: "%", wire: "%" },
  [`${Q}SixMinuteWalkTestDistance`]: { hk: "m", wire: "m" },
  [`${Q}ActiveEnergyBurned`]: { hk: "kcal", wire: "Cal" }, [`${Q}BasalEnergyBurned`]: { hk: "kcal", wire: "Cal" },
  [`${Q}DietaryEnergyConsumed`]: { hk: "kcal", wire: "Cal" },
  [`${Q}HeartRate`]: { hk: "count/min", wire: "bpm" }, [`${Q}RestingHeartRate`]: { hk: "count/min", wire: "bpm" },
  [`${Q}HeartRateVariabilitySDNN`]: { hk: "ms", wire: "ms" }, [`${Q}VO2Max`]: { hk: "ml/kg·min", wire: "mL/kg/min" },
  [`${Q}OxygenSaturation`]: { hk: "%", wire: "%", scale: 100 }, [`${Q}RespiratoryRate`]: { hk: "count/min", wire: "breaths/min" },
  [`${Q}BodyMass`]: { hk: "kg", wire: "kg" }, [`${Q}Height`]: { hk: "m", wire: "m" }, [`${Q}BodyMassIndex`]: { hk: "count", wire: "kg/m²" },
  [`${Q}BodyFatPercentage`]: { hk: "%", wire: "%" }, [`${Q}LeanBodyMass`]: { hk: "kg", wire: "kg" },
  [`${Q}WaistCircumference`]: { hk: "m", wire: "m" }, [`${Q}BodyTemperature`]: { hk: "degC", wire: "degC" },
  [`${Q}BloodGlucose`]: { hk: "mg/dL", wire: "mg/dL" }, [`${Q}InsulinDelivery`]: { hk: "IU", wire: "IU" },
  [`${Q}BloodPressureSystolic`]: { hk: "mmHg", wire: "mmHg" }, [`${Q}BloodPressureDiastolic`]: { hk: "mmHg", wire: "mmHg" },
  [`${Q}DietaryCarbohydrates`]: { hk: "g", wire: "g" }, [`${Q}DietaryProtein`]: { hk: "g", wire: "g" },
  [`${Q}DietaryFatTotal`]: { hk: "g", wire: "g" }, [`${Q}DietaryWater`]: { hk: "L", wire: "L" },
};

const SLEEP_STAGES = ["in_bed", "sleeping", "awake", "light", "deep", "rem"];

export function hkReadKeys(types: readonly HealthDataType[]): string[] {
  return [...new Set(types.map((t) => HK_TYPES[t]).filter((k): k is string => !!k))];
}

const sources = new Map<string, PayloadSource>();
function source(s: HKRawSample): PayloadSource {
  const d = s.device, os = s.source.osVersion;
  const key = `${s.source.bundleId}|${s.source.name}|${s.source.productType}|${os?.join(".")}|${d?.name}|${d?.manufacturer}|${d?.model}|${d?.hardwareVersion}|${d?.softwareVersion}|${d === null}`;
  return sharedSource(sources, key, () => makeSource(s));
}

function makeSource(s: HKRawSample): PayloadSource {
  const model = s.source.productType ?? s.device?.model ?? null;
  const name = s.device?.name ?? s.source.name ?? null;
  const probe = `${model ?? ""} ${name ?? ""}`.toLowerCase();
  const os = s.source.osVersion;
  return {
    appId: s.source.bundleId, deviceId: null, deviceName: name, deviceManufacturer: s.device?.manufacturer ?? null,
    deviceModel: model, deviceType: probe.includes("watch") ? "watch" : probe.includes("iphone") ? "phone" : null,
    recordingMethod: null, deviceHardwareVersion: s.device?.hardwareVersion ?? null,
    deviceSoftwareVersion: s.device?.softwareVersion ?? null,
    operatingSystemVersion: os ? { majorVersion: os[0], minorVersion: os[1], patchVersion: os[2] } : null,
  };
}

/** One HKSample → payload items. iOS sends upper-case UUIDs, no parentId, no zone offset. */
export function hkToItems(s: HKRawSample): PayloadItem[] {
  const common = { id: s.uuid.toUpperCase(), startDate: isoSeconds(s.start), endDate: isoSeconds(s.end), zoneOffset: null,
    source: source(s), metadata: s.metadata && Object.keys(s.metadata).length ? s.metadata : null };
  if (s.type === HK_SLEEP) {
    const stage = SLEEP_STAGES[s.value ?? -1] ?? "unknown";
    return [{ kind: "sleep", item: { ...common, parentId: null, stage, values: null, metadata: null } }];
  }
  if (s.type === HK_WORKOUT) {
    const w = s.workout;
    return [{ kind: "workouts", item: { ...common, parentId: null, type: w?.activityType ?? "other", title: null, notes: null,
      values: w?.stats ?? [], segments: null, laps: null, route: null, samples: null } }];
  }
  if (s.value === undefined || !Number.isFinite(s.value)) return [];
  if (s.type.startsWith(C)) {
    return [{ kind: "records", item: { ...common, type: s.type, value: Math.round(s.value), unit: null, parentId: null } }];
  }
  const u = HK_UNITS[s.type];
  const value = u?.scale ? Math.round(s.value * u.scale * 1000) / 1000 : s.value;
  return [{ kind: "records", item: { ...common, type: s.type, value, unit: u?.wire ?? s.unit ?? null, parentId: null } }];
}
