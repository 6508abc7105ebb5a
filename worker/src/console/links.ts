import { randomHex, sha256Hex } from "../auth/secrets";
import { LINK_TTL_MS, type Role } from "./config";

/**
 * One-time console links: a sign-up link for an organization's first owner (made by the operator) and invitations
 * (made by owners). The token travels in the URL fragment (`/console/join#t=…`), so it never reaches a server
 * log or a Referer; D1 holds only its SHA-256.
 */

export interface LinkRow {
  id: string;
  organization_id: string;
  kind: "signup" | "invite";
  role: Role;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: string | null;
  revoked_at: number | null;
}

export const linkUrl = (origin: string, token: string) => `${origin}/console/join#t=${token}`;

export async function createLink(db: D1Database, orgId: string, kind: LinkRow["kind"], role: Role, createdBy: string, now = Date.now()) {
  const token = `cl_${randomHex(24)}`;
  const id = `lnk_${randomHex(8)}`;
  await db.prepare(
    `INSERT INTO console_links (id, token_hash, organization_id, kind, role, created_by, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(id, await sha256Hex(token), orgId, kind, role, createdBy, now, now + LINK_TTL_MS).run();
  return { id, token, expires_at: now + LINK_TTL_MS };
}

/** A link that can still be used (unused, unrevoked, unexpired), by its token. */
export async function findUsableLink(db: D1Database, token: string, now = Date.now()): Promise<LinkRow | null> {
  return db.prepare(
    `SELECT * FROM console_links WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`,
  ).bind(await sha256Hex(token), now).first<LinkRow>();
}

export const openInvitations = (db: D1Database, orgId: string, now = Date.now()) =>
  db.prepare(
    `SELECT id, kind, role, created_by, created_at, expires_at FROM console_links
      WHERE organization_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC`,
  ).bind(orgId, now).all<Pick<LinkRow, "id" | "kind" | "role" | "created_by" | "created_at" | "expires_at">>().then((r) => r.results);

export async function revokeLink(db: D1Database, orgId: string, id: string, now = Date.now()): Promise<boolean> {
  const r = await db.prepare(`UPDATE console_links SET revoked_at = ? WHERE id = ? AND organization_id = ? AND used_at IS NULL AND revoked_at IS NULL`)
    .bind(now, id, orgId).run();
  return r.meta.changes > 0;
}
