import { isoZ } from "../lib/time";
import { matchesHash, newAppId, newAppSecret, sha256Hex } from "../auth/secrets";
import { TtlCache } from "./cache";

/**
 * Applications (SDK app credentials) in D1, each inside one organization. `secret_generation` counts secret
 * rotations: a session remembers the generation it was minted under, and the revocation registry
 * (auth/revocations.ts) tells a refresh the current one, so rotating the secret (or deleting the app) ends the app's
 * sessions at their next refresh without visiting any user.
 */

export interface ApplicationRow {
  id: string;
  app_id: string;
  name: string;
  secret_hash: string;
  created_at: number;
  updated_at: number | null;
  organization_id: string;
  secret_generation: number;
}

export const toApplicationRead = (row: ApplicationRow) => ({
  id: row.id,
  app_id: row.app_id,
  name: row.name,
  created_at: isoZ(row.created_at),
});

// Minting reads the application by app_id on every call from the customer's backend: cached per isolate.
const byAppId = new TtlCache<ApplicationRow | null>();
const forget = (row: Pick<ApplicationRow, "app_id">) => byAppId.delete(row.app_id);

export async function createApplication(db: D1Database, orgId: string, name: string) {
  const secret = newAppSecret();
  const row: ApplicationRow = {
    id: crypto.randomUUID(),
    app_id: newAppId(),
    name,
    secret_hash: await sha256Hex(secret),
    created_at: Date.now(),
    updated_at: null,
    organization_id: orgId,
    secret_generation: 1,
  };
  await db.prepare(
    `INSERT INTO applications (id, app_id, name, secret_hash, created_at, organization_id) VALUES (?, ?, ?, ?, ?, ?)`,
  ).bind(row.id, row.app_id, row.name, row.secret_hash, row.created_at, orgId).run();
  forget(row);
  return { ...toApplicationRead(row), app_secret: secret };
}

export async function listApplications(db: D1Database, orgId: string) {
  const { results } = await db.prepare(`SELECT * FROM applications WHERE organization_id = ? ORDER BY created_at DESC, id`)
    .bind(orgId).all<ApplicationRow>();
  return results.map(toApplicationRead);
}

/** Any organization's application by its public app_id (cached); callers compare the organization. */
const lookupAppId = (db: D1Database, appId: string) =>
  byAppId.get(appId, () => db.prepare(`SELECT * FROM applications WHERE app_id = ?`).bind(appId).first<ApplicationRow>());

/** The application with this public app_id inside the organization, else null (another organization's is null too). */
export async function findApplication(db: D1Database, orgId: string, appId: string): Promise<ApplicationRow | null> {
  const app = await lookupAppId(db, appId);
  return app && app.organization_id === orgId ? app : null;
}

/** Deletes the application; returns what the revocation registry must record, or null when there was none. */
export async function deleteApplication(db: D1Database, orgId: string, appId: string) {
  const row = await db.prepare(`DELETE FROM applications WHERE app_id = ? AND organization_id = ? RETURNING id, app_id, secret_generation`)
    .bind(appId, orgId).first<Pick<ApplicationRow, "id" | "app_id" | "secret_generation">>();
  if (row) forget(row);
  return row;
}

/**
 * New secret: the old one stops working. The caller records the new generation in the revocation registry
 * (auth/revocations.ts), which ends every session minted for the app at its next refresh.
 */
export async function rotateApplicationSecret(db: D1Database, orgId: string, appId: string) {
  const secret = newAppSecret();
  const row = await db.prepare(
    `UPDATE applications SET secret_hash = ?, updated_at = ?, secret_generation = secret_generation + 1
      WHERE app_id = ? AND organization_id = ? RETURNING *`,
  ).bind(await sha256Hex(secret), Date.now(), appId, orgId).first<ApplicationRow>();
  if (!row) return null;
  forget(row);
  return { body: { ...toApplicationRead(row), app_secret: secret }, row };
}

/** The application these credentials prove, or null. */
export async function verifyAppCredentials(db: D1Database, appId: string, appSecret: string): Promise<ApplicationRow | null> {
  const app = await lookupAppId(db, appId);
  // Hash even when the app is unknown, so both failures take the same time.
  const ok = await matchesHash(appSecret, app?.secret_hash ?? "0".repeat(64));
  return app && ok ? app : null;
}

/** Forgets cached applications (an organization was deleted). */
export function forgetCachedApplications(): void {
  byAppId.clear();
}
