import { TtlCache } from "./cache";

/**
 * Source priorities per organization (reference priority_service): lower wins. Stored rows override the reference's
 * defaults; a provider or device type with neither ranks 99.
 */

export const PROVIDERS = ["apple", "samsung", "garmin", "google", "polar", "suunto", "whoop", "strava", "oura", "fitbit", "ultrahuman", "sensorbio", "unknown", "internal"] as const;
export const DEVICE_TYPES = ["watch", "band", "phone", "scale", "ring", "other", "unknown"] as const;
export const DEFAULT_PROVIDER_PRIORITY: Record<string, number> = { apple: 1, garmin: 2, polar: 3, suunto: 4, whoop: 5 };
export const DEFAULT_DEVICE_TYPE_PRIORITY: Record<string, number> = { watch: 1, band: 2, ring: 3, phone: 4, scale: 5, other: 6, unknown: 99 };

/** What the summaries and `filter_by_priority` rank sources by (plain data: it crosses into the user's object). */
export interface Priorities {
  providers: Record<string, number>;
  deviceTypes: Record<string, number>;
}

export const DEFAULT_PRIORITIES: Priorities = { providers: DEFAULT_PROVIDER_PRIORITY, deviceTypes: DEFAULT_DEVICE_TYPE_PRIORITY };

export type Kind = "providers" | "device-types";
const TABLE = { providers: ["provider_priorities", "provider"], "device-types": ["device_type_priorities", "device_type"] } as const;

type Row = { id: string; name: string; priority: number; created_at: string; updated_at: string };

/** Makes sure the defaults exist as rows, so every listed item has an id and timestamps like the reference's. */
async function seedDefaults(db: D1Database, orgId: string, kind: Kind): Promise<void> {
  const [table, col] = TABLE[kind];
  const defaults = kind === "providers" ? DEFAULT_PROVIDER_PRIORITY : DEFAULT_DEVICE_TYPE_PRIORITY;
  const now = new Date().toISOString();
  await db.batch(Object.entries(defaults).map(([name, priority]) =>
    db.prepare(`INSERT OR IGNORE INTO ${table} (organization_id, ${col}, id, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .bind(orgId, name, crypto.randomUUID(), priority, now, now)));
}

export async function listPriorities(db: D1Database, orgId: string, kind: Kind) {
  await seedDefaults(db, orgId, kind);
  const [table, col] = TABLE[kind];
  const { results } = await db.prepare(
    `SELECT id, ${col} AS name, priority, created_at, updated_at FROM ${table} WHERE organization_id = ? ORDER BY priority, ${col}`,
  ).bind(orgId).all<Row>();
  return results.map((r) => ({ id: r.id, [col]: r.name, priority: r.priority, created_at: r.created_at, updated_at: r.updated_at }));
}

/** Sets the given priorities in one batch; the others keep theirs. */
export async function setPriorities(db: D1Database, orgId: string, kind: Kind, items: { name: string; priority: number }[]) {
  await seedDefaults(db, orgId, kind);
  const [table, col] = TABLE[kind];
  const now = new Date().toISOString();
  cache.delete(orgId);
  if (items.length) {
    await db.batch(items.map((i) =>
      db.prepare(`INSERT INTO ${table} (organization_id, ${col}, id, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                  ON CONFLICT (organization_id, ${col}) DO UPDATE SET priority = excluded.priority, updated_at = excluded.updated_at`)
        .bind(orgId, i.name, crypto.randomUUID(), i.priority, now, now)));
  }
  return listPriorities(db, orgId, kind);
}

// Read on summaries of users with several sources: cached per isolate like the other hot lookups (30 s bound).
const cache = new TtlCache<Priorities>();

/** The organization's ranking as plain maps (defaults where nothing is stored), cached per isolate. */
export function loadPriorities(db: D1Database, orgId: string): Promise<Priorities> {
  return cache.get(orgId, () => readPriorities(db, orgId));
}

async function readPriorities(db: D1Database, orgId: string): Promise<Priorities> {
  const [p, d] = await db.batch<{ name: string; priority: number }>([
    db.prepare(`SELECT provider AS name, priority FROM provider_priorities WHERE organization_id = ?`).bind(orgId),
    db.prepare(`SELECT device_type AS name, priority FROM device_type_priorities WHERE organization_id = ?`).bind(orgId),
  ]);
  const toMap = (rows: { name: string; priority: number }[] | undefined, dflt: Record<string, number>) =>
    ({ ...dflt, ...Object.fromEntries((rows ?? []).map((r) => [r.name, r.priority])) });
  return { providers: toMap(p?.results, DEFAULT_PROVIDER_PRIORITY), deviceTypes: toMap(d?.results, DEFAULT_DEVICE_TYPE_PRIORITY) };
}
