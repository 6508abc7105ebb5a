/**
 * Schema of one user's Durable Object SQLite database. Versioned in `_schema`; each step runs once, in order,
 * when the object starts.
 */
export const USER_DATA_MIGRATIONS: readonly string[] = [
  `
  -- Where data came from: one row per (provider, app, device) identity the normalizer derives.
  CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    source_key   TEXT NOT NULL UNIQUE,
    provider     TEXT NOT NULL,
    info         TEXT NOT NULL,              -- SourceInfo as JSON
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL
  );

  -- Time series. The primary key is the dedup key, ordered for reads by type and time.
  CREATE TABLE samples (
    series_id    INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL,
    source_id    INTEGER NOT NULL,
    end_at       INTEGER,
    value        REAL NOT NULL,
    zone_offset  TEXT,
    external_id  TEXT,
    PRIMARY KEY (series_id, recorded_at, source_id)
  ) WITHOUT ROWID;

  -- Workouts and sleep sessions, unique per (source, category, start, end).
  CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    source_id    INTEGER NOT NULL,
    category     TEXT NOT NULL,             -- workout | sleep
    type         TEXT,
    start_at     INTEGER NOT NULL,
    end_at       INTEGER NOT NULL,
    zone_offset  TEXT,
    external_id  TEXT,
    details      TEXT NOT NULL,             -- JSON
    created_at   INTEGER NOT NULL,
    UNIQUE (source_id, category, start_at, end_at)
  );
  CREATE INDEX events_category_start ON events (category, start_at, id);

  -- Raw sleep stages: sessions are rebuilt from them whenever a batch touches a night.
  CREATE TABLE sleep_stages (
    source_id    INTEGER NOT NULL,
    start_at     INTEGER NOT NULL,
    end_at       INTEGER NOT NULL,
    stage        TEXT NOT NULL,
    zone_offset  TEXT,
    external_id  TEXT,
    PRIMARY KEY (source_id, start_at, end_at, stage)
  ) WITHOUT ROWID;

  -- One row per uploaded batch, for the sync-status API.
  CREATE TABLE sync_runs (
    run_id            TEXT PRIMARY KEY,
    provider          TEXT NOT NULL,
    sdk_version       TEXT,
    auth              TEXT NOT NULL,
    status            TEXT NOT NULL,        -- success | partial | failed
    message           TEXT,
    error             TEXT,
    started_at        INTEGER NOT NULL,
    ended_at          INTEGER NOT NULL,
    duration_ms       REAL NOT NULL,
    fingerprint       TEXT,                 -- hash of the batch's natural keys and values
    repeat_count      INTEGER NOT NULL DEFAULT 0, -- earlier runs with the same fingerprint
    counts            TEXT NOT NULL,        -- JSON: received, saved, updated, duplicates, dropped, unknown
    rejected_sample   TEXT NOT NULL         -- JSON: the first rejections
  );
  CREATE INDEX sync_runs_started ON sync_runs (started_at);
  CREATE INDEX sync_runs_fingerprint ON sync_runs (fingerprint);

  -- SDK diagnostics (/logs), bounded.
  CREATE TABLE sdk_logs (
    id           INTEGER PRIMARY KEY,
    received_at  INTEGER NOT NULL,
    sdk_version  TEXT NOT NULL,
    provider     TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    event        TEXT NOT NULL
  );
  `,
  `
  -- Webhook events owed for stored batches: written in the batch's transaction, sent to the queue afterwards by
  -- the object itself (retried by alarm), so no event is lost and the upload does not wait for the queue.
  CREATE TABLE webhook_outbox (
    run_id       TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL,
    app_id       TEXT,
    created_at   INTEGER NOT NULL,
    next_at      INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    written      TEXT NOT NULL             -- JSON: what the batch wrote (keys and ids, not values)
  );
  `,
  `
  -- Who this object belongs to: the user's organization and deleted state, so the phone's requests never ask D1.
  -- One row. A deleted user keeps only this row (deleted_at set): later uploads and sign-ins are refused.
  CREATE TABLE user_state (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    user_id               TEXT NOT NULL,
    organization_id       TEXT NOT NULL,
    registered_at         INTEGER NOT NULL,
    deleted_at            INTEGER,
    last_synced_at        INTEGER,
    last_synced_provider  TEXT,
    directory_synced_day  TEXT              -- UTC day last_synced_* was last copied to D1 (write-behind, once a day)
  );

  -- Refresh-token families (one per sign-in) and their tokens, as hashes. The object is the single writer, so
  -- rotation, grace and reuse detection need no conditional updates (rules: auth/refresh-policy.ts).
  CREATE TABLE session_families (
    id                   TEXT PRIMARY KEY,
    application_id       TEXT,              -- applications.id (D1), NULL for admin / API-key sessions
    app_generation       INTEGER,           -- applications.secret_generation at sign-in
    app_claim            TEXT NOT NULL,     -- the access token's app_id claim
    code_id              TEXT,              -- invitation code redeemed to start it
    created_at           INTEGER NOT NULL,
    absolute_expires_at  INTEGER NOT NULL,
    revoked_at           INTEGER,
    revoked_reason       TEXT
  );
  CREATE TABLE session_tokens (
    token_hash        TEXT PRIMARY KEY,
    family_id         TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    idle_expires_at   INTEGER NOT NULL,
    rotated_at        INTEGER,
    successor_hash    TEXT,
    successor_sealed  TEXT               -- the successor, sealed with a key only the presented token derives
  );
  CREATE INDEX session_tokens_family ON session_tokens (family_id);
  `,
  `
  -- Provider connections (read API /connections): one row per provider the user synced, so its id is stable;
  -- revoked_at set by a disconnect (a later stored batch from the provider makes it active again).
  CREATE TABLE connections (
    provider     TEXT PRIMARY KEY,
    id           TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    revoked_at   INTEGER
  );
  `,
  `
  -- The rest of a large batch's outbox keys, in slices, so no row nears SQLite's 2 MB value limit.
  CREATE TABLE webhook_outbox_parts (
    run_id       TEXT NOT NULL,
    part         INTEGER NOT NULL,
    written      TEXT NOT NULL,            -- JSON: { samples, workouts, sleep } slices
    PRIMARY KEY (run_id, part)
  ) WITHOUT ROWID;
  `,
];

export function migrate(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS _schema (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM _schema").toArray()[0];
  if (!row) sql.exec("INSERT INTO _schema (version) VALUES (0)");
  for (let v = row?.version ?? 0; v < USER_DATA_MIGRATIONS.length; v++) {
    sql.exec(USER_DATA_MIGRATIONS[v]!);
    sql.exec("UPDATE _schema SET version = ?", v + 1);
  }
}
