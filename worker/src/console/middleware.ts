import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { HttpError, unauthorized } from "../http/errors";
import { readSessionCookie } from "./cookies";
import { resolveSession } from "./sessions";

/**
 * Console calls are authenticated by the session cookie and protected from cross-site requests three ways:
 * the cookie is SameSite=Strict; every call must carry `X-Console-Request: 1` (a header no form, image or
 * simple cross-origin request can set; a cross-origin fetch with it needs a CORS preflight this Worker never
 * grants); and state-changing calls must come with an `Origin` equal to the console's own.
 */
export const CONSOLE_HEADER = "X-Console-Request";

export function checkCrossSite(c: Context): void {
  if (c.req.header(CONSOLE_HEADER) !== "1") throw new HttpError(403, `Console calls must send ${CONSOLE_HEADER}: 1`);
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const origin = c.req.header("Origin");
    if (!origin || origin !== new URL(c.req.url).origin) throw new HttpError(403, "Cross-origin console request refused");
  }
}

export const consoleGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  checkCrossSite(c);
  await next();
};

/** A signed-in member; the member's organization scopes everything the route does. */
export const requireMember: MiddlewareHandler<AppEnv> = async (c, next) => {
  checkCrossSite(c);
  const sessionId = readSessionCookie(c);
  const member = sessionId ? await resolveSession(c.env.DB, sessionId) : null;
  if (!member) throw unauthorized("Sign in to the console");
  c.set("member", member);
  await next();
};

export const requireOwner: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("member").role !== "owner") throw new HttpError(403, "Only an owner of the organization may do this");
  await next();
};
