import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Env } from "../env";
import { unauthorized } from "../http/errors";
import { verifyApiKey } from "../control/api-keys";
import { verifyAccessToken, type KeyConfig } from "./access-tokens";
import { matchesHash, sha256Hex } from "./secrets";

/** The three ways a caller is authenticated. Each middleware runs before any request validation. */

export const API_KEY_HEADER = "X-Open-Wearables-API-Key";

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

/** Management endpoints: only the operator's admin key. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(await isAdminRequest(c))) throw unauthorized("Admin API key required: send the operator's admin key (ADMIN_API_KEY) in the X-Open-Wearables-API-Key header");
  c.set("auth", { kind: "admin" });
  await next();
};

async function apiKeyAuth(c: Context<AppEnv>, key: string): Promise<boolean> {
  if (await isAdminKey(c.env, key)) {
    c.set("auth", { kind: "admin" });
    return true;
  }
  const apiKeyId = await verifyApiKey(c.env.DB, key);
  if (!apiKeyId) return false;
  c.set("auth", { kind: "api_key", apiKeyId });
  return true;
}

/** Customer-backend endpoints: an API key (the admin key is accepted wherever an API key is). */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = apiKeyHeader(c);
  if (!key) throw unauthorized("Authentication required: send an API key (sk-…, or the admin key) in the X-Open-Wearables-API-Key header");
  if (!(await apiKeyAuth(c, key))) throw unauthorized("Invalid or missing API key: the X-Open-Wearables-API-Key header holds no valid API key (sk-…) or admin key");
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
    if (!(await apiKeyAuth(c, key))) throw unauthorized("Invalid or missing API key: the X-Open-Wearables-API-Key header holds no valid API key (sk-…) or admin key");
    return next();
  }
  throw unauthorized(token
    ? "Could not validate credentials: the SDK access token in Authorization: Bearer <token> is invalid or expired; get a new one from POST /api/v1/token/refresh"
    : "Authentication required: send an SDK access token (Authorization: Bearer <token>) or an API key (X-Open-Wearables-API-Key header)", !!token);
};
