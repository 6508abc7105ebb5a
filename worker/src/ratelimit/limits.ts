import type { Context } from "hono";
import type { Env } from "../env";
import { HttpError } from "../http/errors";
import { networkKey } from "./network";

/** The caller's network as Cloudflare reports its address (clients cannot set this header through Cloudflare). */
export const clientKey = (c: Context) => networkKey(c.req.header("CF-Connecting-IP"));

export const tooMany = (retryAfter: number) =>
  new HttpError(429, `Too many attempts; try again in ${retryAfter} seconds`, { "Retry-After": String(retryAfter) });

/**
 * In local development (`LOCAL_DEV`, written to .dev.vars by `npm start`) the developer's own loopback requests
 * get this many times the budget, so trying wrong codes while building an app never locks them out. Through
 * Cloudflare a client address is never loopback, and production has no LOCAL_DEV.
 */
export const LOCAL_LOOPBACK_FACTOR = 100;
/** Loopback networks as `networkKey` writes them: 127.0.0.0/8, and the /64 that holds ::1. */
const LOOPBACK = /^(v4:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|v6:0:0:0:0::\/64)$/;
/** Limiter keys are `<purpose>:<network key>` (see callers). */
const isLocalLoopback = (env: Env, key: string) => env.LOCAL_DEV === "true" && LOOPBACK.test(key.slice(key.indexOf(":") + 1));

/** Counts `weight` attempts for `key`; throws 429 with Retry-After once the window's budget is spent. */
export async function consumeAttempt(env: Env, key: string, limit: { attempts: number; windowMs: number }, weight = 1) {
  const attempts = isLocalLoopback(env, key) ? limit.attempts * LOCAL_LOOPBACK_FACTOR : limit.attempts;
  const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
  const retryAfter = await limiter.attempt(attempts, limit.windowMs, weight);
  if (retryAfter > 0) throw tooMany(retryAfter);
}
