/**
 * SDK record `type` → series type (reference §8.4: 81 HealthKit identifiers + 27 Android names = 108). Lookup is
 * exact and case-sensitive, as in the reference; anything else is an unknown type (counted, not an error).
 *
 * Per entry:
 * - `defaultUnit`: the unit the SDK means when it sends `unit: null` (reference converts height ×100 regardless of
 *   the unit, so null height is metres); absent → the series' canonical unit.
 * - `pct`: factor for a value labelled `%`. HealthKit's percent unit is a 0–1 fraction (walking asymmetry, double
 *   support, steadiness, body fat, perfusion index, AFib burden, blood alcohol), except SpO2 which the iOS SDK
 *   already multiplies by 100. `pctAppleOnly`: the reference applies the body-fat ×100 only for provider `apple`
 *   (Health Connect / Samsung already send 0–100).
 *
 * Deliberate deviations from the reference (which files them under `distance_other`, a summed metres series, so a
 * speed or a NikeFuel count would inflate daily distance and fail our unit check): UnderwaterDepth → underwater_depth,
 * NikeFuel → nike_fuel, CrossCountrySkiing/PaddleSports/Rowing speeds → speed. Each is marked below.
 */

export interface SdkTypeEntry {
  series: string;
  defaultUnit?: string;
  pct?: number;
  pctAppleOnly?: boolean;
}

