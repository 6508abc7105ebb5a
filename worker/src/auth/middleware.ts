import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Env } from "../env";
import { HttpError, unauthorized } from "../http/errors";
import { verifyApiKey } from "../control/api-keys";
import { DEFAULT_ORG_ID, findOrganization } from "../control/organizations";
import { verifyAccessToken, type KeyConfig } from "./access-tokens";
import { matchesHash, sha256Hex } from "./secrets";

/** The three ways a caller is authenticated. Each middleware runs before any request validation. */

export const API_KEY_HEADER = "X-Open-Wearables-API-Key";
/** The admin key acts inside the organization this header names (the default organization without it). */
export const ORGANIZATION_HEADER = "X-Open-Wearables-Organization";

export const keyConfig = (env: Env): KeyConfig => ({
  privateJwk: env.JWT_PRIVATE_KEY,
  previousPublicJwks: env.JWT_PREVIOUS_PUBLIC_KEYS,
  issuer: env.JWT_ISSUER,
  audience: env.JWT_AUDIENCE,
});

async function isAdminKey(env: Env, presented: string): Promise<boolean> {
  if (!env.ADMIN_API_KEY) throw new Error("ADMIN_API_KEY is not configured");
  return matchesHash(presented, await sha256Hex(env.ADMIN_API_KEY));
}

const apiKeyHeader = (c: Context) => c.req.header(API_KEY_HEADER)?.trim() || undefined;

/**
 * The token from `Authorization`: `Bearer <jwt>`, or a bare JWT with no scheme (what the iOS SDK sends after
 * its own refresh).
 */
export function bearerToken(c: Context): string | undefined {
  const value = c.req.header("Authorization")?.trim();
  if (!value) return undefined;
  const [first, second] = value.split(/\s+/, 2);
  if (second !== undefined) return first!.toLowerCase() === "bearer" ? second : undefined;
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(first!) ? first : undefined;
}

export async function isAdminRequest(c: Context<AppEnv>): Promise<boolean> {
  const key = apiKeyHeader(c);
  return !!key && (await isAdminKey(c.env, key));
}

/**
 * The organization a caller acts in: the one the admin names in the header, or the default one. An API key acts only
 * in its own; naming another one is answered like naming a missing one.
 */
async function organizationFor(c: Context<AppEnv>, keyOrgId: string | null): Promise<string> {
  const named = c.req.header(ORGANIZATION_HEADER)?.trim();
  if (!named) return keyOrgId ?? DEFAULT_ORG_ID;
  const org = keyOrgId === null || named === keyOrgId ? await findOrganization(c.env.DB, named) : null;
  if (!org) throw new HttpError(404, `Organization ${named} not found (named in ${ORGANIZATION_HEADER})`);
  return org.id;
}

/** The organization an admin request acts in (after the admin key has been checked). */
export const adminOrganization = (c: Context<AppEnv>) => organizationFor(c, null);

/** Management endpoints: only the operator's admin key. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  // A console member, already authenticated by the console's session middleware, acts in their own organization.
  if (c.get("auth")?.kind === "console") return next();
  if (!(await isAdminRequest(c))) throw unauthorized("Admin API key required");
  c.set("auth", { kind: "admin", orgId: await organizationFor(c, null) });
  await next();
};

/** Operator-only endpoints that are not inside an organization (managing organizations themselves). */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(await isAdminRequest(c))) throw unauthorized("Admin API key required");
  c.set("auth", { kind: "admin", orgId: DEFAULT_ORG_ID });
  await next();
};

async function apiKeyAuth(c: Context<AppEnv>, key: string): Promise<boolean> {
  if (await isAdminKey(c.env, key)) {
    c.set("auth", { kind: "admin", orgId: await organizationFor(c, null) });
    return true;
  }
  const verified = await verifyApiKey(c.env.DB, key);
  if (!verified) return false;
  c.set("auth", { kind: "api_key", apiKeyId: verified.id, orgId: await organizationFor(c, verified.orgId) });
  return true;
}

/** The caller's organization; SDK tokens have none of their own (their user's object knows it). */
export function callerOrg(c: Context<AppEnv>): string | null {
  const auth = c.get("auth");
  return auth.kind === "sdk_token" ? null : auth.orgId;
}

/** The organization of a caller authenticated with the admin or an API key (management and read routes). */
export function orgOf(c: Context<AppEnv>): string {
  const auth = c.get("auth");
  if (auth.kind === "sdk_token") throw new HttpError(403, "SDK tokens cannot call this endpoint");
  return auth.orgId;
}

/** Customer-backend endpoints: an API key (the admin key is accepted wherever an API key is). */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = apiKeyHeader(c);
  if (!key) throw unauthorized("Authentication required: provide an API key");
  if (!(await apiKeyAuth(c, key))) throw unauthorized("Invalid or missing API key");
  await next();
};

/** SDK endpoints: an SDK access token (wins when both are sent), else an API key. */
export const requireSdkAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c);
  if (token) {
    const claims = await verifyAccessToken(keyConfig(c.env), token);
    if (claims) {
      c.set("auth", { kind: "sdk_token", userId: claims.userId, appId: claims.appId });
      return next();
    }
  }
  const key = apiKeyHeader(c);
  if (key) {
    if (!(await apiKeyAuth(c, key))) throw unauthorized("Invalid or missing API key");
    return next();
  }
  throw unauthorized(token ? "Could not validate credentials" : "Authentication required: provide SDK token or API key", !!token);
};
