/**
 * The guide's Step 1 (an Express endpoint on YOUR backend) as a small Hono app. It authenticates your user,
 * asks Open Wearables for a user-scoped token pair with the app credentials, and returns only the tokens.
 * The app credentials never leave this server. Calls go through the typed client generated from the API's
 * OpenAPI document (`@open-wearables-edge/client`), so paths and shapes are checked at compile time.
 */
import { Hono } from "hono";
import { createOpenWearablesClient, errorDetail } from "@open-wearables-edge/client";

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
  const ow = createOpenWearablesClient({ host: config.openWearablesHost, ...(config.fetch ? { fetch: config.fetch } : {}) });
  app.post("/api/health/connect", async (c) => {
    const user = await config.authenticateUser(c.req.header("Authorization"));
    if (!user) return c.json({ error: "Unauthorized" }, 401);
    try {
      const owUserId = user.openWearablesUserId;
      const { data, error, response } = await ow.POST("/users/{user_id}/token", {
        params: { path: { user_id: owUserId } },
        body: { app_id: config.appId, app_secret: config.appSecret },
      });
      if (!data) throw new Error(`Failed to generate token (HTTP ${response.status}: ${errorDetail(error)})`);
      // Return tokens to the mobile app (NOT the app credentials!)
      return c.json({ userId: owUserId, accessToken: data.access_token, refreshToken: data.refresh_token });
    } catch (error) {
      console.error("Health connect error:", (error as Error).message); // never the tokens
      return c.json({ error: "Failed to connect health" }, 500);
    }
  });
  return app;
}