// prettier-ignore
const TABLE: Record<string, SdkTypeEntry> = {
  // HealthKit identifiers (iOS, `apple`)
  HKQuantityTypeIdentifierHeartRate: { series: "heart_rate" },
  HKQuantityTypeIdentifierRestingHeartRate: { series: "resting_heart_rate" },
  HKQuantityTypeIdentifierHeartRateVariabilitySDNN: { series: "heart_rate_variability_sdnn" },
  HKQuantityTypeIdentifierHeartRateRecoveryOneMinute: { series: "heart_rate_recovery_one_minute" },
  HKQuantityTypeIdentifierWalkingHeartRateAverage: { series: "walking_heart_rate_average" },
  HKQuantityTypeIdentifierOxygenSaturation: { series: "oxygen_saturation" },
  HKQuantityTypeIdentifierBloodGlucose: { series: "blood_glucose", defaultUnit: "mg/dL" },
  HKQuantityTypeIdentifierBloodPressureSystolic: { series: "blood_pressure_systolic" },
  HKQuantityTypeIdentifierBloodPressureDiastolic: { series: "blood_pressure_diastolic" },
  HKQuantityTypeIdentifierRespiratoryRate: { series: "respiratory_rate" },
  HKQuantityTypeIdentifierHeight: { series: "height", defaultUnit: "m" },
  HKQuantityTypeIdentifierBodyMass: { series: "weight" },
  HKQuantityTypeIdentifierBodyFatPercentage: { series: "body_fat_percentage", defaultUnit: "%", pct: 100, pctAppleOnly: true },
  HKQuantityTypeIdentifierBodyMassIndex: { series: "body_mass_index" },
  HKQuantityTypeIdentifierLeanBodyMass: { series: "lean_body_mass" },
  HKQuantityTypeIdentifierBodyTemperature: { series: "body_temperature" },
  HKQuantityTypeIdentifierVO2Max: { series: "vo2_max" },
  HKQuantityTypeIdentifierSixMinuteWalkTestDistance: { series: "six_minute_walk_test_distance" },
  HKQuantityTypeIdentifierStepCount: { series: "steps" },
  HKQuantityTypeIdentifierActiveEnergyBurned: { series: "energy" },
  HKQuantityTypeIdentifierBasalEnergyBurned: { series: "basal_energy" },
  HKQuantityTypeIdentifierAppleStandTime: { series: "stand_time" },
  HKQuantityTypeIdentifierAppleExerciseTime: { series: "exercise_time" },
  HKQuantityTypeIdentifierFlightsClimbed: { series: "flights_climbed" },
  HKQuantityTypeIdentifierDistanceWalkingRunning: { series: "distance_walking_running" },
  HKQuantityTypeIdentifierDistanceCycling: { series: "distance_cycling" },
  HKQuantityTypeIdentifierDistanceSwimming: { series: "distance_swimming" },
  HKQuantityTypeIdentifierDistanceDownhillSnowSports: { series: "distance_downhill_snow_sports" },
  HKQuantityTypeIdentifierDistancePaddleSports: { series: "distance_other" },
  HKQuantityTypeIdentifierDistanceRowing: { series: "distance_other" },
  HKQuantityTypeIdentifierDistanceSkatingSports: { series: "distance_other" },
  HKQuantityTypeIdentifierDistanceWheelchair: { series: "distance_other" },
  HKQuantityTypeIdentifierDistanceCrossCountrySkiing: { series: "distance_other" },
  HKQuantityTypeIdentifierWalkingStepLength: { series: "walking_step_length", defaultUnit: "m" },
  HKQuantityTypeIdentifierWalkingSpeed: { series: "walking_speed" },
  HKQuantityTypeIdentifierWalkingDoubleSupportPercentage: { series: "walking_double_support_percentage", defaultUnit: "%", pct: 100 },
  HKQuantityTypeIdentifierWalkingAsymmetryPercentage: { series: "walking_asymmetry_percentage", defaultUnit: "%", pct: 100 },
  HKQuantityTypeIdentifierAppleWalkingSteadiness: { series: "walking_steadiness", defaultUnit: "%", pct: 100 },
  HKQuantityTypeIdentifierStairDescentSpeed: { series: "stair_descent_speed" },
  HKQuantityTypeIdentifierStairAscentSpeed: { series: "stair_ascent_speed" },
  HKQuantityTypeIdentifierRunningPower: { series: "running_power" },
  HKQuantityTypeIdentifierRunningSpeed: { series: "running_speed" },
  HKQuantityTypeIdentifierRunningVerticalOscillation: { series: "running_vertical_oscillation" },
  HKQuantityTypeIdentifierRunningGroundContactTime: { series: "running_ground_contact_time" },
  HKQuantityTypeIdentifierRunningStrideLength: { series: "running_stride_length", defaultUnit: "m" },
  HKQuantityTypeIdentifierSwimmingStrokeCount: { series: "swimming_stroke_count" },
  HKQuantityTypeIdentifierEnvironmentalAudioExposure: { series: "environmental_audio_exposure" },
  HKQuantityTypeIdentifierHeadphoneAudioExposure: { series: "headphone_audio_exposure" },
  HKQuantityTypeIdentifierEnvironmentalSoundReduction: { series: "environmental_sound_reduction" },
  HKQuantityTypeIdentifierTimeInDaylight: { series: "time_in_daylight" },
  HKQuantityTypeIdentifierPhysicalEffort: { series: "physical_effort" },
  HKQuantityTypeIdentifierWorkoutEffortScore: { series: "workout_effort_score" },
  HKQuantityTypeIdentifierEstimatedWorkoutEffortScore: { series: "estimated_workout_effort_score" },
  HKQuantityTypeIdentifierAppleMoveTime: { series: "exercise_time" },
  HKQuantityTypeIdentifierAppleSleepingWristTemperature: { series: "body_temperature" },
  HKQuantityTypeIdentifierBloodAlcoholContent: { series: "blood_alcohol_content", defaultUnit: "%", pct: 100000 },
  HKQuantityTypeIdentifierPeripheralPerfusionIndex: { series: "peripheral_perfusion_index", defaultUnit: "%", pct: 100 },
  HKQuantityTypeIdentifierForcedVitalCapacity: { series: "forced_vital_capacity" },
  HKQuantityTypeIdentifierForcedExpiratoryVolume1: { series: "forced_expiratory_volume_1" },
  HKQuantityTypeIdentifierPeakExpiratoryFlowRate: { series: "peak_expiratory_flow_rate" },
  HKQuantityTypeIdentifierBasalBodyTemperature: { series: "body_temperature" },
  HKQuantityTypeIdentifierAppleSleepingBreathingDisturbances: { series: "sleeping_breathing_disturbances" },
  HKQuantityTypeIdentifierWaistCircumference: { series: "waist_circumference", defaultUnit: "m" },
  HKQuantityTypeIdentifierInsulinDelivery: { series: "insulin_delivery" },
  HKQuantityTypeIdentifierNumberOfTimesFallen: { series: "number_of_times_fallen" },
  HKQuantityTypeIdentifierInhalerUsage: { series: "inhaler_usage" },
  HKQuantityTypeIdentifierNumberOfAlcoholicBeverages: { series: "number_of_alcoholic_beverages" },
  HKQuantityTypeIdentifierElectrodermalActivity: { series: "electrodermal_activity" },
  HKQuantityTypeIdentifierUVExposure: { series: "uv_exposure" },
  HKQuantityTypeIdentifierPushCount: { series: "push_count" },
  HKQuantityTypeIdentifierAtrialFibrillationBurden: { series: "atrial_fibrillation_burden", defaultUnit: "%", pct: 100 },
  HKQuantityTypeIdentifierUnderwaterDepth: { series: "underwater_depth" }, // reference: distance_other
  HKQuantityTypeIdentifierWaterTemperature: { series: "water_temperature" },
  HKQuantityTypeIdentifierCyclingCadence: { series: "cadence" },
  HKQuantityTypeIdentifierCyclingFunctionalThresholdPower: { series: "power" },
  HKQuantityTypeIdentifierCyclingPower: { series: "power" },
  HKQuantityTypeIdentifierCyclingSpeed: { series: "speed" },
  HKQuantityTypeIdentifierCrossCountrySkiingSpeed: { series: "speed" }, // reference: distance_other
  HKQuantityTypeIdentifierPaddleSportsSpeed: { series: "speed" }, // reference: distance_other
  HKQuantityTypeIdentifierRowingSpeed: { series: "speed" }, // reference: distance_other
  HKQuantityTypeIdentifierNikeFuel: { series: "nike_fuel" }, // reference: distance_other
  // Android names (Health Connect `google`, Samsung Health `samsung`)
  HEART_RATE: { series: "heart_rate" },
  RESTING_HEART_RATE: { series: "resting_heart_rate" },
  HEART_RATE_VARIABILITY: { series: "heart_rate_variability_rmssd" },
  OXYGEN_SATURATION: { series: "oxygen_saturation" },
  BLOOD_GLUCOSE: { series: "blood_glucose", defaultUnit: "mg/dL" },
  BLOOD_PRESSURE_SYSTOLIC: { series: "blood_pressure_systolic" },
  BLOOD_PRESSURE_DIASTOLIC: { series: "blood_pressure_diastolic" },
  RESPIRATORY_RATE: { series: "respiratory_rate" },
  HEIGHT: { series: "height", defaultUnit: "m" },
  WEIGHT: { series: "weight" },
  LEAN_BODY_MASS: { series: "lean_body_mass" },
  SKELETAL_MUSCLE_MASS: { series: "skeletal_muscle_mass" },
  BODY_FAT_MASS: { series: "body_fat_mass" },
  BODY_FAT: { series: "body_fat_percentage", pct: 100, pctAppleOnly: true },
  BMI: { series: "body_mass_index" },
  BODY_TEMPERATURE: { series: "body_temperature" },
  VO2_MAX: { series: "vo2_max" },
  STEP_COUNT: { series: "steps" },
  ACTIVE_CALORIES_BURNED: { series: "energy" },
  BASAL_METABOLIC_RATE: { series: "basal_energy" },
  FLOORS_CLIMBED: { series: "flights_climbed" },
  DISTANCE: { series: "distance_walking_running" },
  HYDRATION: { series: "hydration", defaultUnit: "mL" },
  POWER: { series: "power" },
  SPEED: { series: "speed" },
  CYCLING_PEDALING_CADENCE: { series: "cadence" },
  TOTAL_CALORIES_BURNED: { series: "energy" },
};

/** Precomputed lookup; a Map avoids prototype keys (`constructor`, `__proto__`) being taken for SDK types. */
export const SDK_TYPE_MAP: ReadonlyMap<string, SdkTypeEntry> = new Map(Object.entries(TABLE));
