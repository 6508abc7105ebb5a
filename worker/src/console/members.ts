import type { Role } from "./config";
import { revokeMemberSessionsStmt } from "./sessions";

/** Team members of an organization (console accounts). Every query is scoped by the organization. */

export interface MemberRow {
  id: string;
  organization_id: string;
  display_name: string;
  role: Role;
  created_at: number;
}

export const listMembers = (db: D1Database, orgId: string) =>
  db.prepare(
    `SELECT m.id, m.display_name, m.role, m.created_at,
            (SELECT COUNT(*) FROM console_passkeys p WHERE p.member_id = m.id) AS passkeys,
            (SELECT MAX(last_seen_at) FROM console_sessions s WHERE s.member_id = m.id) AS last_seen_at
       FROM console_members m WHERE m.organization_id = ? AND m.removed_at IS NULL ORDER BY m.created_at`,
  ).bind(orgId).all<MemberRow & { passkeys: number; last_seen_at: number | null }>().then((r) => r.results);

export type RemoveResult = "removed" | "not_found" | "last_owner";

/**
 * Whether `removeMember` would remove the member now ("removed"), checked before acting on what the member approved;
 * `removeMember` checks again in its one conditional statement.
 */
export async function removalCheck(db: D1Database, orgId: string, memberId: string): Promise<RemoveResult> {
  const row = await db.prepare(
    `SELECT m.role, (SELECT COUNT(*) FROM console_members o WHERE o.organization_id = m.organization_id AND o.role = 'owner' AND o.removed_at IS NULL) AS owners
       FROM console_members m WHERE m.id = ? AND m.organization_id = ? AND m.removed_at IS NULL`,
  ).bind(memberId, orgId).first<{ role: Role; owners: number }>();
  if (!row) return "not_found";
  return row.role === "owner" && row.owners <= 1 ? "last_owner" : "removed";
}

/** Removes a member and ends their sessions at once. An organization always keeps at least one owner. */
export async function removeMember(db: D1Database, orgId: string, memberId: string, now = Date.now()): Promise<RemoveResult> {
  const member = await db.prepare(`SELECT role FROM console_members WHERE id = ? AND organization_id = ? AND removed_at IS NULL`)
    .bind(memberId, orgId).first<{ role: Role }>();
  if (!member) return "not_found";
  // Conditional in one statement, so two owners removing each other concurrently cannot leave none.
  const update = await db.prepare(
      `UPDATE console_members SET removed_at = ?
        WHERE id = ? AND organization_id = ? AND removed_at IS NULL
          AND (role != 'owner' OR (SELECT COUNT(*) FROM console_members
                                   WHERE organization_id = ? AND role = 'owner' AND removed_at IS NULL) > 1)`,
  ).bind(now, memberId, orgId, orgId).run();
  if (!update.meta.changes) return "last_owner";
  await db.batch([revokeMemberSessionsStmt(db, memberId, now), db.prepare(`DELETE FROM console_passkeys WHERE member_id = ?`).bind(memberId)]);
  return "removed";
}
