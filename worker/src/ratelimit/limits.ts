import type { Context } from "hono";
import type { Env } from "../env";
import { HttpError } from "../http/errors";
import { networkKey } from "./network";

/** The caller's network as Cloudflare reports its address (clients cannot set this header through Cloudflare). */
export const clientKey = (c: Context) => networkKey(c.req.header("CF-Connecting-IP"));

export const tooMany = (retryAfter: number) =>
  new HttpError(429, `Too many attempts; try again in ${retryAfter} seconds`, { "Retry-After": String(retryAfter) });

/** Counts `weight` attempts for `key`; throws 429 with Retry-After once the window's budget is spent. */
export async function consumeAttempt(env: Env, key: string, limit: { attempts: number; windowMs: number }, weight = 1) {
  const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
  const retryAfter = await limiter.attempt(limit.attempts, limit.windowMs, weight);
  if (retryAfter > 0) throw tooMany(retryAfter);
}
