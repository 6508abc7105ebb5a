import { newRefreshToken, seal, sha256Hex, unseal } from "../auth/secrets";
import { REFRESH_ABSOLUTE_TTL_MS, REFRESH_IDLE_TTL_MS, decideRefresh } from "../auth/refresh-policy";

/**
 * Refresh-token families of one user, in the user's Durable Object. The object is the only writer, so a rotation
 * is a plain read-decide-write inside one synchronous transaction: concurrent refreshes of one token are serialized
 * and agree on one successor without conditional updates. Tokens are stored only as SHA-256 hashes.
 */

export interface SessionStart {
  applicationId: string | null;
  appGeneration: number | null;
  appClaim: string;
  codeId?: string | null;
}

export interface FamilyInfo {
  familyId: string;
  applicationId: string | null;
  appGeneration: number | null;
  appClaim: string;
}

export type RefreshResult =
  | { ok: true; refreshToken: string; family: FamilyInfo }
  | { ok: false; reason: "unknown" | "revoked" | "expired" | "reuse" };

type TokenRow = {
  family_id: string;
  idle_expires_at: number;
  rotated_at: number | null;
  successor_hash: string | null;
  successor_sealed: string | null;
  application_id: string | null;
  app_generation: number | null;
  app_claim: string;
  revoked_at: number | null;
  absolute_expires_at: number;
  successor_rotated_at: number | null;
};

