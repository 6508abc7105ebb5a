/**
 * Workout `type` → unified workout type (reference §8.6). Input is trimmed and lower-cased (Android sends the Health
 * Connect names upper-case); unknown → `other`; the SDK's own `other` → `generic`; missing → `unknown` (what the
 * reference's read API shows for a null type).
 */

// prettier-ignore
const REFERENCE: Record<string, string> = {
  walking: "walking", running: "running", cycling: "cycling", wheelchair_walk: "walking",
  wheelchair_run: "running", hand_cycling: "cycling", elliptical: "elliptical",
  stair_climbing: "stair_climbing", stairs: "stair_climbing", jump_rope: "cardio_training",
  core_training: "strength_training", functional_strength_training: "strength_training",
  strength_training: "strength_training", cross_training: "cardio_training",
  mixed_cardio: "cardio_training", hiit: "cardio_training", step_training: "aerobics",
  fitness_gaming: "gaming", preparation_and_recovery: "stretching", flexibility: "stretching",
  cooldown: "stretching", barre: "aerobics", cardio_dance: "dance", social_dance: "dance",
  yoga: "yoga", mind_and_body: "stretching", pilates: "pilates",
  american_football: "american_football", australian_football: "football", baseball: "baseball",
  basketball: "basketball", cricket: "cricket", disc_sports: "disc_sports", handball: "handball",
  hockey: "hockey", lacrosse: "lacrosse", rugby: "rugby", soccer: "soccer", softball: "baseball",
  volleyball: "volleyball", badminton: "badminton", pickleball: "pickleball",
  racquetball: "racquetball", squash: "squash", table_tennis: "table_tennis", tennis: "tennis",
  climbing: "rock_climbing", equestrian: "horseback_riding", fishing: "fishing", golf: "golf",
  hiking: "hiking", hunting: "hunting", play: "play", cross_country_skiing: "cross_country_skiing",
  curling: "curling", downhill_skiing: "alpine_skiing", snow_sports: "snow_sports",
  snowboarding: "snowboarding", skating: "ice_skating", paddle_sports: "paddling", rowing: "rowing",
  sailing: "sailing", surfing: "surfing", swimming: "swimming", underwater_diving: "diving",
  water_fitness: "swimming", water_polo: "water_polo", water_sports: "water_sports",
  boxing: "boxing", kickboxing: "boxing", martial_arts: "martial_arts", tai_chi: "martial_arts",
  wrestling: "martial_arts", archery: "archery", bowling: "bowling", fencing: "fencing",
  gymnastics: "fitness_equipment", track_and_field: "running", swim_bike_run: "triathlon",
  transition: "transition", dance: "dance", dance_inspired_training: "dance",
  mixed_metabolic_cardio_training: "cardio_training", cycling_stationary: "indoor_cycling",
  boot_camp: "cardio_training", calisthenics: "strength_training", dancing: "dance",
  exercise_class: "cardio_training", football_american: "american_football",
  football_australian: "football", frisbee_disc: "disc_sports", guided_breathing: "meditation",
  ice_hockey: "hockey", ice_skating: "ice_skating", paddling: "paddling", paragliding: "paragliding",
  rock_climbing: "rock_climbing", roller_hockey: "hockey", rowing_machine: "rowing_machine",
  running_treadmill: "treadmill", scuba_diving: "diving", skiing: "alpine_skiing",
  snowshoeing: "snowshoeing", stair_climbing_machine: "stair_climbing", stretching: "stretching",
  swimming_open_water: "open_water_swimming", swimming_pool: "pool_swimming",
  weightlifting: "strength_training", wheelchair: "wheelchair", other: "generic",
};

// Additions (not in the reference, which sends these to `other`): raw Samsung / Health Connect names that have an
// obvious unified type. Additive only; nothing the reference maps is changed.
const ADDITIONS: Record<string, string> = {
  biking: "cycling",
  biking_stationary: "indoor_cycling",
  mountain_biking: "mountain_biking",
  trail_running: "trail_running",
  treadmill: "treadmill",
  indoor_cycling: "indoor_cycling",
  meditation: "meditation",
};

const MAP: ReadonlyMap<string, string> = new Map([...Object.entries(ADDITIONS), ...Object.entries(REFERENCE)]);

/** Every unified workout type a stored workout can have (what the read API's `record_type` filters on). */
export const UNIFIED_WORKOUT_TYPES: ReadonlySet<string> = new Set([...MAP.values(), "other", "generic", "unknown"]);

export const WORKOUT_TYPE_COUNT = Object.keys(REFERENCE).length;

export function unifiedWorkoutType(raw: unknown): string {
  if (typeof raw !== "string") return "unknown";
  const k = raw.trim().toLowerCase();
  if (k === "") return "unknown";
  return MAP.get(k) ?? "other";
}
