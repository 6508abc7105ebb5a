/**
 * The guide's Step 1 (an Express endpoint on YOUR backend) as a small Hono app. It authenticates your user,
 * asks Open Wearables for a user-scoped token pair with the app credentials, and returns only the tokens.
 * The app credentials never leave this server. Calls go through the typed client generated from the API's
 * OpenAPI document (`@open-wearables-edge/client`), so paths and shapes are checked at compile time.
 */
import { Hono } from "hono";
import { createOpenWearablesClient, errorDetail, type components } from "@open-wearables-edge/client";

/** What `GET /api/health/status` answers: the user's connections and latest stored batch, straight from the API. */
export interface HealthStatus {
  connections: components["schemas"]["UserConnection"][];
  lastSync: { status: string; endedAt: string; recordsSaved: number } | null;
}

export interface TokenEndpointConfig {
  /** e.g. https://api.openwearables.io (host only) */
  openWearablesHost: string;
  appId: string;
  appSecret: string;
  /** Your own auth: returns the Open Wearables user id of the caller, or null if not authenticated. */
  authenticateUser: (authorization: string | undefined) => Promise<{ openWearablesUserId: string } | null>;
  /** An API key (`sk-…`): enables `GET /api/health/status`. */
  apiKey?: string;
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
  if (config.apiKey) {
    const reader = createOpenWearablesClient({ host: config.openWearablesHost, apiKey: config.apiKey, ...(config.fetch ? { fetch: config.fetch } : {}) });
    // Your app's "health data" screen: is the phone connected, and when did it last sync?
    app.get("/api/health/status", async (c) => {
      const user = await config.authenticateUser(c.req.header("Authorization"));
      if (!user) return c.json({ error: "Unauthorized" }, 401);
      const path = { user_id: user.openWearablesUserId };
      const [connections, runs] = await Promise.all([
        reader.GET("/users/{user_id}/connections", { params: { path } }),
        reader.GET("/users/{user_id}/sync/runs", { params: { path, query: { limit: 1 } } }),
      ]);
      if (!connections.data || !runs.data || Array.isArray(runs.data)) return c.json({ error: "Failed to read health status" }, 502);
      const last = runs.data.data[0] as { status?: string; ended_at?: string; counts?: { records_saved?: number } } | undefined;
      const body: HealthStatus = {
        connections: connections.data,
        lastSync: last ? { status: String(last.status), endedAt: String(last.ended_at), recordsSaved: last.counts?.records_saved ?? 0 } : null,
      };
      return c.json(body);
    });
  }
  return app;
}
