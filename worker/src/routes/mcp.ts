import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import { createRoute, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { orgOf, requireApiKey } from "../auth/middleware";
import { HttpError } from "../http/errors";
import { API_KEY_SECURITY, errors, json, newRouter } from "../http/router";
import { PATHS, rolesFor, type ResourceContext } from "../mcp/oauth";
import { handleMcp } from "../mcp/server";
import { decideConsent, showConsent } from "../mcp/consent";
import { listGrants, revokeGrant } from "../mcp/grants";
import { oauthApi } from "../mcp/oauth-api";

/**
 * The remote MCP server (worker/src/mcp): the protected resource at /mcp, its OAuth authorization server (metadata,
 * dynamic registration, token, consent), and the organization's grant list under the API.
 */

const roles = (c: Context<AppEnv>) => rolesFor(c.req.url, handleMcp);
const resource = async (c: Context<AppEnv>, request = c.req.raw) => (await roles(c)).resourceServer.fetch(request, c.env, resourceContext(c));
const authorization = async (c: Context<AppEnv>) => (await roles(c)).authorizationServer.fetch(c.req.raw, c.env, executionContext(c));

/** The resource server sees the request's services through its execution context. */
function resourceContext(c: Context<AppEnv>): ResourceContext {
  const ctx = c.executionCtx;
  return {
    waitUntil: (p: Promise<unknown>) => ctx.waitUntil(p),
    passThroughOnException: () => ctx.passThroughOnException(),
    props: {},
    services: c.var.services,
  } as unknown as ResourceContext;
}

const executionContext = (c: Context<AppEnv>) => c.executionCtx as unknown as ExecutionContext;
const PRM = "/.well-known/oauth-protected-resource";

export const mcpRoutes = new Hono<AppEnv>()
  .all(PATHS.resource, (c) => resource(c))
  .all(`${PRM}${PATHS.resource}`, (c) => resource(c))
  // The root document too: clients that probe it before the path-specific one (RFC 9728 §3.1) find the same resource.
  .all(PRM, (c) => {
    const url = new URL(c.req.url);
    url.pathname = `${PRM}${PATHS.resource}`;
    return resource(c, new Request(url, c.req.raw));
  })
  .get(PATHS.authorize, async (c) => showConsent(c, await oauthApi(c)))
  .post(PATHS.authorize, async (c) => decideConsent(c, await oauthApi(c)))
  .all("/.well-known/oauth-authorization-server", (c) => authorization(c))
  .all("/oauth/*", (c) => authorization(c));

const GrantParams = z.object({ grant_id: z.string().min(1).max(200).openapi({ param: { name: "grant_id", in: "path" } }) });
const Grant = z.object({
  id: z.string(), client_id: z.string(), client_name: z.string().nullable(), scope: z.array(z.string()),
  granted_by: z.string().nullable().openapi({ description: "Who consented: the console member's id (`mem_…`) or the API key's handle (`key_…`)." }),
  granted_by_label: z.string().nullable().openapi({ description: "That member's display name, or `API key key_…`." }),
  created_at: z.string(), expires_at: z.string().nullable(),
}).openapi("McpGrant");
/** An API key (or the admin key), or a console member when mounted under the console (routes/console-manage.ts). */
const apiKeyOrMember: MiddlewareHandler<AppEnv> = (c, next) => (c.get("auth")?.kind === "console" ? next() : requireApiKey(c, next));
const base = { tags: ["MCP"], security: API_KEY_SECURITY, middleware: [apiKeyOrMember] };

export const mcpGrantRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/mcp/grants", summary: "MCP clients your organization has authorized",
      description: "Every live OAuth grant of the organization's remote MCP server (`/mcp`): the client, who consented, when.",
      responses: { 200: json(z.object({ items: z.array(Grant), total: z.number().int() })), ...errors(401) } }),
    async (c) => {
      const items = await listGrants(await oauthApi(c), orgOf(c));
      return c.json({ items, total: items.length }, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/mcp/grants/{grant_id}", summary: "Revoke an MCP client's access",
      description: "Its access and refresh tokens stop working at once.",
      request: { params: GrantParams }, responses: { 204: { description: "Revoked" }, ...errors(401, 404) } }),
    async (c) => {
      if (!(await revokeGrant(await oauthApi(c), orgOf(c), c.req.valid("param").grant_id))) throw new HttpError(404, "Grant not found");
      return c.body(null, 204);
    },
  );
