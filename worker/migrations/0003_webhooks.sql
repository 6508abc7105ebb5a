-- Outgoing webhooks: endpoints (per application), the per-endpoint delivery log, and payloads too big for a
-- Queue message. Times are Unix epoch milliseconds.

CREATE TABLE webhook_endpoints (
  id                          TEXT PRIMARY KEY,  -- uuid
  application_id              TEXT REFERENCES applications (id) ON DELETE CASCADE, -- NULL: events from every source
  url                         TEXT NOT NULL,
  description                 TEXT,
  filter_types                TEXT,              -- JSON array of event types; NULL: every type
  user_id                     TEXT,              -- only this user's events; NULL: every user
  secret_enc                  TEXT NOT NULL,     -- signing secret, AES-GCM sealed with WEBHOOK_SECRET_KEY
  previous_secret_enc         TEXT,              -- pre-rotation secret, still signing until it expires
  previous_secret_expires_at  INTEGER,
  disabled_at                 INTEGER,
  disabled_reason             TEXT,
  consecutive_failures        INTEGER NOT NULL DEFAULT 0,
  failing_since               INTEGER,
  last_success_at             INTEGER,
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER
);
CREATE INDEX webhook_endpoints_application ON webhook_endpoints (application_id);

-- One row per (endpoint, event): the latest state of its delivery. No payloads here (they may hold health data).
CREATE TABLE webhook_deliveries (
  endpoint_id       TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id          TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  user_id           TEXT,
  status            TEXT NOT NULL,               -- pending | success | failed
  attempts          INTEGER NOT NULL DEFAULT 0,
  last_status_code  INTEGER,
  last_error        TEXT,
  last_duration_ms  INTEGER,
  created_at        INTEGER NOT NULL,
  last_attempt_at   INTEGER,
  next_attempt_at   INTEGER,
  delivered_at      INTEGER,
  dead_lettered_at  INTEGER,
  PRIMARY KEY (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_endpoint_time ON webhook_deliveries (endpoint_id, created_at DESC, event_id);

-- Envelopes larger than a Queue message (128 KB); the message carries only the event id.
CREATE TABLE webhook_payloads (
  event_id    TEXT PRIMARY KEY,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
