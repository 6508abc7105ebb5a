import type { Env } from "../env";
import { isoZ } from "../lib/time";
import { userDataStub } from "../data/user-directory";
import type { RunRead } from "./directory";

/**
 * The console's first screen: is data flowing for this organization, and what needs fixing. Activity lives in
 * each user's Durable Object, so the overview asks the objects of the organization's most recently created
 * OVERVIEW_USER_CAP users (in parallel); `sampled_users` says how many were asked.
 */
export const OVERVIEW_USER_CAP = 200;
export const OVERVIEW_DAYS = 14;
const DAY_MS = 86_400_000;

export async function organizationOverview(env: Env, orgId: string, now = Date.now()) {
  const [count, recent, hooks] = await env.DB.batch([
    env.DB.prepare(`SELECT COUNT(*) AS n FROM users WHERE organization_id = ?`).bind(orgId),
    env.DB.prepare(`SELECT id, email, external_id FROM users WHERE organization_id = ? ORDER BY created_at DESC LIMIT ?`).bind(orgId, OVERVIEW_USER_CAP),
    env.DB.prepare(
      `SELECT id, url, description, disabled_at, disabled_reason, consecutive_failures, failing_since FROM webhook_endpoints
        WHERE organization_id = ? AND (disabled_at IS NOT NULL OR consecutive_failures > 0) ORDER BY failing_since`,
    ).bind(orgId),
  ]);
  const users = recent!.results as { id: string; email: string | null; external_id: string | null }[];
  const firstDay = Math.floor(now / DAY_MS) * DAY_MS - (OVERVIEW_DAYS - 1) * DAY_MS;
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => ({ date: isoZ(firstDay + i * DAY_MS).slice(0, 10), records: 0, uploads: 0 }));
  let connected = 0;
  let active24h = 0;
  const stuck: { user_id: string; label: string; repeat_count: number; last_sync_at: string | null }[] = [];
  await Promise.all(users.map(async (u) => {
    const store = userDataStub(env, u.id);
    const [stats, rpcRuns] = await Promise.all([store.stats(), store.syncRuns(u.id, 200)]);
    const runs = rpcRuns as unknown as RunRead[];
    if (stats.last_sync_at) connected++;
    if (stats.last_sync_at && Date.parse(stats.last_sync_at) > now - DAY_MS) active24h++;
    for (const run of runs) {
      const i = Math.floor((Date.parse(run.started_at) - firstDay) / DAY_MS);
      if (i < 0 || i >= OVERVIEW_DAYS) continue;
      days[i]!.uploads++;
      days[i]!.records += (run.counts.records_saved as number | undefined) ?? 0;
    }
    if (runs[0]?.stuck_client_suspected) {
      stuck.push({ user_id: u.id, label: u.email ?? u.external_id ?? u.id, repeat_count: runs[0].repeat_count, last_sync_at: stats.last_sync_at });
    }
  }));
  type Hook = { id: string; url: string; description: string | null; disabled_at: number | null; disabled_reason: string | null; consecutive_failures: number; failing_since: number | null };
  return {
    users_total: (count!.results[0] as { n: number }).n,
    sampled_users: users.length,
    connected_users: connected,
    active_24h: active24h,
    per_day: days,
    stuck_clients: stuck,
    failing_webhooks: (hooks!.results as Hook[]).map((h) => ({
      id: h.id, url: h.url, description: h.description, enabled: h.disabled_at === null, disabled_reason: h.disabled_reason,
      consecutive_failures: h.consecutive_failures, failing_since: h.failing_since === null ? null : isoZ(h.failing_since),
    })),
  };
}
