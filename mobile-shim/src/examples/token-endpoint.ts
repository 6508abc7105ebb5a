/**
 * The guide's Step 1 (an Express endpoint on YOUR backend) as a small Hono app. It authenticates your user,
 * asks Open Wearables for a user-scoped token pair with the app credentials, and returns only the tokens.
 * The app credentials never leave this server.
 */
import { Hono } from "hono";

export interface TokenEndpointConfig {
  /** e.g. https://api.openwearables.io (host only) */
  openWearablesHost: string;
  appId: string;
  appSecret: string;
  /** Your own auth: returns the Open Wearables user id of the caller, or null if not authenticated. */
  authenticateUser: (authorization: string | undefined) => Promise<{ openWearablesUserId: string } | null>;
  fetch?: typeof fetch;
}

export function createTokenEndpoint(config: TokenEndpointConfig) {
  const app = new Hono();
  const doFetch = config.fetch ?? fetch;
  app.post("/api/health/connect", async (c) => {
    const user = await config.authenticateUser(c.req.header("Authorization"));
    if (!user) return c.json({ error: "Unauthorized" }, 401);
    try {
      const owUserId = user.openWearablesUserId;
      const response = await doFetch(`${config.openWearablesHost}/api/v1/users/${encodeURIComponent(owUserId)}/token`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ app_id: config.appId, app_secret: config.appSecret }),
      });
      if (!response.ok) throw new Error(`Failed to generate token (HTTP ${response.status})`);
      const { access_token, refresh_token } = (await response.json()) as { access_token: string; refresh_token: string };
      // Return tokens to the mobile app (NOT the app credentials!)
      return c.json({ userId: owUserId, accessToken: access_token, refreshToken: refresh_token });
    } catch (error) {
      console.error("Health connect error:", (error as Error).message); // never the tokens
      return c.json({ error: "Failed to connect health" }, 500);
    }
  });
  return app;
}
