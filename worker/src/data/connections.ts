import { isoZ } from "../lib/time";

/**
 * A user's provider connections (reference /connections), derived from what the user really synced: a provider is
 * connected from its first stored batch. Disconnecting revokes it until the next stored batch from that provider
 * (the phone kept syncing, so it is connected again); `delete … /data` also removes everything that provider wrote.
 */

type ConnectionRow = { provider: string; id: string; created_at: number; revoked_at: number | null; updated_at: number };

/** Providers with a stored batch or stored data, with their first and last successful sync. */
function syncedProviders(sql: SqlStorage) {
  return sql.exec<{ provider: string; first: number; last: number | null }>(
    `SELECT provider, MIN(first) AS first, MAX(last) AS last FROM (
       SELECT provider, MIN(started_at) AS first, MAX(ended_at) AS last FROM sync_runs WHERE status != 'failed' GROUP BY provider
       UNION ALL SELECT provider, MIN(first_seen) AS first, NULL AS last FROM sources GROUP BY provider)
     GROUP BY provider`,
  ).toArray();
}

/** One row per synced provider, created once so its id stays stable. */
function ensureRows(sql: SqlStorage): Map<string, ConnectionRow & { last: number | null }> {
  const synced = syncedProviders(sql);
  for (const p of synced) {
    sql.exec(`INSERT OR IGNORE INTO connections (provider, id, created_at, updated_at) VALUES (?, ?, ?, ?)`, p.provider, crypto.randomUUID(), p.first, p.first);
  }
  const last = new Map(synced.map((p) => [p.provider, p.last]));
  return new Map(sql.exec<ConnectionRow>(`SELECT * FROM connections ORDER BY created_at, provider`).toArray()
    .map((r) => [r.provider, { ...r, last: last.get(r.provider) ?? null }]));
}

const activeAfter = (r: { revoked_at: number | null; last: number | null }) => r.revoked_at === null || (r.last !== null && r.last > r.revoked_at);

export function listConnections(sql: SqlStorage, userId: string) {
  return [...ensureRows(sql).values()].map((r) => {
    const active = activeAfter(r);
    return {
      id: r.id, user_id: userId, provider: r.provider, provider_user_id: null, provider_username: null, scope: null,
      status: active ? ("active" as const) : ("revoked" as const),
      last_synced_at: r.last === null ? null : isoZ(r.last),
      created_at: isoZ(r.created_at),
      updated_at: isoZ(active && r.last !== null ? Math.max(r.updated_at, r.last) : r.updated_at),
      // SDK providers: the phone pushes, nothing is pulled or called back.
      icon_url: null, max_historical_days: null, rest_pull: false, webhook_stream: false, webhook_ping: false,
      webhook_callback: false, live_sync_mode: null, linked_user_ids: [] as string[],
    };
  });
}

/** Connection id per provider, for `user_connection_id` on data sources. */
export function connectionIds(sql: SqlStorage): Map<string, string> {
  return new Map([...ensureRows(sql).values()].map((r) => [r.provider, r.id]));
}

/** Revokes the provider's connection; false when the user never synced it. Revoking twice is fine. */
export function disconnect(sql: SqlStorage, provider: string, now: number): boolean {
  const row = ensureRows(sql).get(provider);
  if (!row) return false;
  if (activeAfter(row)) sql.exec(`UPDATE connections SET revoked_at = ?, updated_at = ? WHERE provider = ?`, now, now, provider);
  return true;
}

/** Revokes the connection and deletes every sample, event and sleep stage the provider's sources wrote. */
export function purgeProvider(sql: SqlStorage, provider: string, now: number): { sources: number } | null {
  if (!disconnect(sql, provider, now)) return null;
  const ids = `SELECT id FROM sources WHERE provider = ?`;
  sql.exec(`DELETE FROM samples WHERE source_id IN (${ids})`, provider);
  sql.exec(`DELETE FROM events WHERE source_id IN (${ids})`, provider);
  sql.exec(`DELETE FROM sleep_stages WHERE source_id IN (${ids})`, provider);
  const sources = sql.exec(`DELETE FROM sources WHERE provider = ?`, provider).rowsWritten;
  return { sources };
}
