-- Control plane: applications, API keys, users, refresh-token families and invitation codes.
-- Times are Unix epoch milliseconds. Secrets, keys, refresh tokens and codes are stored only as SHA-256 hashes.

CREATE TABLE applications (
  id            TEXT PRIMARY KEY,            -- uuid
  app_id        TEXT NOT NULL UNIQUE,        -- app_<32 hex>, public
  name          TEXT NOT NULL,
  secret_hash   TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER
);

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,            -- key_<16 hex>, public handle for management
  key_hash      TEXT NOT NULL UNIQUE,
  key_prefix    TEXT NOT NULL,               -- first characters, to recognise a key in a list
  name          TEXT NOT NULL,
  created_by    TEXT,
  created_at    INTEGER NOT NULL
);

CREATE TABLE users (
  id                    TEXT PRIMARY KEY,    -- uuid v4, lowercase
  first_name            TEXT,
  last_name             TEXT,
  email                 TEXT,
  external_user_id      TEXT UNIQUE,
  created_at            INTEGER NOT NULL,
  last_synced_at        INTEGER,
  last_synced_provider  TEXT
);
CREATE INDEX users_created_at ON users (created_at, id);
CREATE INDEX users_email ON users (email);

-- One family per sign-in (mint or invitation redeem); every refresh rotates within it.
CREATE TABLE refresh_families (
  id                  TEXT PRIMARY KEY,
  user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id      TEXT REFERENCES applications (id) ON DELETE CASCADE,
  app_claim           TEXT NOT NULL,         -- the access token's app_id claim
  created_at          INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  revoked_at          INTEGER,
  revoked_reason      TEXT
);
CREATE INDEX refresh_families_user ON refresh_families (user_id);
CREATE INDEX refresh_families_application ON refresh_families (application_id);

CREATE TABLE refresh_tokens (
  token_hash      TEXT PRIMARY KEY,
  family_id       TEXT NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
  created_at      INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  rotated_at      INTEGER,
  successor_hash  TEXT,
  successor_sealed TEXT                      -- the successor, sealed with a key only this token derives
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE invitation_codes (
  id              TEXT PRIMARY KEY,
  code_hash       TEXT NOT NULL UNIQUE,
  user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id  TEXT REFERENCES applications (id) ON DELETE CASCADE,
  created_by      TEXT NOT NULL,             -- 'admin' or the API key's id
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  redeemed_at     INTEGER,
  revoked_at      INTEGER
);
CREATE INDEX invitation_codes_user ON invitation_codes (user_id);