/** Starts a family and returns its first refresh token (carrying the user id, so refreshes route here). */
export async function startSession(sql: SqlStorage, userId: string, start: SessionStart, now: number): Promise<string> {
  const token = newRefreshToken(userId);
  const familyId = crypto.randomUUID();
  const hash = await sha256Hex(token);
  sql.exec(
    `INSERT INTO session_families (id, application_id, app_generation, app_claim, code_id, created_at, absolute_expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    familyId, start.applicationId, start.appGeneration, start.appClaim, start.codeId ?? null, now, now + REFRESH_ABSOLUTE_TTL_MS,
  );
  sql.exec(`INSERT INTO session_tokens (token_hash, family_id, created_at, idle_expires_at) VALUES (?, ?, ?, ?)`,
    hash, familyId, now, now + REFRESH_IDLE_TTL_MS);
  return token;
}

const readToken = (sql: SqlStorage, hash: string) =>
  sql.exec<TokenRow>(
    `SELECT t.family_id, t.idle_expires_at, t.rotated_at, t.successor_hash, t.successor_sealed,
            f.application_id, f.app_generation, f.app_claim, f.revoked_at, f.absolute_expires_at,
            s.rotated_at AS successor_rotated_at
       FROM session_tokens t
       JOIN session_families f ON f.id = t.family_id
       LEFT JOIN session_tokens s ON s.token_hash = t.successor_hash
      WHERE t.token_hash = ?`, hash,
  ).toArray()[0] ?? null;

/**
 * Exchanges a refresh token for its successor (rules in auth/refresh-policy.ts). The hashing and sealing are async;
 * the decision and writes happen in `commit`, which the object runs in one synchronous transaction.
 */
export async function refreshSession(
  sql: SqlStorage, transaction: <T>(fn: () => T) => T, userId: string, presented: string, now: number,
): Promise<RefreshResult> {
  const hash = await sha256Hex(presented);
  // Prepared outside the transaction (crypto is async); used only if the decision is to rotate.
  const successor = newRefreshToken(userId);
  const successorHash = await sha256Hex(successor);
  const sealed = await seal(presented, successor);
  const decided = transaction(() => {
    const row = readToken(sql, hash);
    if (!row) return { kind: "fail", reason: "unknown" } as const;
    const decision = decideRefresh({
      familyRevokedAt: row.revoked_at,
      familyAbsoluteExpiresAt: row.absolute_expires_at,
      idleExpiresAt: row.idle_expires_at,
      rotatedAt: row.rotated_at,
      successorUsed: row.successor_rotated_at !== null,
    }, now);
    const family: FamilyInfo = {
      familyId: row.family_id, applicationId: row.application_id, appGeneration: row.app_generation, appClaim: row.app_claim,
    };
    switch (decision.action) {
      case "reject":
        return { kind: "fail", reason: decision.reason } as const;
      case "revoke_family":
        revokeFamily(sql, row.family_id, "reuse", now);
        return { kind: "fail", reason: "reuse" } as const;
      case "return_successor":
        return { kind: "unseal", sealed: row.successor_sealed!, family } as const;
      case "rotate":
        sql.exec(`UPDATE session_tokens SET rotated_at = ?, successor_hash = ?, successor_sealed = ? WHERE token_hash = ?`,
          now, successorHash, sealed, hash);
        sql.exec(`INSERT INTO session_tokens (token_hash, family_id, created_at, idle_expires_at) VALUES (?, ?, ?, ?)`,
          successorHash, row.family_id, now, now + REFRESH_IDLE_TTL_MS);
        return { kind: "rotated", family } as const;
    }
  });
  if (decided.kind === "fail") return { ok: false, reason: decided.reason };
  if (decided.kind === "rotated") return { ok: true, refreshToken: successor, family: decided.family };
  return { ok: true, refreshToken: await unseal(presented, decided.sealed), family: decided.family };
}

export function revokeFamily(sql: SqlStorage, familyId: string, reason: string, now: number): boolean {
  return sql.exec(`UPDATE session_families SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL`,
    now, reason, familyId).rowsWritten > 0;
}

/** Revokes the family a token belongs to. False when the token is unknown or its family already revoked. */
export async function revokeByToken(sql: SqlStorage, presented: string, now: number): Promise<boolean> {
  const row = readToken(sql, await sha256Hex(presented));
  if (!row || row.revoked_at !== null) return false;
  return revokeFamily(sql, row.family_id, "revoked_by_client", now);
}

/** Ends every live session of the user (the console's "revoke sessions"). Returns how many were live. */
export function revokeAll(sql: SqlStorage, reason: string, now: number): number {
  return sql.exec(`UPDATE session_families SET revoked_at = ?, revoked_reason = ? WHERE revoked_at IS NULL`, now, reason).rowsWritten;
}

export interface ImportedFamily {
  id: string;
  application_id: string | null;
  app_generation: number | null;
  app_claim: string;
  created_at: number;
  absolute_expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  tokens: {
    token_hash: string; created_at: number; idle_expires_at: number; rotated_at: number | null;
    successor_hash: string | null; successor_sealed: string | null;
  }[];
}

/** Takes over a family issued before sessions moved here (from D1). Idempotent: a second import changes nothing. */
export function importFamily(sql: SqlStorage, f: ImportedFamily): void {
  sql.exec(
    `INSERT INTO session_families (id, application_id, app_generation, app_claim, created_at, absolute_expires_at, revoked_at, revoked_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    f.id, f.application_id, f.app_generation, f.app_claim, f.created_at, f.absolute_expires_at, f.revoked_at, f.revoked_reason,
  );
  for (const t of f.tokens) {
    sql.exec(
      `INSERT INTO session_tokens (token_hash, family_id, created_at, idle_expires_at, rotated_at, successor_hash, successor_sealed)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING`,
      t.token_hash, f.id, t.created_at, t.idle_expires_at, t.rotated_at, t.successor_hash, t.successor_sealed,
    );
  }
}

/** When the given invitation code started a session here (the onboarding status page's "connected"). */
export function codeRedeemedAt(sql: SqlStorage, codeId: string): number | null {
  const row = sql.exec<{ at: number | null }>(`SELECT MIN(created_at) AS at FROM session_families WHERE code_id = ?`, codeId).one();
  return row.at;
}

export function liveSessionCount(sql: SqlStorage, now: number): number {
  return sql.exec<{ n: number }>(
    `SELECT COUNT(*) AS n FROM session_families WHERE revoked_at IS NULL AND absolute_expires_at > ?`, now,
  ).one().n;
}
