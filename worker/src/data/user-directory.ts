import type { Env } from "../env";
import { findUserAnyOrganization } from "../control/users";
import type { Access } from "./user-state";

/** Each user's data, sessions and state live in one SQLite-backed Durable Object, named by the user id. */
export const userDataStub = (env: Env, userId: string) => env.USER_DATA.get(env.USER_DATA.idFromName(userId));
export type UserDataStub = ReturnType<typeof userDataStub>;

/**
 * Finds a user's object for a caller in an organization. The object answers from its own state; D1 is asked only
 * once per user, for users created before objects knew their organization (then the object is registered).
 */
export class UserDirectory {
  constructor(private readonly env: Env, private readonly db: D1Database) {}

  stub(userId: string): UserDataStub {
    return userDataStub(this.env, userId);
  }

  /** The user's object when the user exists (in `orgId`, when given), else null: missing and foreign look alike. */
  async open(userId: string, orgId?: string | null): Promise<UserDataStub | null> {
    const stub = this.stub(userId);
    let access = (await stub.access(orgId ?? null)) as Access;
    if (!access.ok && access.reason === "unregistered") access = await this.registerFromDirectory(userId, orgId);
    return access.ok ? stub : null;
  }

  /** Registers a user the object does not know yet from the D1 directory (one query, once per user). */
  async registerFromDirectory(userId: string, orgId?: string | null): Promise<Access> {
    const row = await findUserAnyOrganization(this.db, userId);
    if (!row) return { ok: false, reason: "not_found" };
    return (await this.stub(userId).register(userId, row.organization_id, orgId ?? null)) as Access;
  }
}
