import type { Env } from "../env";
import { isoZ } from "../lib/time";
import { userDataStub } from "../data/user-directory";
import type { listRuns } from "../data/sync-runs";
import { MAX_SOURCES_PER_USER } from "../ingest/limits";

/** Sync runs as the object returns them (RPC typing loses `unknown`-valued fields). */
export type RunRead = ReturnType<typeof listRuns>[number];

/**
 * The organization's end users as the console shows them: identity from D1 (always filtered by the member's
 * organization), activity from each user's Durable Object (records, last sync, providers, stuck flag).
 */

export interface DirectoryUser {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  external_id: string | null;
  created_at: number;
}

const COLUMNS = `id, email, first_name, last_name, external_id, created_at`;

export const findOrgUser = (db: D1Database, orgId: string, userId: string) =>
  db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ? AND organization_id = ?`).bind(userId.toLowerCase(), orgId).first<DirectoryUser>();

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function searchOrgUsers(db: D1Database, orgId: string, q: { search?: string; page: number; limit: number }) {
  const where = ["organization_id = ?"];
  const params: unknown[] = [orgId];
  if (q.search) {
    const like = `%${escapeLike(q.search.toLowerCase())}%`;
    const fields = ["lower(coalesce(email, ''))", "lower(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))", "lower(coalesce(external_id, ''))", "id"];
    where.push(`(${fields.map((f) => `${f} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
    params.push(like, like, like, like);
  }
  const filter = where.join(" AND ");
  const [count, rows] = await db.batch([
    db.prepare(`SELECT COUNT(*) AS n FROM users WHERE ${filter}`).bind(...params),
    db.prepare(`SELECT ${COLUMNS} FROM users WHERE ${filter} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`)
      .bind(...params, q.limit, (q.page - 1) * q.limit),
  ]);
  const total = (count!.results[0] as { n: number }).n;
  return { total, users: rows!.results as DirectoryUser[] };
}

export interface UserActivity {
  total_records: number;
  total_workouts: number;
  total_sleep_sessions: number;
  last_sync_at: string | null;
  providers: string[];
  stuck: boolean;
  last_rejected: number;
}

/** What a user's object knows about their data flow; one round trip per question, all in parallel. */
export async function userActivity(env: Env, userId: string): Promise<UserActivity> {
  const store = userDataStub(env, userId);
  const [stats, runs, sources] = await Promise.all([store.stats(), store.syncRuns(userId, 1), store.dataSources(userId, { afterId: 0, limit: MAX_SOURCES_PER_USER })]);
  const latest = (runs as unknown as RunRead[])[0];
  return {
    total_records: stats.total_records,
    total_workouts: stats.total_workouts,
    total_sleep_sessions: stats.total_sleep_sessions,
    last_sync_at: stats.last_sync_at,
    providers: [...new Set(sources.items.map((s: { provider: string }) => s.provider))].sort(),
    stuck: latest?.stuck_client_suspected ?? false,
    last_rejected: (latest?.counts.dropped_count as number | undefined) ?? 0,
  };
}

export const toDirectoryRead = (u: DirectoryUser) => ({
  id: u.id, email: u.email, first_name: u.first_name, last_name: u.last_name, external_id: u.external_id, created_at: isoZ(u.created_at),
});
