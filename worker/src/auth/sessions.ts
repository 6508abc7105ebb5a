import type { UserDirectory } from "../data/user-directory";
import type { SessionStart } from "../data/sessions";
import { markFamilyMoved, readLegacyFamily } from "./legacy-sessions";
import { refreshTokenUser } from "./secrets";
import { appRevocation, sessionStillValid } from "./revocations";

/**
 * Sign-in sessions (refresh-token families), as the Worker sees them. The families live in the user's Durable
 * Object (data/sessions.ts); a refresh token names its user, so a refresh goes straight to that object and makes no
 * D1 query. The application check on refresh reads the revocation registry in KV (auth/revocations.ts).
 */

export interface Session {
  userId: string;
  appClaim: string;
  refreshToken: string;
}

export type RefreshOutcome = { ok: true; session: Session } | { ok: false; reason: "unknown" | "revoked" | "expired" | "reuse" };

/** Starts a session for a user of `orgId`; null when the user does not exist there (or was deleted). */
export async function startUserSession(
  users: UserDirectory, userId: string, orgId: string, start: SessionStart,
): Promise<Session | null> {
  const stub = await users.open(userId, orgId);
  if (!stub) return null;
  const started = await stub.startSession(userId, start, orgId);
  return "refreshToken" in started ? { userId, appClaim: start.appClaim, refreshToken: started.refreshToken } : null;
}

/** The user a refresh token belongs to; moves a pre-upgrade family into the user's object on first use. */
async function routeToken(users: UserDirectory, db: D1Database, presented: string): Promise<string | null> {
  const routed = refreshTokenUser(presented);
  if (routed) return routed;
  const legacy = await readLegacyFamily(db, presented);
  if (!legacy) return null;
  const stub = await users.open(legacy.userId);
  if (!stub) return null;
  await stub.importLegacyFamily(legacy.family);
  if (!legacy.moved) await markFamilyMoved(db, legacy.family.id);
  return legacy.userId;
}

/**
 * Rotates a refresh token (rules: auth/refresh-policy.ts). A session of an application whose secret was rotated, or
 * that was deleted, is revoked here at its next refresh: bulk revocation without visiting every user.
 */
export async function refreshUserSession(
  users: UserDirectory, db: D1Database, revocations: KVNamespace, presented: string,
): Promise<RefreshOutcome> {
  const userId = await routeToken(users, db, presented);
  if (!userId) return { ok: false, reason: "unknown" };
  const stub = users.stub(userId);
  const result = await stub.refreshSession(userId, presented);
  if (!result.ok) return result;
  const { family } = result;
  if (family.applicationId) {
    const app = await appRevocation(revocations, family.applicationId);
    if (!sessionStillValid(app, family.appGeneration)) {
      await stub.revokeFamily(family.familyId, app.deleted ? "application_deleted" : "app_secret_rotated");
      return { ok: false, reason: "revoked" };
    }
  }
  return { ok: true, session: { userId, appClaim: family.appClaim, refreshToken: result.refreshToken } };
}

/** Ends the session a refresh token belongs to. False when the token is unknown or its session already ended. */
export async function revokeUserSession(users: UserDirectory, db: D1Database, presented: string): Promise<boolean> {
  const userId = await routeToken(users, db, presented);
  if (!userId) return false;
  return users.stub(userId).revokeSession(presented);
}
