import { isoZ } from "../lib/time";
import { sha256Hex } from "../auth/secrets";

/** One-time codes that let a phone sign in without app credentials (the PWA hands them to the app). */

export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I
export const CODE_PATTERN = /^[A-HJ-NP-Z2-9]{8}$/;
export const CODE_TTL_MS = 7 * 24 * 3600_000;

export function generateCode(): string {
  // 32 symbols divide 256 evenly, so `byte % 32` is unbiased.
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => CODE_ALPHABET[b % 32]).join("");
}

/** Forgiving of case, spaces and dashes, as a person types it. */
export const normalizeCode = (input: string) => input.replace(/[\s-]/g, "").toUpperCase();

export async function createInvitationCode(
  db: D1Database,
  args: { orgId: string; userId: string; applicationId: string | null; createdBy: string },
  now = Date.now(),
) {
  const code = generateCode();
  const id = crypto.randomUUID();
  const expiresAt = now + CODE_TTL_MS;
  await db.batch([
    // A new code replaces the user's older ones.
    db.prepare(
      `UPDATE invitation_codes SET revoked_at = ? WHERE user_id = ? AND redeemed_at IS NULL AND revoked_at IS NULL`,
    ).bind(now, args.userId),
    db.prepare(
      `INSERT INTO invitation_codes (id, code_hash, user_id, application_id, created_by, created_at, expires_at, organization_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(id, await sha256Hex(code), args.userId, args.applicationId, args.createdBy, now, expiresAt, args.orgId),
  ]);
  return { id, code, user_id: args.userId, expires_at: isoZ(expiresAt), created_at: isoZ(now) };
}

export interface RedeemedCode {
  id: string;
  user_id: string;
  organization_id: string;
  application_id: string | null;
  created_by: string;
  app_id: string | null;
}

/** Marks the code used, atomically: of two concurrent redeems only one succeeds. */
export async function redeemInvitationCode(db: D1Database, code: string, now = Date.now()): Promise<RedeemedCode | null> {
  const row = await db.prepare(
    `UPDATE invitation_codes SET redeemed_at = ?
      WHERE code_hash = ? AND redeemed_at IS NULL AND revoked_at IS NULL AND expires_at > ?
      RETURNING id, user_id, organization_id, application_id, created_by,
                (SELECT app_id FROM applications a WHERE a.id = invitation_codes.application_id) AS app_id`,
  ).bind(now, await sha256Hex(code), now).first<RedeemedCode>();
  return row;
}
