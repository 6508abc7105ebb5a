import { isoZ } from "../lib/time";
import { randomHex } from "../auth/secrets";
import { TtlCache } from "./cache";

/** Organizations (tenants) in D1. The operator's admin key manages them; everything else lives inside one. */

export const DEFAULT_ORG_ID = "org_default";

export interface OrganizationRow {
  id: string;
  name: string;
  created_at: number;
  updated_at: number | null;
}

export const toOrganizationRead = (row: OrganizationRow) => ({
  id: row.id,
  name: row.name,
  created_at: isoZ(row.created_at),
  updated_at: row.updated_at === null ? null : isoZ(row.updated_at),
  is_default: row.id === DEFAULT_ORG_ID,
});

const orgCache = new TtlCache<OrganizationRow | null>();

/** Cached: the admin names an organization on every request it makes inside one. */
export const findOrganization = (db: D1Database, id: string) =>
  orgCache.get(id, () => db.prepare(`SELECT * FROM organizations WHERE id = ?`).bind(id).first<OrganizationRow>());

export async function createOrganization(db: D1Database, name: string) {
  const row: OrganizationRow = { id: `org_${randomHex(8)}`, name, created_at: Date.now(), updated_at: null };
  await db.prepare(`INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)`).bind(row.id, row.name, row.created_at).run();
  orgCache.delete(row.id);
  return toOrganizationRead(row);
}

export async function listOrganizations(db: D1Database) {
  const { results } = await db.prepare(`SELECT * FROM organizations ORDER BY created_at, id`).all<OrganizationRow>();
  return results.map(toOrganizationRead);
}

export async function renameOrganization(db: D1Database, id: string, name: string) {
  const row = await db.prepare(`UPDATE organizations SET name = ?, updated_at = ? WHERE id = ? RETURNING *`)
    .bind(name, Date.now(), id).first<OrganizationRow>();
  orgCache.delete(id);
  return row ? toOrganizationRead(row) : null;
}

/** User ids of an organization, a page at a time (deleting an organization erases each user's object). */
export async function organizationUserIds(db: D1Database, orgId: string, afterId: string, limit: number): Promise<string[]> {
  const { results } = await db.prepare(`SELECT id FROM users WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?`)
    .bind(orgId, afterId, limit).all<{ id: string }>();
  return results.map((r) => r.id);
}

/**
 * Removes the organization's control-plane rows in one batch (all or nothing). The caller erases the users'
 * objects first, so a failure part-way leaves the organization in place and the delete can be retried.
 */
export async function deleteOrganizationRows(db: D1Database, orgId: string): Promise<boolean> {
  const byOrg = (table: string) => db.prepare(`DELETE FROM ${table} WHERE organization_id = ?`).bind(orgId);
  const results = await db.batch([
    // Children first: sessions issued before the move to user objects, codes, settings, deliveries.
    db.prepare(`DELETE FROM refresh_families WHERE user_id IN (SELECT id FROM users WHERE organization_id = ?)`).bind(orgId),
    byOrg("invitation_codes"),
    db.prepare(`DELETE FROM webhook_deliveries WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE organization_id = ?)`).bind(orgId),
    byOrg("webhook_endpoints"),
    db.prepare(`DELETE FROM application_settings WHERE application_id IN (SELECT id FROM applications WHERE organization_id = ?)`).bind(orgId),
    byOrg("applications"),
    byOrg("api_keys"),
    byOrg("provider_priorities"),
    byOrg("device_type_priorities"),
    byOrg("users"),
    db.prepare(`DELETE FROM organizations WHERE id = ?`).bind(orgId),
  ]);
  orgCache.delete(orgId);
  return results[results.length - 1]!.meta.changes > 0;
}
