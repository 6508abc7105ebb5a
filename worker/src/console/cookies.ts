import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_ABSOLUTE_MS } from "./config";

/**
 * The console session cookie: HttpOnly, SameSite=Strict, Path=/. Secure with the `__Host-` prefix everywhere except
 * plain-http localhost (local development), where browsers would drop a Secure cookie set over http.
 */
const NAME = "ow_console"; // sent as `__Host-ow_console` when Secure

const isLocalHttp = (c: Context) => {
  const url = new URL(c.req.url);
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
};

export function readSessionCookie(c: Context): string | undefined {
  return isLocalHttp(c) ? getCookie(c, NAME) : getCookie(c, NAME, "host");
}

export function writeSessionCookie(c: Context, sessionId: string): void {
  const local = isLocalHttp(c);
  setCookie(c, NAME, sessionId, {
    httpOnly: true, sameSite: "Strict", path: "/", secure: !local, maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
    ...(local ? {} : { prefix: "host" as const }),
  });
}

export function clearSessionCookie(c: Context): void {
  const local = isLocalHttp(c);
  deleteCookie(c, NAME, { path: "/", secure: !local, httpOnly: true, sameSite: "Strict", ...(local ? {} : { prefix: "host" as const }) });
}
