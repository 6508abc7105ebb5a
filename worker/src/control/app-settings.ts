import { isoZ } from "../lib/time";
import { sha256Hex } from "../auth/secrets";
import { TtlCache } from "./cache";

/**
 * Per-application branding and onboarding settings (what the PWA at /connect shows), and the read-only view of
 * an invitation code that the PWA is allowed to see: its state and its application's branding, never a token.
 */

/** The SDK's HealthDataType ids (open-wearables-sdk.md §1.2.3, the Dart enum), in declaration order. */
export const HEALTH_DATA_TYPES = [
  "steps", "distanceWalkingRunning", "distanceCycling", "flightsClimbed", "walkingSpeed", "walkingStepLength",
  "walkingAsymmetryPercentage", "walkingDoubleSupportPercentage", "sixMinuteWalkTestDistance", "activeEnergy",
  "basalEnergy", "heartRate", "restingHeartRate", "heartRateVariabilitySDNN", "vo2Max", "oxygenSaturation",
  "respiratoryRate", "bodyMass", "height", "bmi", "bodyFatPercentage", "leanBodyMass", "waistCircumference",
  "bodyTemperature", "bloodGlucose", "insulinDelivery", "bloodPressureSystolic", "bloodPressureDiastolic",
  "bloodPressure", "dietaryEnergyConsumed", "dietaryCarbohydrates", "dietaryProtein", "dietaryFatTotal",
  "dietaryWater", "sleep", "mindfulSession", "menstrualFlow", "cervicalMucusQuality", "ovulationTestResult",
  "sexualActivity", "workout",
] as const;
export type HealthDataType = (typeof HEALTH_DATA_TYPES)[number];

/** What the integration guide's examples request; shown when an application has not chosen. */
export const DEFAULT_REQUESTED_TYPES: HealthDataType[] = ["steps", "heartRate", "sleep", "workout", "activeEnergy"];
export const DEFAULT_DEEP_LINK_SCHEME = "openwearables";

/** How long after redemption the code still opens the status page (counts only): long enough to watch a backfill. */
export const STATUS_VISIBLE_AFTER_REDEEM_MS = 7 * 24 * 3600_000;

export interface AppSettings {
  display_name: string | null;
  logo_url: string | null;
  accent_color: string | null;
  requested_data_types: HealthDataType[];
  deep_link_scheme: string;
  universal_link_base_url: string | null;
  app_store_url: string | null;
  play_store_url: string | null;
  redirect_url: string | null;
}
export type AppSettingsPatch = Partial<{ [K in keyof AppSettings]: AppSettings[K] | null }>;

interface SettingsRow {
  display_name: string | null;
  logo_url: string | null;
  accent_color: string | null;
  requested_data_types: string | null;
  deep_link_scheme: string | null;
  universal_link_base_url: string | null;
  app_store_url: string | null;
  play_store_url: string | null;
  redirect_url: string | null;
  updated_at: number | null;
}

const SETTINGS_COLUMNS = [
  "display_name", "logo_url", "accent_color", "requested_data_types", "deep_link_scheme",
  "universal_link_base_url", "app_store_url", "play_store_url", "redirect_url",
] as const;

function parseTypes(json: string | null): HealthDataType[] {
  if (!json) return [...DEFAULT_REQUESTED_TYPES];
  try {
    const known = new Set<string>(HEALTH_DATA_TYPES);
    const list = (JSON.parse(json) as unknown[]).filter((t): t is HealthDataType => typeof t === "string" && known.has(t));
    return list.length ? list : [...DEFAULT_REQUESTED_TYPES];
  } catch {
    return [...DEFAULT_REQUESTED_TYPES];
  }
}

/** Effective settings: stored values over defaults (the application's own name stands in for a display name). */
function toSettings(row: Partial<SettingsRow> | null, appName: string | null): AppSettings {
  return {
    display_name: row?.display_name ?? appName,
    logo_url: row?.logo_url ?? null,
    accent_color: row?.accent_color ?? null,
    requested_data_types: parseTypes(row?.requested_data_types ?? null),
    deep_link_scheme: row?.deep_link_scheme ?? DEFAULT_DEEP_LINK_SCHEME,
    universal_link_base_url: row?.universal_link_base_url ?? null,
    app_store_url: row?.app_store_url ?? null,
    play_store_url: row?.play_store_url ?? null,
    redirect_url: row?.redirect_url ?? null,
  };
}

export async function readAppSettings(db: D1Database, app: { id: string; app_id: string; name: string }) {
  const row = await db.prepare(`SELECT * FROM application_settings WHERE application_id = ?`).bind(app.id).first<SettingsRow>();
  return { app_id: app.app_id, ...toSettings(row, app.name), updated_at: row?.updated_at ? isoZ(row.updated_at) : null };
}

