import type { MiddlewareHandler } from "hono";

/** One year; browsers ignore the header on plain http, and we only send it over https anyway. */
export const HSTS = "max-age=31536000";

/**
 * Headers every Worker response carries. API answers hold tokens, keys, personal or health data, so none may be
 * stored by a browser or a shared cache (RFC 6749 §5.1 for tokens) unless a route says otherwise (the JWKS is
 * public and cacheable). `nosniff` stops a browser from treating a JSON answer as HTML or script.
 * Static assets get the same from web/public/_headers.
 */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set("X-Content-Type-Options", "nosniff");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  if (new URL(c.req.url).protocol === "https:") headers.set("Strict-Transport-Security", HSTS);
};
