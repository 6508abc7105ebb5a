-- Source priorities (reference /priorities): which provider and which device type wins when several sources report
-- the same day or night. Lower is preferred. Per organization; rows absent = the reference's defaults.
CREATE TABLE provider_priorities (
  organization_id TEXT NOT NULL DEFAULT 'org_default',
  provider        TEXT NOT NULL,
  id              TEXT NOT NULL UNIQUE,
  priority        INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (organization_id, provider)
);

CREATE TABLE device_type_priorities (
  organization_id TEXT NOT NULL DEFAULT 'org_default',
  device_type     TEXT NOT NULL,
  id              TEXT NOT NULL UNIQUE,
  priority        INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (organization_id, device_type)
);
