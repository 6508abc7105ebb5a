import type { OAuthAuthorizationServer, OAuthResourceServer } from "@cloudflare/workers-oauth-provider";
import type { Env } from "../env";
import { verifyApiKey } from "../control/api-keys";
import type { Services } from "../env";
import type { McpCaller } from "./caller";

/**
 * The MCP server's authorization (MCP spec: OAuth 2.1 + PKCE, RFC 8414 / 9728 metadata, RFC 7591 dynamic
 * registration, RFC 7009 revocation), kept by @cloudflare/workers-oauth-provider in `OAUTH_KV`: codes, access and
 * refresh tokens and client secrets stored only as hashes, props encrypted under the token. We own the consent page
 * (mcp/consent.ts) and what a grant means: one organization (the grant's `userId` is the organization id).
 *
 * The issuer is the origin the request came in on (one Worker serves local dev, tests and production), so the two
 * roles are built once per origin. A token is bound to `<origin>/mcp` and is refused on any other origin.
 *
 * The library is imported on first use: it imports `cloudflare:workers`, which Node (scripts/openapi.ts builds the
 * app's OpenAPI document there) cannot load, and only MCP requests need it.
 */
export const oauthLibrary = () => import("@cloudflare/workers-oauth-provider");

export const SCOPE = "health:read";
export const PATHS = { authorize: "/oauth/authorize", token: "/oauth/token", register: "/oauth/register", resource: "/mcp" } as const;
/** Access tokens live an hour; a grant (refresh) 30 days after the code exchange, unless revoked before. */
const ACCESS_TOKEN_TTL_S = 3600;
const REFRESH_TOKEN_TTL_S = 30 * 86_400;

export interface Roles {
  authorizationServer: OAuthAuthorizationServer<Env>;
  resourceServer: OAuthResourceServer<Env, McpCaller>;
}

/** Answers an authorized MCP request with the caller's organization and the request's services. */
export type McpHandler = (request: Request, caller: McpCaller, services: Services) => Promise<Response>;
/** The execution context the route hands the resource server: the request's services ride along to the handler. */
export type ResourceContext = ExecutionContext & { services: Services };

const byOrigin = new Map<string, Promise<Roles>>();

/** The authorization and resource server for the origin of `url`; `handler` answers authorized MCP requests. */
export function rolesFor(url: string, handler: McpHandler): Promise<Roles> {
  const origin = new URL(url).origin;
  let roles = byOrigin.get(origin);
  if (!roles) {
    roles = build(origin, handler);
    byOrigin.set(origin, roles);
  }
  return roles;
}

async function build(origin: string, handler: McpHandler): Promise<Roles> {
  const { OAuthAuthorizationServer, OAuthResourceServer } = await oauthLibrary();
  const resource = `${origin}${PATHS.resource}`;
  const authorizationServer = new OAuthAuthorizationServer<Env>({
    issuer: origin,
    resources: [resource],
    authorizeEndpoint: `${origin}${PATHS.authorize}`,
    tokenEndpoint: `${origin}${PATHS.token}`,
    clientRegistrationEndpoint: `${origin}${PATHS.register}`,
    scopesSupported: [SCOPE],
    accessTokenTTL: ACCESS_TOKEN_TTL_S,
    refreshTokenTTL: REFRESH_TOKEN_TTL_S,
  });
  const resourceServer = new OAuthResourceServer<Env, McpCaller>({
    resourceMetadata: { resource, authorization_servers: [origin], resource_name: "Open Wearables (health data)" },
    requiredScopes: [SCOPE],
    validateToken: (env) => async (res, token) => {
      // Headless clients: an organization's API key as the bearer token. Recognised by its shape only, so an
      // OAuth token is never looked up as a key.
      if (token.startsWith("sk-")) {
        const key = await verifyApiKey(env.DB, token);
        return key ? { props: { orgId: key.orgId, via: "api_key", subject: key.id }, audience: res, scope: [SCOPE] } : null;
      }
      const valid = await authorizationServer.validateToken(res, token, env);
      return valid ? { ...valid, props: { ...(valid.props as McpCaller), via: "oauth" } } : null;
    },
    handler: {
      // Every grant carries exactly `health:read` (the consent page grants only that, and tokens can only narrow
      // it), so there is no scope to check per tool: the organization in the props is what scopes each read.
      async fetch(request, _env, ctx) {
        const context = ctx as unknown as ResourceContext & { props: McpCaller };
        return handler(request, context.props, context.services);
      },
    },
  });
  return { authorizationServer, resourceServer };
}
