import type { Context } from "hono";
import type { AppEnv } from "../env";

/**
 * Every /console route answers with the console's HTML entry (web/console.html, its own Vite chunk), so deep links
 * such as /console/users/{id} load the console, not the onboarding app. Never framed (clickjacking), never cached
 * stale (a deploy must not pair old HTML with removed chunks).
 */
export async function consolePage(c: Context<AppEnv>) {
  if (!c.env.ASSETS) return c.json({ detail: "Console assets are not built (npm run build -w web)" }, 503);
  const asset = await c.env.ASSETS.fetch(new URL("/console.html", c.req.url));
  if (!asset.ok) return c.json({ detail: "Console assets are not built (npm run build -w web)" }, 503);
  const headers = new Headers(asset.headers);
  headers.set("Cache-Control", "no-cache");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Content-Security-Policy",
    "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Content-Type-Options", "nosniff");
  return new Response(asset.body, { status: 200, headers });
}
