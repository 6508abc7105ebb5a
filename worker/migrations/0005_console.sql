-- Developer console (issue 14): team members of an organization, their passkeys, browser sessions, one-time
-- sign-up / invitation links, and pending WebAuthn ceremonies. No passwords anywhere. Session ids and link tokens
-- are stored only as SHA-256 hashes. Times are Unix epoch milliseconds.
-- organization_id references organizations (id) from 0004; default organization 'org_default'.

CREATE TABLE console_members (
  id                TEXT PRIMARY KEY,            -- mem_<hex>
  organization_id   TEXT NOT NULL,
  display_name      TEXT NOT NULL,
  role              TEXT NOT NULL CHECK (role IN ('owner', 'member')),
  webauthn_user_id  TEXT NOT NULL UNIQUE,        -- base64url user handle given to the authenticator (random, no PII)
  created_at        INTEGER NOT NULL,
  removed_at        INTEGER
);
CREATE INDEX console_members_org ON console_members (organization_id);

CREATE TABLE console_passkeys (
  id            TEXT PRIMARY KEY,                -- credential id, base64url
  member_id     TEXT NOT NULL REFERENCES console_members (id) ON DELETE CASCADE,
  public_key    TEXT NOT NULL,                   -- COSE public key, base64url
  counter       INTEGER NOT NULL,
  transports    TEXT,                            -- JSON array
  device_type   TEXT,
  backed_up     INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
);
CREATE INDEX console_passkeys_member ON console_passkeys (member_id);

CREATE TABLE console_sessions (
  id_hash             TEXT PRIMARY KEY,
  member_id           TEXT NOT NULL REFERENCES console_members (id) ON DELETE CASCADE,
  organization_id     TEXT NOT NULL,
  created_at          INTEGER NOT NULL,
  last_seen_at        INTEGER NOT NULL,
  idle_expires_at     INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  revoked_at          INTEGER
);
CREATE INDEX console_sessions_member ON console_sessions (member_id);

-- One-time links: 'signup' (made by the operator with the admin key) and 'invite' (made by an owner).
CREATE TABLE console_links (
  id               TEXT PRIMARY KEY,             -- lnk_<hex>, handle for listing and revoking
  token_hash       TEXT NOT NULL UNIQUE,
  organization_id  TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('signup', 'invite')),
  role             TEXT NOT NULL CHECK (role IN ('owner', 'member')),
  created_by       TEXT NOT NULL,                -- 'operator' or the inviting member's id
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  used_at          INTEGER,
  used_by          TEXT,
  revoked_at       INTEGER
);
CREATE INDEX console_links_org ON console_links (organization_id, created_at);

-- A WebAuthn challenge lives until its ceremony finishes (single use) or for 5 minutes.
CREATE TABLE console_ceremonies (
  id                TEXT PRIMARY KEY,            -- cer_<hex>
  purpose           TEXT NOT NULL CHECK (purpose IN ('register', 'login')),
  challenge         TEXT NOT NULL,
  link_id           TEXT,                        -- register: the link being used
  display_name      TEXT,
  webauthn_user_id  TEXT,
  expires_at        INTEGER NOT NULL
);
