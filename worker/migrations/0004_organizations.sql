-- Organizations (tenants). Every application, API key, user, invitation code and webhook endpoint belongs to exactly
-- one. Existing rows move into the default organization `org_default`, so keys, secrets, tokens and codes issued
-- before this migration keep working unchanged. Times are Unix epoch milliseconds.

CREATE TABLE organizations (
  id          TEXT PRIMARY KEY,               -- org_<16 hex>; `org_default` for the default organization
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER
);
INSERT INTO organizations (id, name, created_at) VALUES ('org_default', 'Default organization', CAST(strftime('%s', 'now') AS INTEGER) * 1000);

-- ADD COLUMN cannot carry a REFERENCES clause with a non-NULL default in SQLite; the code deletes an
-- organization's rows explicitly (control/organizations.ts).
ALTER TABLE applications ADD COLUMN organization_id TEXT NOT NULL DEFAULT 'org_default';
ALTER TABLE api_keys ADD COLUMN organization_id TEXT NOT NULL DEFAULT 'org_default';
ALTER TABLE users ADD COLUMN organization_id TEXT NOT NULL DEFAULT 'org_default';
ALTER TABLE invitation_codes ADD COLUMN organization_id TEXT NOT NULL DEFAULT 'org_default';
ALTER TABLE webhook_endpoints ADD COLUMN organization_id TEXT NOT NULL DEFAULT 'org_default';

CREATE INDEX applications_org ON applications (organization_id, created_at);
CREATE INDEX api_keys_org ON api_keys (organization_id, created_at);
CREATE INDEX users_org_created ON users (organization_id, created_at, id);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (organization_id);

-- external_user_id becomes unique per organization. The old column carries a global UNIQUE that SQLite cannot drop
-- without rebuilding `users`, and a rebuild would cascade-delete every session and code that references it. So the
-- value moves to `external_id` (unique per organization) and `external_user_id` is retired: always NULL from here on.
ALTER TABLE users ADD COLUMN external_id TEXT;
UPDATE users SET external_id = external_user_id, external_user_id = NULL WHERE external_user_id IS NOT NULL;
CREATE UNIQUE INDEX users_org_external ON users (organization_id, external_id);
CREATE INDEX users_org_email ON users (organization_id, email);

-- Bulk revocation without scanning users: every session remembers the generation of its application at sign-in;
-- rotating the secret bumps it, and a refresh of an older generation is refused (see auth/sessions.ts).
ALTER TABLE applications ADD COLUMN secret_generation INTEGER NOT NULL DEFAULT 1;

-- Refresh-token families now live in the user's Durable Object. Families created before this migration stay here
-- until their first use, when they move into the object (lazily) and are marked here.
ALTER TABLE refresh_families ADD COLUMN moved_at INTEGER;
