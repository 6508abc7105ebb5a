/**
 * Refresh-token rotation policy (RFC 9700 §4.14): pure decisions, no storage.
 *
 * Every refresh returns a new token. A rotated token presented again within the grace window, before its
 * successor has been used, gets the same successor back (a lost response must not end the session). Any
 * other use of a rotated token is reuse: the whole family is revoked.
 */

export const REFRESH_GRACE_MS = 60_000;
export const REFRESH_IDLE_TTL_MS = 30 * 24 * 3600_000;
export const REFRESH_ABSOLUTE_TTL_MS = 365 * 24 * 3600_000;

export interface PresentedToken {
  familyRevokedAt: number | null;
  familyAbsoluteExpiresAt: number;
  idleExpiresAt: number;
  rotatedAt: number | null;
  /** Whether the successor has itself been rotated (i.e. used). Only meaningful when rotatedAt is set. */
  successorUsed: boolean;
}

export type RefreshDecision =
  | { action: "rotate" }
  | { action: "return_successor" }
  | { action: "reject"; reason: "revoked" | "expired" }
  | { action: "revoke_family"; reason: "reuse" };

export function decideRefresh(token: PresentedToken, now: number): RefreshDecision {
  if (token.familyRevokedAt !== null) return { action: "reject", reason: "revoked" };
  if (token.rotatedAt === null) {
    if (now >= token.familyAbsoluteExpiresAt || now >= token.idleExpiresAt) return { action: "reject", reason: "expired" };
    return { action: "rotate" };
  }
  if (!token.successorUsed && now - token.rotatedAt <= REFRESH_GRACE_MS && now < token.familyAbsoluteExpiresAt) {
    return { action: "return_successor" };
  }
  return { action: "revoke_family", reason: "reuse" };
}
