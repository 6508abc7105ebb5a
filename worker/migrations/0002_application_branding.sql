-- Per-application branding and onboarding settings, shown by the onboarding PWA (/connect) for codes bound to the
-- application. One optional row per application; a missing row or NULL column means "use the default".
-- Times are Unix epoch milliseconds.

CREATE TABLE application_settings (
  application_id          TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
  display_name            TEXT,               -- the customer's name as people know it; else applications.name
  logo_url                TEXT,               -- https
  accent_color            TEXT,               -- #rrggbb
  requested_data_types    TEXT,               -- JSON array of SDK HealthDataType ids
  deep_link_scheme        TEXT NOT NULL DEFAULT 'openwearables',
  universal_link_base_url TEXT,               -- https base of the app's universal link / App Link (…/connect?…)
  app_store_url           TEXT,
  play_store_url          TEXT,
  redirect_url            TEXT,               -- where the PWA sends people once data flows
  updated_at              INTEGER NOT NULL
);
