import type { Context } from "hono";
import type { AppEnv, Env } from "../env";
import { clientKey, consumeAttempt, tooMany } from "./limits";

/**
 * Guessing protection for the public endpoints that take an invitation code (redeem, the onboarding page's
 * connect endpoints). Two limits, both in Durable Objects:
 *  - per network (IPv6 /64, IPv4 address): one client cannot hammer;
 *  - a failure budget per deployment: unknown or malformed codes, from anywhere, share one budget, so rotating
 *    addresses buys nothing. Once it is spent every code request waits for the window to end (a deliberate
 *    trade: an attacker can pause onboarding for minutes, but cannot guess). README "Invitation codes" has the math.
 * Limits can be changed with env vars (local development and tests); the defaults are production values.
 */

export interface CodeLimits {
  redeem: { attempts: number; windowMs: number };
  connect: { attempts: number; windowMs: number };
  /** What an unknown or malformed code costs on the connect endpoints, in connect attempts. */
  missWeight: number;
  failures: { attempts: number; windowMs: number };
}

export const DEFAULT_CODE_LIMITS: CodeLimits = {
  redeem: { attempts: 10, windowMs: 15 * 60_000 },
  // Generous enough for a status page polling every few seconds from a shared network.
  connect: { attempts: 120, windowMs: 60_000 },
  missWeight: 20,
  failures: { attempts: 100, windowMs: 10 * 60_000 },
};

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : fallback;
};

export function codeLimits(env: Env): CodeLimits {
  const d = DEFAULT_CODE_LIMITS;
  return {
    redeem: { ...d.redeem, attempts: positive(env.REDEEM_ATTEMPTS_PER_WINDOW, d.redeem.attempts) },
    connect: { ...d.connect, attempts: positive(env.CONNECT_ATTEMPTS_PER_MINUTE, d.connect.attempts) },
    missWeight: d.missWeight,
    failures: { ...d.failures, attempts: positive(env.CODE_FAILURES_PER_WINDOW, d.failures.attempts) },
  };
}

export type CodeScope = "redeem" | "connect";
const GLOBAL_KEY = "code-failures";

/**
 * Per isolate: until when the global budget is known to have room. Only cached while less than half is spent,
 * and any failure seen here past half clears it, so the budget cannot be overrun by more than the requests in
 * flight when it runs out; the common case (a valid code, budget nearly untouched) costs no extra call.
 */
let roomy: { budget: number; until: number } | null = null;

const globalLimiter = (env: Env) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(GLOBAL_KEY));

async function checkGlobalBudget(env: Env, limits: CodeLimits) {
  const budget = limits.failures.attempts;
  const now = Date.now();
  if (roomy && roomy.budget === budget && now < roomy.until) return;
  const { count, resetAt } = await globalLimiter(env).count(limits.failures.windowMs, 0);
  if (count >= budget) throw tooMany(Math.max(1, Math.ceil((resetAt - now) / 1000)));
  roomy = count < budget / 2 ? { budget, until: Math.min(now + 10_000, resetAt) } : null;
}

/** Before a code is looked at: one attempt for this network, and the deployment's failure budget must have room. */
export async function guardCodeAttempt(c: Context<AppEnv>, scope: CodeScope) {
  const limits = codeLimits(c.env);
  const perNetwork = scope === "redeem" ? limits.redeem : limits.connect;
  await Promise.all([
    consumeAttempt(c.env, `${scope}:${clientKey(c)}`, perNetwork),
    checkGlobalBudget(c.env, limits),
  ]);
}

/** After a code turned out unknown or malformed: it counts against the global budget (and, on connect, costs more). */
export async function chargeCodeFailure(c: Context<AppEnv>, scope: CodeScope) {
  const limits = codeLimits(c.env);
  const [global] = await Promise.all([
    globalLimiter(c.env).count(limits.failures.windowMs, 1),
    scope === "connect"
      ? consumeAttempt(c.env, `connect:${clientKey(c)}`, limits.connect, limits.missWeight - 1).catch(() => {})
      : undefined,
  ]);
  if (global.count >= limits.failures.attempts / 2) roomy = null;
}
