import type { Context } from "hono";
import type { AppEnv } from "../env";
import { rolesFor } from "./oauth";
import { handleMcp } from "./server";

/**
 * The OAuth library's helpers (consent, clients, grants) for the request's origin. Grants live in `OAUTH_KV` keyed
 * by organization, whatever the origin, so any route may list or revoke them through this.
 */
export const oauthApi = async (c: Context<AppEnv>) => (await rolesFor(c.req.url, handleMcp)).authorizationServer.getOAuthApi(c.env);
