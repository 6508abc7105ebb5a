/**
 * The 93 series types of the unified model (reference §8.2): persisted id, canonical unit, daily aggregation, and the
 * physiological bounds a normalized sample must satisfy (the single place these bounds are documented).
 *
 * Bounds are "impossible", not "unusual": they reject sensor garbage and unit mix-ups (a fraction sent as percent, a
 * value in the wrong unit) but keep real outliers (bradycardic athletes, hypoxic readings, record-setting values).
 * `min`/`max` are inclusive and apply to the value *after* conversion to the canonical unit; `gt0` makes the lower
 * bound exclusive (heart rate 0 is a missing reading, not a measurement). Per-sample limits for summed series
 * (steps, energy, distance) are generous because some sources write whole-day totals as one sample.
 */

export type Aggregation = "avg" | "sum" | "max";

export interface SeriesTypeDef {
  id: number;
  unit: string;
  aggregation: Aggregation;
  /** Inclusive lower bound in the canonical unit (exclusive when `gt0`). */
  min: number;
  /** Inclusive upper bound in the canonical unit. */
  max: number;
  gt0: boolean;
}

// [id, series_type, canonical unit, daily aggregation, min, max, lower bound exclusive]
type Row = readonly [number, string, string, Aggregation, number, number, boolean?];

