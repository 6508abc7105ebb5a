import { Hono } from "hono";
import type { AppEnv } from "../env";
import { publicJwks } from "../auth/access-tokens";
import { keyConfig } from "../auth/middleware";

/** Public keys that verify our access tokens (current + retiring), for anyone who wants to check them. */
export const jwksRoutes = new Hono<AppEnv>().get("/.well-known/jwks.json", async (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.json(await publicJwks(keyConfig(c.env)));
});
