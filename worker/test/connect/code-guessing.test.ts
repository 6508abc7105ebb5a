import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { DEFAULT_CODE_LIMITS } from "../../src/ratelimit/code-guard";
import { networkKey } from "../../src/ratelimit/network";
import { ADMIN, api, createUser } from "../setup/harness";

// Attack scripts kept as tests (issue 10): guessing invitation codes while rotating client addresses. The redeem
// and connect endpoints are limited per network (IPv6 /64) and by one failure budget for the whole deployment.

const app = createApp();
const send = async (path: string, init: { ip: string; code?: string; body?: unknown; vars?: Record<string, string> }) => {
  const headers: Record<string, string> = { "CF-Connecting-IP": init.ip };
  if (init.code !== undefined) headers["X-Invitation-Code"] = init.code;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await app.fetch(new Request(`https://api.test/api/v1${path}`, {
    method: init.body === undefined ? "GET" : "POST", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body),
  }), { ...env, ...init.vars });
  return { status: res.status, retryAfter: Number(res.headers.get("Retry-After")), json: (await res.json()) as any };
};
const redeem = (ip: string, code: string, vars?: Record<string, string>) => send("/invitation-code/redeem", { ip, body: { code }, vars });
const connect = (ip: string, code: string, vars?: Record<string, string>) => send("/connect", { ip, code, vars });

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const guess = () => Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => ALPHABET[b % 32]).join("");
const failuresSoFar = async () =>
  (await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName("code-failures")).count(DEFAULT_CODE_LIMITS.failures.windowMs, 0)).count;

async function invite() {
  const user = await createUser();
  const res = await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN, body: {} });
  expect(res.status).toBe(201);
  return res.json.code as string;
}

describe("network keys", () => {
  it("an IPv6 client is its /64, an IPv4 client its address", () => {
    expect(networkKey("2001:db8:1:2:3:4:5:6")).toBe("v6:2001:db8:1:2::/64");
    expect(networkKey("2001:0db8:0001:0002:ffff::1")).toBe("v6:2001:db8:1:2::/64");
    expect(networkKey("2001:db8:1:3::1")).toBe("v6:2001:db8:1:3::/64");
    expect(networkKey("203.0.113.9")).toBe("v4:203.0.113.9");
    expect(networkKey("::ffff:203.0.113.9")).toBe("v4:203.0.113.9");
    expect(networkKey(undefined)).toBe("unknown");
    expect(networkKey("not an address")).toBe("unknown");
  });
});

describe("guessing invitation codes", () => {
  it("rotating addresses inside one IPv6 /64 shares one redeem budget", async () => {
    const limit = DEFAULT_CODE_LIMITS.redeem.attempts;
    for (let i = 1; i <= limit; i++) expect((await redeem(`2001:db8:77:1::${i.toString(16)}`, guess())).status).toBe(404);
    const blocked = await redeem("2001:db8:77:1:ffff:ffff:ffff:ffff", guess());
    expect(blocked.status).toBe(429);
    expect(blocked.retryAfter).toBeGreaterThan(0);
    expect(blocked.json.detail).toMatch(/Too many attempts/);
    // The neighbouring /64 is someone else.
    expect((await redeem("2001:db8:77:2::1", guess())).status).toBe(404);
  });

  it("200 guesses from 200 networks: only the deployment's failure budget reaches a lookup, then even real codes wait", { timeout: 120_000 }, async () => {
    const budget = 30;
    const vars = { CODE_FAILURES_PER_WINDOW: String(budget) };
    const code = await invite();
    const before = await failuresSoFar();
    expect(before).toBeLessThan(budget);
    let looked = 0;
    let limited = 0;
    for (let i = 0; i < 200; i++) {
      const ip = `2001:db8:${(0x100 + i).toString(16)}::1`; // a fresh /64 every time
      const res = i % 2 ? await redeem(ip, guess(), vars) : await connect(ip, guess(), vars);
      if (res.status === 429) limited++;
      else { expect([400, 404]).toContain(res.status); looked++; }
    }
    expect(looked).toBe(budget - before);
    expect(limited).toBe(200 - looked);

    // A real code from a fresh network now waits too (its state is not revealed), on both endpoints.
    const r = await redeem("2001:db8:ffff::1", code, vars);
    expect(r.status).toBe(429);
    expect(r.retryAfter).toBeGreaterThan(0);
    expect(r.retryAfter).toBeLessThanOrEqual(DEFAULT_CODE_LIMITS.failures.windowMs / 1000);
    expect((await connect("2001:db8:fffe::1", code, vars)).status).toBe(429);

    // The refusals cost the code nothing: with the production budget (not yet spent) it still redeems.
    const ok = await redeem("2001:db8:fffd::1", code);
    expect(ok.status).toBe(200);
    expect(ok.json.access_token).toBeTypeOf("string");
  });

  it("a valid code's page is not a failure: polling never spends the global budget", async () => {
    const code = await invite();
    const before = await failuresSoFar();
    for (let i = 0; i < 5; i++) expect((await send("/connect/status", { ip: "203.0.113.50", code })).status).toBe(200);
    expect(await failuresSoFar()).toBe(before);
  });
});