// prettier-ignore
const ROWS: readonly Row[] = [
  // heart & cardiovascular
  [1, "heart_rate", "bpm", "avg", 0, 300, true],
  [2, "resting_heart_rate", "bpm", "avg", 0, 250, true],
  [3, "heart_rate_variability_sdnn", "ms", "avg", 0, 3000],
  [4, "heart_rate_recovery_one_minute", "bpm", "avg", 0, 250],
  [5, "walking_heart_rate_average", "bpm", "avg", 0, 300, true],
  [7, "heart_rate_variability_rmssd", "ms", "avg", 0, 3000],
  // blood & respiratory
  [20, "oxygen_saturation", "percent", "avg", 0, 100, true],
  [21, "blood_glucose", "mg_dl", "avg", 0, 3000, true],
  [22, "blood_pressure_systolic", "mmHg", "avg", 20, 400],
  [23, "blood_pressure_diastolic", "mmHg", "avg", 10, 300],
  [24, "respiratory_rate", "brpm", "avg", 0, 200, true],
  [25, "sleeping_breathing_disturbances", "count", "sum", 0, 10000],
  [26, "blood_alcohol_content", "mg_dl", "avg", 0, 2000],
  [27, "peripheral_perfusion_index", "score", "avg", 0, 100],
  [28, "forced_vital_capacity", "liters", "avg", 0, 15, true],
  [29, "forced_expiratory_volume_1", "liters", "avg", 0, 15, true],
  [30, "peak_expiratory_flow_rate", "L/min", "avg", 0, 1500, true],
  [31, "breathing_disturbance_index", "score", "avg", 0, 500],
  // body
  [40, "height", "cm", "avg", 0, 300, true],
  [41, "weight", "kg", "avg", 0, 700, true],
  [42, "body_fat_percentage", "percent", "avg", 0, 100],
  [43, "body_mass_index", "kg_m2", "avg", 0, 250, true],
  [44, "lean_body_mass", "kg", "avg", 0, 700, true],
  [45, "body_temperature", "celsius", "avg", 10, 50],
  [46, "skin_temperature", "celsius", "avg", 0, 50],
  [47, "waist_circumference", "cm", "avg", 0, 500, true],
  [48, "body_fat_mass", "kg", "avg", 0, 700],
  [49, "skeletal_muscle_mass", "kg", "avg", 0, 700],
  [50, "skin_temperature_deviation", "celsius", "avg", -20, 20],
  [51, "skin_temperature_trend_deviation", "celsius", "avg", -20, 20],
  // fitness
  [60, "vo2_max", "ml_kg_min", "avg", 0, 150, true],
  [61, "six_minute_walk_test_distance", "meters", "max", 0, 3000],
  [62, "cardiovascular_age", "years", "avg", 0, 150, true],
  // activity (per sample; whole-day totals must fit)
  [80, "steps", "count", "sum", 0, 200000],
  [81, "energy", "kcal", "sum", 0, 50000],
  [82, "basal_energy", "kcal", "sum", 0, 20000],
  [83, "stand_time", "minutes", "sum", 0, 1440],
  [84, "exercise_time", "minutes", "sum", 0, 1440],
  [85, "physical_effort", "score", "avg", 0, 100],
  [86, "flights_climbed", "count", "sum", 0, 10000],
  [87, "average_met", "met", "avg", 0, 100],
  [88, "active_time", "minutes", "sum", 0, 1440],
  [100, "distance_walking_running", "meters", "sum", 0, 1000000],
  [101, "distance_cycling", "meters", "sum", 0, 2000000],
  [102, "distance_swimming", "meters", "sum", 0, 200000],
  [103, "distance_downhill_snow_sports", "meters", "sum", 0, 1000000],
  [104, "distance_other", "meters", "sum", 0, 2000000],
  // gait & running
  [120, "walking_step_length", "cm", "avg", 0, 300],
  [121, "walking_speed", "m_per_s", "avg", 0, 15],
  [122, "walking_double_support_percentage", "percent", "avg", 0, 100],
  [123, "walking_asymmetry_percentage", "percent", "avg", 0, 100],
  [124, "walking_steadiness", "percent", "avg", 0, 100],
  [125, "stair_descent_speed", "m_per_s", "avg", 0, 15],
  [126, "stair_ascent_speed", "m_per_s", "avg", 0, 15],
  [140, "running_power", "watts", "avg", 0, 3000],
  [141, "running_speed", "m_per_s", "avg", 0, 20],
  [142, "running_vertical_oscillation", "cm", "avg", 0, 100],
  [143, "running_ground_contact_time", "ms", "avg", 0, 3000],
  [144, "running_stride_length", "cm", "avg", 0, 600],
  [145, "running_vertical_ratio", "percent", "avg", 0, 100],
  [146, "running_stance_time_balance", "percent", "avg", 0, 100],
  [160, "swimming_stroke_count", "count", "sum", 0, 100000],
  [161, "underwater_depth", "meters", "avg", 0, 2000],
  [180, "cadence", "rpm", "avg", 0, 500],
  [181, "power", "watts", "avg", 0, 3000],
  [182, "speed", "m_per_s", "avg", 0, 150],
  [183, "workout_effort_score", "score", "avg", 0, 10],
  [184, "estimated_workout_effort_score", "score", "avg", 0, 10],
  // environment
  [200, "environmental_audio_exposure", "dB", "avg", 0, 200],
  [201, "headphone_audio_exposure", "dB", "avg", 0, 200],
  [202, "environmental_sound_reduction", "dB", "avg", 0, 200],
  [203, "time_in_daylight", "minutes", "sum", 0, 1440],
  [204, "water_temperature", "celsius", "avg", -5, 100],
  [205, "uv_exposure", "count", "sum", 0, 50],
  [206, "inhaler_usage", "count", "sum", 0, 1000],
  [207, "weather_temperature", "celsius", "avg", -90, 70],
  [208, "weather_humidity", "percent", "avg", 0, 100],
  [209, "elevation", "meters", "avg", -1000, 10000],
  [210, "latitude", "degrees", "avg", -90, 90],
  [211, "longitude", "degrees", "avg", -180, 180],
  [212, "air_temperature", "celsius", "avg", -90, 70],
  // vendor scores (not fed by the SDKs, kept for completeness of the model)
  [220, "garmin_stress_level", "score", "avg", -2, 100],
  [221, "garmin_skin_temperature", "celsius", "avg", 0, 50],
  [222, "garmin_fitness_age", "years", "avg", 0, 150, true],
  [223, "garmin_body_battery", "percent", "avg", 0, 100],
  // misc counts
  [500, "electrodermal_activity", "count", "avg", 0, 1000],
  [501, "push_count", "count", "sum", 0, 200000],
  [502, "atrial_fibrillation_burden", "count", "sum", 0, 100],
  [503, "insulin_delivery", "count", "sum", 0, 1000],
  [504, "number_of_times_fallen", "count", "sum", 0, 1000],
  [505, "number_of_alcoholic_beverages", "count", "sum", 0, 1000],
  [506, "nike_fuel", "count", "sum", 0, 1000000],
  [507, "hydration", "mL", "avg", 0, 20000],
];

export const SERIES_TYPES: Readonly<Record<string, SeriesTypeDef>> = Object.freeze(
  Object.fromEntries(
    ROWS.map(([id, code, unit, aggregation, min, max, gt0]) => [
      code,
      Object.freeze({ id, unit, aggregation, min, max, gt0: gt0 === true }),
    ]),
  ),
);

/** True when the canonical value lies inside the series type's physiological bounds. */
export function withinBounds(def: SeriesTypeDef, value: number): boolean {
  return (def.gt0 ? value > def.min : value >= def.min) && value <= def.max;
}
