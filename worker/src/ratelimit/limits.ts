import type { Context } from "hono";
import type { Env } from "../env";
import { HttpError } from "../http/errors";

/** The caller's address as Cloudflare reports it (clients cannot set this header through Cloudflare). */
export const clientKey = (c: Context) => c.req.header("CF-Connecting-IP") ?? "unknown";

/**
 * In local development (`LOCAL_DEV`, written to .dev.vars by `npm start`) the developer's own loopback requests
 * get this many times the budget, so trying wrong codes while building an app never locks them out. Through
 * Cloudflare a client address is never loopback, and production has no LOCAL_DEV.
 */
export const LOCAL_LOOPBACK_FACTOR = 100;
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
/** Limiter keys are `<purpose>:<client address>` (see callers). */
const isLocalLoopback = (env: Env, key: string) => env.LOCAL_DEV === "true" && LOOPBACK.test(key.slice(key.indexOf(":") + 1));

/** Counts `weight` attempts for `key`; throws 429 with Retry-After once the window's budget is spent. */
export async function consumeAttempt(env: Env, key: string, limit: { attempts: number; windowMs: number }, weight = 1) {
  const attempts = isLocalLoopback(env, key) ? limit.attempts * LOCAL_LOOPBACK_FACTOR : limit.attempts;
  const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
  const retryAfter = await limiter.attempt(attempts, limit.windowMs, weight);
  if (retryAfter > 0) {
    throw new HttpError(429, `Too many attempts; try again in ${retryAfter} seconds`, { "Retry-After": String(retryAfter) });
  }
}
