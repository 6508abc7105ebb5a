import { randomHex, sha256Hex } from "../auth/secrets";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_TOUCH_MS, type Role } from "./config";

/** Console browser sessions. The cookie holds a 256-bit random id; D1 holds only its SHA-256. */

export interface ConsoleMember {
  memberId: string;
  orgId: string;
  role: Role;
  displayName: string;
}

export async function createSession(db: D1Database, memberId: string, orgId: string, now = Date.now()): Promise<string> {
  const id = `cs_${randomHex(32)}`;
  await db.prepare(
    `INSERT INTO console_sessions (id_hash, member_id, organization_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).bind(await sha256Hex(id), memberId, orgId, now, now, now + SESSION_IDLE_MS, now + SESSION_ABSOLUTE_MS).run();
  return id;
}

/** The member behind a live session, sliding its idle expiry; null when unknown, expired, revoked or removed. */
export async function resolveSession(db: D1Database, sessionId: string, now = Date.now()): Promise<ConsoleMember | null> {
  const hash = await sha256Hex(sessionId);
  const row = await db.prepare(
    `SELECT s.member_id, s.organization_id, s.last_seen_at, m.role, m.display_name
       FROM console_sessions s JOIN console_members m ON m.id = s.member_id
      WHERE s.id_hash = ? AND s.revoked_at IS NULL AND m.removed_at IS NULL
        AND s.idle_expires_at > ? AND s.absolute_expires_at > ?`,
  ).bind(hash, now, now).first<{ member_id: string; organization_id: string; last_seen_at: number; role: Role; display_name: string }>();
  if (!row) return null;
  if (now - row.last_seen_at >= SESSION_TOUCH_MS) {
    await db.prepare(`UPDATE console_sessions SET last_seen_at = ?, idle_expires_at = MIN(?, absolute_expires_at) WHERE id_hash = ?`)
      .bind(now, now + SESSION_IDLE_MS, hash).run();
  }
  return { memberId: row.member_id, orgId: row.organization_id, role: row.role, displayName: row.display_name };
}

export async function revokeSession(db: D1Database, sessionId: string, now = Date.now()): Promise<void> {
  await db.prepare(`UPDATE console_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL`)
    .bind(now, await sha256Hex(sessionId)).run();
}

export const revokeMemberSessionsStmt = (db: D1Database, memberId: string, now = Date.now()) =>
  db.prepare(`UPDATE console_sessions SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL`).bind(now, memberId);
