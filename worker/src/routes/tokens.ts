import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "../auth/access-tokens";
import { API_KEY_HEADER, adminOrganization, isAdminRequest, keyConfig } from "../auth/middleware";
import { refreshUserSession, revokeUserSession, startUserSession, type Session } from "../auth/sessions";
import { HttpError, notFound, unauthorized } from "../http/errors";
import { UserIdParam, errors, json, jsonBody, newRouter } from "../http/router";
import { verifyAppCredentials } from "../control/applications";
import type { SessionStart } from "../data/sessions";

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  refresh_token: z.string(),
  expires_in: z.number().int(),
}).openapi("TokenResponse");

const MintBody = z.strictObject({
  app_id: z.string().max(64).nullable().optional(),
  app_secret: z.string().max(128).nullable().optional(),
}).openapi("MintTokenRequest");
const RefreshBody = z.strictObject({ refresh_token: z.string().max(128), grant_type: z.literal("refresh_token").optional() }).openapi("RefreshTokenRequest");

export async function tokenResponse(c: Context<AppEnv>, session: Session) {
  return {
    access_token: await signAccessToken(keyConfig(c.env), session.userId, session.appClaim),
    token_type: "bearer" as const,
    refresh_token: session.refreshToken,
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
  };
}

const REFRESH_FAILURES = {
  unknown: "Invalid or revoked refresh token",
  revoked: "Invalid or revoked refresh token",
  expired: "Refresh token expired; sign in again",
  reuse: "Refresh token was already used; the session has been revoked",
} as const;

export const tokenRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post", path: "/users/{user_id}/token", tags: ["Tokens"],
      summary: "Mint an SDK token pair for a user from app credentials (server to server)",
      description: "Send `app_id` + `app_secret` in the body, or the admin key in `X-Open-Wearables-API-Key`.",
      request: { params: UserIdParam, body: jsonBody(MintBody, false) },
      responses: { 200: json(TokenResponse), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const userId = c.req.valid("param").user_id.toLowerCase();
      const body = c.req.valid("json") ?? {};
      const { db, users } = c.var.services;
      let orgId: string;
      let start: SessionStart;
      if (body.app_id && body.app_secret) {
        const app = await verifyAppCredentials(db, body.app_id, body.app_secret);
        if (!app) throw unauthorized("Invalid app credentials");
        // The application's organization: a user of another organization is answered as missing.
        orgId = app.organization_id;
        start = { applicationId: app.id, appGeneration: app.secret_generation, appClaim: app.app_id };
      } else if (c.req.header(API_KEY_HEADER)) {
        if (!(await isAdminRequest(c))) throw unauthorized("Admin API key required");
        orgId = await adminOrganization(c);
        start = { applicationId: null, appGeneration: null, appClaim: "admin" };
      } else {
        throw new HttpError(400, "Either app credentials (app_id, app_secret) or admin authentication is required");
      }
      const session = await startUserSession(users, userId, orgId, start);
      if (!session) throw notFound("User", userId);
      return c.json(await tokenResponse(c, session), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post", path: "/token/refresh", tags: ["Tokens"],
      summary: "Rotate a refresh token",
      description:
        "Returns a new access and refresh token. Presenting the just-rotated token again within 60 s (a lost " +
        "response) returns the same successor; any other reuse revokes the whole session.",
      request: { body: jsonBody(RefreshBody) },
      responses: { 200: json(TokenResponse), ...errors(400, 401, 500) },
    }),
    async (c) => {
      const { db, users } = c.var.services;
      const outcome = await refreshUserSession(users, db, c.env.REVOCATIONS, c.req.valid("json").refresh_token);
      if (!outcome.ok) throw unauthorized(REFRESH_FAILURES[outcome.reason], true);
      return c.json(await tokenResponse(c, outcome.session), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post", path: "/token/revoke", tags: ["Tokens"], summary: "Revoke a refresh token and its whole session",
      request: { body: jsonBody(RefreshBody) },
      responses: { 204: { description: "Revoked" }, ...errors(400, 404) },
    }),
    async (c) => {
      const { db, users } = c.var.services;
      if (!(await revokeUserSession(users, db, c.req.valid("json").refresh_token))) throw new HttpError(404, "Refresh token not found");
      return c.body(null, 204);
    },
  );
