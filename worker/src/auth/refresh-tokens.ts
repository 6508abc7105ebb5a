import { newRefreshToken, seal, sha256Hex, unseal } from "./secrets";
import { REFRESH_ABSOLUTE_TTL_MS, REFRESH_IDLE_TTL_MS, decideRefresh } from "./refresh-policy";

/** Refresh-token families in D1. Tokens are stored as hashes; see refresh-policy.ts for the rules. */

export interface Session {
  userId: string;
  appClaim: string;
  refreshToken: string;
}

export async function startFamily(
  db: D1Database,
  args: { userId: string; applicationId: string | null; appClaim: string },
  now = Date.now(),
): Promise<string> {
  const token = newRefreshToken();
  const familyId = crypto.randomUUID();
  await db.batch([
    db.prepare(
      `INSERT INTO refresh_families (id, user_id, application_id, app_claim, created_at, absolute_expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).bind(familyId, args.userId, args.applicationId, args.appClaim, now, now + REFRESH_ABSOLUTE_TTL_MS),
    db.prepare(`INSERT INTO refresh_tokens (token_hash, family_id, created_at, idle_expires_at) VALUES (?, ?, ?, ?)`)
      .bind(await sha256Hex(token), familyId, now, now + REFRESH_IDLE_TTL_MS),
  ]);
  return token;
}

interface TokenRow {
  family_id: string;
  idle_expires_at: number;
  rotated_at: number | null;
  successor_hash: string | null;
  successor_sealed: string | null;
  user_id: string;
  app_claim: string;
  revoked_at: number | null;
  absolute_expires_at: number;
  successor_rotated_at: number | null;
}

async function readToken(db: D1Database, hash: string): Promise<TokenRow | null> {
  return db.prepare(
    `SELECT t.family_id, t.idle_expires_at, t.rotated_at, t.successor_hash, t.successor_sealed,
            f.user_id, f.app_claim, f.revoked_at, f.absolute_expires_at, s.rotated_at AS successor_rotated_at
       FROM refresh_tokens t
       JOIN refresh_families f ON f.id = t.family_id
       LEFT JOIN refresh_tokens s ON s.token_hash = t.successor_hash
      WHERE t.token_hash = ?`,
  ).bind(hash).first<TokenRow>();
}

export type RefreshOutcome = { ok: true; session: Session } | { ok: false; reason: "unknown" | "revoked" | "expired" | "reuse" };

/**
 * Exchanges a refresh token for its successor. Concurrent calls with one token agree on a single successor:
 * the conditional UPDATE lets exactly one of them rotate, the others read the sealed successor it stored.
 */
export async function refresh(db: D1Database, presented: string, now = Date.now()): Promise<RefreshOutcome> {
  const hash = await sha256Hex(presented);
  for (let attempt = 0; attempt < 2; attempt++) {
    const row = await readToken(db, hash);
    if (!row) return { ok: false, reason: "unknown" };
    const decision = decideRefresh(
      {
        familyRevokedAt: row.revoked_at,
        familyAbsoluteExpiresAt: row.absolute_expires_at,
        idleExpiresAt: row.idle_expires_at,
        rotatedAt: row.rotated_at,
        successorUsed: row.successor_rotated_at !== null,
      },
      now,
    );
    const session = (refreshToken: string): RefreshOutcome => ({
      ok: true,
      session: { userId: row.user_id, appClaim: row.app_claim, refreshToken },
    });
    switch (decision.action) {
      case "reject":
        return { ok: false, reason: decision.reason };
      case "revoke_family":
        await revokeFamily(db, row.family_id, "reuse", now);
        return { ok: false, reason: "reuse" };
      case "return_successor":
        return session(await unseal(presented, row.successor_sealed!));
      case "rotate": {
        const successor = newRefreshToken();
        const successorHash = await sha256Hex(successor);
        const [update] = await db.batch([
          db.prepare(
            `UPDATE refresh_tokens SET rotated_at = ?, successor_hash = ?, successor_sealed = ?
              WHERE token_hash = ? AND rotated_at IS NULL`,
          ).bind(now, successorHash, await seal(presented, successor), hash),
          db.prepare(
            `INSERT INTO refresh_tokens (token_hash, family_id, created_at, idle_expires_at)
             SELECT ?, family_id, ?, ? FROM refresh_tokens WHERE token_hash = ? AND successor_hash = ?`,
          ).bind(successorHash, now, now + REFRESH_IDLE_TTL_MS, hash, successorHash),
        ]);
        if (update!.meta.changes === 1) return session(successor);
        // Another request rotated it first: loop once to read and return its successor.
      }
    }
  }
  throw new Error("refresh token rotation did not settle");
}

/** Revokes the family the token belongs to. Returns false when the token is unknown or already revoked. */
export async function revoke(db: D1Database, presented: string, now = Date.now()): Promise<boolean> {
  const row = await readToken(db, await sha256Hex(presented));
  if (!row || row.revoked_at !== null) return false;
  await revokeFamily(db, row.family_id, "revoked_by_client", now);
  return true;
}

async function revokeFamily(db: D1Database, familyId: string, reason: string, now: number): Promise<void> {
  await db.prepare(`UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL`)
    .bind(now, reason, familyId).run();
}

/** A statement (for a batch) revoking every session minted for an application. */
export function revokeApplicationFamilies(db: D1Database, applicationId: string, reason: string, now = Date.now()) {
  return db.prepare(
    `UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? WHERE application_id = ? AND revoked_at IS NULL`,
  ).bind(now, reason, applicationId);
}
