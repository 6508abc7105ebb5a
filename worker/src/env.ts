import type { DeliveryMessage } from "./webhooks/messages";
import type { ConsoleMember } from "./console/sessions";

/**
 * Bindings and configuration the Worker runs with. The bindings, the `wrangler.toml` vars and the required secrets
 * are generated from the config by `npm run types` (worker/worker-configuration.d.ts, checked current by
 * `npm test`); this adds only what the config cannot say: the queue's message type and optional settings.
 */
export interface Env extends Omit<Cloudflare.Env, "WEBHOOKS"> {
  /** Outgoing webhook deliveries (producer; the same Worker consumes). */
  WEBHOOKS: Queue<DeliveryMessage>;
  /** Optional JSON array of retired public JWKs still published in the JWKS during a key rotation. */
  JWT_PREVIOUS_PUBLIC_KEYS?: string;
  /** Set by `npm start` (.dev.vars): loopback clients get generous rate limits (worker/src/ratelimit/limits.ts). */
  LOCAL_DEV?: string;
  /**
   * Optional invitation-code limits (worker/src/ratelimit/code-guard.ts; defaults are production values, change
   * them only for local development and tests): redeem attempts per network per 15 minutes (default 10),
   * connect-page requests per network per minute (default 120), and unknown/malformed codes per deployment per
   * 10 minutes (default 100).
   */
  REDEEM_ATTEMPTS_PER_WINDOW?: string;
  CONNECT_ATTEMPTS_PER_MINUTE?: string;
  CODE_FAILURES_PER_WINDOW?: string;
  /** Key that seals webhook signing secrets at rest (AES-GCM). Secret; without it webhooks answer 503. */
  WEBHOOK_SECRET_KEY?: string;
  /** Optional delivery-policy overrides (see worker/src/webhooks/config.ts); defaults are production values. */
  WEBHOOK_RETRY_BASE_SECONDS?: string;
  WEBHOOK_RETRY_MAX_SECONDS?: string;
  WEBHOOK_TIMEOUT_MS?: string;
  WEBHOOK_DISABLE_AFTER_FAILURES?: string;
  WEBHOOK_DISABLE_AFTER_SECONDS?: string;
  WEBHOOK_ROTATION_GRACE_SECONDS?: string;
  WEBHOOK_ENDPOINT_CACHE_MS?: string;
  /** Local development only: "true" lets webhook URLs use http and loopback/private hosts (webhooks/url-policy.ts). */
  WEBHOOK_ALLOW_PRIVATE_URLS?: string;
  /** DNS-over-HTTPS JSON endpoint used to re-check webhook hosts at delivery (default Cloudflare's; tests use a local one). */
  WEBHOOK_DNS_RESOLVER?: string;
  /** The MCP server's OAuth clients, grants and hashed tokens (worker/src/mcp, @cloudflare/workers-oauth-provider). */
  OAUTH_KV: KVNamespace;
}

export type AppEnv = { Bindings: Env; Variables: { auth: AuthContext; services: Services; member: ConsoleMember } };

/**
 * Who is calling, and inside which organization. The admin acts in the organization it names (or the default one);
 * an API key in its own. An SDK token acts only on its own user (whose object knows the organization).
 */
export type AuthContext =
  | { kind: "admin"; orgId: string }
  | { kind: "api_key"; apiKeyId: string; orgId: string }
  | { kind: "sdk_token"; userId: string; appId: string }
  /** A console member (session cookie), on the management routes the console mounts (routes/console-manage.ts). */
  | { kind: "console"; memberId: string; orgId: string };

/** Per-request services, built once per request (services.ts) and read from the context by routes. */
export interface Services {
  db: D1Database;
  users: import("./data/user-directory").UserDirectory;
}