/** Applies a partial update: a given value replaces, `null` resets to the default, an absent field is kept. */
export async function updateAppSettings(
  db: D1Database,
  app: { id: string; app_id: string; name: string },
  patch: AppSettingsPatch,
  now = Date.now(),
) {
  const current = await db.prepare(`SELECT * FROM application_settings WHERE application_id = ?`).bind(app.id).first<SettingsRow>();
  const next: Record<(typeof SETTINGS_COLUMNS)[number], string | null> = {
    display_name: current?.display_name ?? null,
    logo_url: current?.logo_url ?? null,
    accent_color: current?.accent_color ?? null,
    requested_data_types: current?.requested_data_types ?? null,
    deep_link_scheme: current?.deep_link_scheme ?? DEFAULT_DEEP_LINK_SCHEME,
    universal_link_base_url: current?.universal_link_base_url ?? null,
    app_store_url: current?.app_store_url ?? null,
    play_store_url: current?.play_store_url ?? null,
    redirect_url: current?.redirect_url ?? null,
  };
  for (const key of SETTINGS_COLUMNS) {
    if (!(key in patch)) continue;
    const value = patch[key];
    if (key === "requested_data_types") next[key] = value == null ? null : JSON.stringify(value);
    else if (key === "deep_link_scheme") next[key] = (value as string | null) ?? DEFAULT_DEEP_LINK_SCHEME;
    else next[key] = (value as string | null | undefined) ?? null;
  }
  const values = SETTINGS_COLUMNS.map((k) => next[k]);
  await db.prepare(
    `INSERT INTO application_settings (application_id, ${SETTINGS_COLUMNS.join(", ")}, updated_at)
     VALUES (?, ${SETTINGS_COLUMNS.map(() => "?").join(", ")}, ?)
     ON CONFLICT (application_id) DO UPDATE SET
       ${SETTINGS_COLUMNS.map((k) => `${k} = excluded.${k}`).join(", ")}, updated_at = excluded.updated_at`,
  ).bind(app.id, ...values, now).run();
  return readAppSettings(db, app);
}

// ---- The invitation code as the onboarding PWA sees it --------------------------------------------------------

export type CodeState = "valid" | "expired" | "used" | "unknown";

export interface ConnectCode {
  state: CodeState;
  id: string | null;
  user_id: string | null;
  expires_at: number | null;
  redeemed_at: number | null;
  settings: AppSettings;
}

type CodeRow = SettingsRow & {
  id: string; user_id: string; expires_at: number; redeemed_at: number | null; revoked_at: number | null; app_name: string | null;
};

// The status page polls every few seconds; its code lookup is cached so the poll makes no D1 query (control/cache.ts).
// Redemption is then read from the user's object, which starts the session (routes/connect.ts).
const codeCache = new TtlCache<CodeRow | null>();

const loadCode = (db: D1Database, codeHash: string) => db.prepare(
  `SELECT c.id, c.user_id, c.expires_at, c.redeemed_at, c.revoked_at, a.name AS app_name,
          ${SETTINGS_COLUMNS.map((k) => `s.${k}`).join(", ")}
     FROM invitation_codes c
     LEFT JOIN applications a ON a.id = c.application_id
     LEFT JOIN application_settings s ON s.application_id = c.application_id
    WHERE c.code_hash = ?`,
).bind(codeHash).first<CodeRow>();

/** A code's state at `now`, given when (if ever) it was redeemed. */
function stateOf(row: CodeRow, redeemedAt: number | null, now: number): CodeState {
  if (redeemedAt !== null) return now - redeemedAt < STATUS_VISIBLE_AFTER_REDEEM_MS ? "used" : "expired";
  return row.revoked_at !== null || row.expires_at <= now ? "expired" : "valid";
}

/**
 * Looks a code up by its hash whatever its state, so a redeemed code keeps opening the status page. A code
 * replaced by a newer one reads as expired: for the person holding it the answer is the same, ask for a new link.
 * `cached`: served from the per-isolate cache (the status poll); `redeemed_at` may then be stale, see `withRedemption`.
 */
export async function lookupConnectCode(db: D1Database, code: string, now = Date.now(), cached = false): Promise<ConnectCode> {
  const hash = await sha256Hex(code);
  const row = cached ? await codeCache.get(hash, () => loadCode(db, hash)) : await loadCode(db, hash);
  if (!row) return { state: "unknown", id: null, user_id: null, expires_at: null, redeemed_at: null, settings: toSettings(null, null) };
  return {
    state: stateOf(row, row.redeemed_at, now),
    id: row.id,
    user_id: row.user_id,
    expires_at: row.expires_at,
    redeemed_at: row.redeemed_at,
    settings: toSettings(row, row.app_name),
  };
}

/** The code as redeemed at `redeemedAt` (learned from the user's object when the cached row predates it). */
export function withRedemption(found: ConnectCode, redeemedAt: number, now = Date.now()): ConnectCode {
  const state: CodeState = now - redeemedAt < STATUS_VISIBLE_AFTER_REDEEM_MS ? "used" : "expired";
  return { ...found, state, redeemed_at: redeemedAt };
}
