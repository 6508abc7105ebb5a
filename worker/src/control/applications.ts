import { isoZ } from "../lib/time";
import { matchesHash, newAppId, newAppSecret, sha256Hex } from "../auth/secrets";
import { revokeApplicationFamilies } from "../auth/refresh-tokens";

export interface ApplicationRow {
  id: string;
  app_id: string;
  name: string;
  secret_hash: string;
  created_at: number;
  updated_at: number | null;
}

export const toApplicationRead = (row: ApplicationRow) => ({
  id: row.id,
  app_id: row.app_id,
  name: row.name,
  created_at: isoZ(row.created_at),
});

export async function createApplication(db: D1Database, name: string) {
  const secret = newAppSecret();
  const row: ApplicationRow = {
    id: crypto.randomUUID(),
    app_id: newAppId(),
    name,
    secret_hash: await sha256Hex(secret),
    created_at: Date.now(),
    updated_at: null,
  };
  await db.prepare(`INSERT INTO applications (id, app_id, name, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)`)
    .bind(row.id, row.app_id, row.name, row.secret_hash, row.created_at).run();
  return { ...toApplicationRead(row), app_secret: secret };
}

export async function listApplications(db: D1Database) {
  const { results } = await db.prepare(`SELECT * FROM applications ORDER BY created_at DESC, id`).all<ApplicationRow>();
  return results.map(toApplicationRead);
}

export const findApplication = (db: D1Database, appId: string) =>
  db.prepare(`SELECT * FROM applications WHERE app_id = ?`).bind(appId).first<ApplicationRow>();

export async function deleteApplication(db: D1Database, appId: string): Promise<boolean> {
  const result = await db.prepare(`DELETE FROM applications WHERE app_id = ?`).bind(appId).run();
  return result.meta.changes > 0;
}

/** New secret; the old one stops working at once and every session minted for the app is revoked. */
export async function rotateApplicationSecret(db: D1Database, appId: string) {
  const app = await findApplication(db, appId);
  if (!app) return null;
  const secret = newAppSecret();
  const now = Date.now();
  await db.batch([
    db.prepare(`UPDATE applications SET secret_hash = ?, updated_at = ? WHERE id = ?`).bind(await sha256Hex(secret), now, app.id),
    revokeApplicationFamilies(db, app.id, "app_secret_rotated", now),
  ]);
  return { ...toApplicationRead(app), app_secret: secret };
}

/** The application these credentials prove, or null. */
export async function verifyAppCredentials(db: D1Database, appId: string, appSecret: string): Promise<ApplicationRow | null> {
  const app = await findApplication(db, appId);
  // Hash even when the app is unknown, so both failures take the same time.
  const ok = await matchesHash(appSecret, app?.secret_hash ?? "0".repeat(64));
  return app && ok ? app : null;
}
