/** The event-type catalogue (reference §10.2): lifecycle events, timeseries group events and their granular children. */

/** Series types per timeseries group event (reference §8.2); series without a group emit nothing. */
export const SERIES_GROUPS: Record<string, readonly string[]> = {
  heart_rate: [
    "heart_rate", "resting_heart_rate", "heart_rate_recovery_one_minute", "walking_heart_rate_average",
    "atrial_fibrillation_burden",
  ],
  heart_rate_variability: [
    "heart_rate_variability_sdnn", "heart_rate_variability_rmssd",
  ],
  steps: [
    "steps",
  ],
  calories: [
    "energy", "basal_energy",
  ],
  spo2: [
    "oxygen_saturation", "peripheral_perfusion_index",
  ],
  respiratory_rate: [
    "respiratory_rate", "sleeping_breathing_disturbances", "forced_vital_capacity", "forced_expiratory_volume_1",
    "peak_expiratory_flow_rate", "breathing_disturbance_index",
  ],
  body_temperature: [
    "body_temperature", "skin_temperature", "skin_temperature_deviation", "skin_temperature_trend_deviation",
    "garmin_skin_temperature",
  ],
  stress: [
    "garmin_stress_level", "electrodermal_activity",
  ],
  blood_glucose: [
    "blood_glucose", "blood_alcohol_content", "insulin_delivery",
  ],
  blood_pressure: [
    "blood_pressure_systolic", "blood_pressure_diastolic",
  ],
  body_composition: [
    "height", "weight", "body_fat_percentage", "body_mass_index", "lean_body_mass", "waist_circumference",
    "body_fat_mass", "skeletal_muscle_mass",
  ],
  fitness_metrics: [
    "vo2_max", "six_minute_walk_test_distance", "cardiovascular_age", "garmin_fitness_age",
  ],
  recovery_score: [
    "garmin_body_battery",
  ],
  activity_timeseries: [
    "stand_time", "exercise_time", "physical_effort", "flights_climbed", "average_met", "active_time",
    "distance_walking_running", "distance_cycling", "distance_swimming", "distance_downhill_snow_sports",
    "distance_other", "push_count", "number_of_times_fallen", "number_of_alcoholic_beverages", "nike_fuel",
    "hydration",
  ],
  workout_metrics: [
    "walking_step_length", "walking_speed", "walking_double_support_percentage", "walking_asymmetry_percentage",
    "walking_steadiness", "stair_descent_speed", "stair_ascent_speed", "running_power", "running_speed",
    "running_vertical_oscillation", "running_ground_contact_time", "running_stride_length", "swimming_stroke_count",
    "underwater_depth", "cadence", "power", "speed", "workout_effort_score", "estimated_workout_effort_score",
  ],
  environmental: [
    "environmental_audio_exposure", "headphone_audio_exposure", "environmental_sound_reduction", "time_in_daylight",
    "water_temperature", "uv_exposure", "inhaler_usage", "weather_temperature", "weather_humidity",
  ],
};

const LIFECYCLE: [string, string][] = [
  ["connection.created", "A user connected a data source (first upload from a provider)."],
  ["connection.revoked", "A user's connection was revoked (OAuth providers only)."],
  ["sync.started", "A sync run started."],
  ["sync.completed", "A sync run completed."],
  ["sync.failed", "A sync run failed."],
  ["workout.created", "A workout was stored."],
  ["sleep.created", "A sleep session was stored (new or merged)."],
  ["menstrual_cycle.created", "A menstrual cycle was stored."],
];

export interface EventTypeInfo { name: string; description: string; child_events: string[] | null }

const GROUP_OF_SERIES = new Map<string, string>(
  Object.entries(SERIES_GROUPS).flatMap(([group, series]) => series.map((s) => [s, `${group}.created`] as const)),
);

/** `heart_rate.created` for `resting_heart_rate`; undefined for series that emit no events. */
export const groupEventFor = (seriesType: string) => GROUP_OF_SERIES.get(seriesType);
export const granularEventFor = (seriesType: string) => `series.${seriesType}.created`;

export const EVENT_TYPES: readonly EventTypeInfo[] = [
  ...LIFECYCLE.map(([name, description]) => ({ name, description, child_events: null })),
  ...Object.entries(SERIES_GROUPS).map(([group, series]) => ({
    name: `${group}.created`,
    description: `New ${group.replaceAll("_", " ")} samples were stored (one event per provider and series per batch).`,
    child_events: series.map(granularEventFor),
  })),
  ...Object.values(SERIES_GROUPS).flat().map((series) => ({
    name: granularEventFor(series),
    description: `New ${series} samples were stored.`,
    child_events: null,
  })),
];

export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES.map((e) => e.name));
