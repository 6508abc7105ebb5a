/**
 * The user's own record inside their Durable Object: organization, deleted state and last sync. It lets the phone's
 * requests (sync, logs, refresh, onboarding status) be authorized next to the data, without asking D1.
 */

export interface UserState {
  userId: string;
  orgId: string;
  registeredAt: number;
  deletedAt: number | null;
  lastSyncedAt: number | null;
  lastSyncedProvider: string | null;
}

type Row = {
  user_id: string;
  organization_id: string;
  registered_at: number;
  deleted_at: number | null;
  last_synced_at: number | null;
  last_synced_provider: string | null;
  directory_synced_day: string | null;
};

const toState = (r: Row): UserState => ({
  userId: r.user_id,
  orgId: r.organization_id,
  registeredAt: r.registered_at,
  deletedAt: r.deleted_at,
  lastSyncedAt: r.last_synced_at,
  lastSyncedProvider: r.last_synced_provider,
});

export function readState(sql: SqlStorage): UserState | null {
  const row = sql.exec<Row>(`SELECT * FROM user_state WHERE id = 1`).toArray()[0];
  return row ? toState(row) : null;
}

/**
 * Records the user's organization. Idempotent; never revives a deleted user and never moves a user to another
 * organization (a user belongs to exactly one, for life).
 */
export function registerUser(sql: SqlStorage, userId: string, orgId: string, now: number): UserState {
  sql.exec(
    `INSERT INTO user_state (id, user_id, organization_id, registered_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    userId, orgId, now,
  );
  return readState(sql)!;
}

/** The tombstone left after erasure: only the fact that the user existed and is gone. */
export function writeTombstone(sql: SqlStorage, userId: string, orgId: string, now: number): void {
  sql.exec(
    `INSERT INTO user_state (id, user_id, organization_id, registered_at, deleted_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at`,
    userId, orgId, now, now,
  );
}

export type Access = { ok: true; state: UserState } | { ok: false; reason: "unregistered" | "not_found" };

/**
 * Whether a caller may act on this user: the user is registered, not deleted, and (when the caller names one) in
 * the caller's organization. Another organization's user answers exactly like a missing one.
 */
export function checkAccess(state: UserState | null, orgId?: string | null): Access {
  if (!state) return { ok: false, reason: "unregistered" };
  if (state.deletedAt !== null) return { ok: false, reason: "not_found" };
  if (orgId && state.orgId !== orgId) return { ok: false, reason: "not_found" };
  return { ok: true, state };
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Records a successful upload. Returns true when the D1 user directory should get a copy (the first upload of a UTC
 * day): list sorting by last sync stays useful while D1 sees at most one write per user per day.
 */
export function markSynced(sql: SqlStorage, provider: string, now: number): boolean {
  const row = sql.exec<Row>(`SELECT * FROM user_state WHERE id = 1`).toArray()[0];
  if (!row) return false;
  const day = utcDay(now);
  const copy = row.directory_synced_day !== day;
  sql.exec(
    `UPDATE user_state SET last_synced_at = ?, last_synced_provider = ?, directory_synced_day = ? WHERE id = 1`,
    now, provider, day,
  );
  return copy;
}
