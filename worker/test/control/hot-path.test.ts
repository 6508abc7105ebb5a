import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { iosBatch } from "../ingest/fixtures";
import { fetchApp } from "../setup/harness";

/**
 * The phone's hot path never touches D1. The Worker runs here with an instrumented D1 binding (the real binding,
 * wrapped to count every statement prepared on it); after one warm-up request per credential, sync, logs, refresh
 * and the onboarding status poll must make no D1 query at all, and a warm API key none on the read API.
 * The per-endpoint figures are printed for bench/README.md ("D1 queries per request").
 */

const app = createApp();
let queries: string[] = [];
const countingDb = new Proxy(env.DB, {
  get(target, prop) {
    if (prop === "prepare") return (sql: string) => { queries.push(sql.replace(/\s+/g, " ").trim().slice(0, 80)); return target.prepare(sql); };
    if (prop === "exec") return (sql: string) => { queries.push(sql.slice(0, 80)); return target.exec(sql); };
    const value = Reflect.get(target, prop);
    return typeof value === "function" ? value.bind(target) : value;
  },
}) as D1Database;
const instrumented = { ...env, DB: countingDb };

const send = (method: string, path: string, init?: { headers?: Record<string, string>; body?: unknown }) =>
  fetchApp(app, instrumented, method, path, init);

/** D1 statements one request makes. */
async function count(method: string, path: string, init?: { headers?: Record<string, string>; body?: unknown }) {
  queries = [];
  const res = await send(method, path, init);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
  return { n: queries.length, res, sql: [...queries] };
}

const ADMIN = { "X-Open-Wearables-API-Key": "test-admin-key" };
const START = Date.UTC(2026, 9, 1);
let keyHeaders: Record<string, string>;
let userId: string;
let appCreds: { app_id: string; app_secret: string };
let refreshToken: string;
let accessToken: string;
let code: string;
const figures: Record<string, number> = {};

beforeAll(async () => {
  const created = (await send("POST", "/applications", { headers: ADMIN, body: { name: "hot path" } })).json;
  appCreds = { app_id: created.app_id, app_secret: created.app_secret };
  keyHeaders = { "X-Open-Wearables-API-Key": (await send("POST", "/developer/api-keys", { headers: ADMIN, body: { name: "k" } })).json.id };
  userId = (await send("POST", "/users", { headers: keyHeaders, body: {} })).json.id;
  const tokens = (await send("POST", `/users/${userId}/token`, { body: appCreds })).json;
  refreshToken = tokens.refresh_token;
  accessToken = tokens.access_token;
  code = (await send("POST", `/users/${userId}/invitation-code`, { headers: keyHeaders, body: { app_id: appCreds.app_id } })).json.code;
});

afterAll(() => {
  console.log(`D1 queries per request, steady state: ${JSON.stringify(figures)}`);
});

describe("D1 queries per request in steady state", () => {
  it("sync: none (the user's object knows the user, its organization and last sync)", async () => {
    const sdk = { Authorization: `Bearer ${accessToken}` };
    await count("POST", `/sdk/users/${userId}/sync`, { headers: sdk, body: iosBatch({ start: START, workouts: 1, sleepNights: 1 }) });
    const { n, sql } = await count("POST", `/sdk/users/${userId}/sync`, { headers: sdk, body: iosBatch({ start: START + 86_400_000, workouts: 1, sleepNights: 1 }) });
    figures.sync = n;
    expect(sql).toEqual([]);
  });

  it("sync with an API key: none once the key is warm", async () => {
    const { n, sql } = await count("POST", `/sdk/users/${userId}/sync`, { headers: keyHeaders, body: iosBatch({ start: START + 2 * 86_400_000, workouts: 0, sleepNights: 0 }) });
    figures.sync_api_key = n;
    expect(sql).toEqual([]);
  });

  it("logs: none", async () => {
    const body = { sdkVersion: "0.6.0", provider: "apple", events: [{ eventType: "device_state", timestamp: "2026-11-01T00:00:00Z" }] };
    const { n, sql } = await count("POST", `/sdk/users/${userId}/logs`, { headers: { Authorization: `Bearer ${accessToken}` }, body });
    figures.logs = n;
    expect(sql).toEqual([]);
  });

  it("refresh: none, not even the first in an isolate (the application check reads the KV revocation registry)", async () => {
    const first = await count("POST", "/token/refresh", { body: { refresh_token: refreshToken } });
    figures.refresh_first_in_isolate = first.n;
    expect(first.sql).toEqual([]);
    const { n, sql, res } = await count("POST", "/token/refresh", { body: { refresh_token: first.res.json.refresh_token } });
    figures.refresh = n;
    expect(sql).toEqual([]);
    refreshToken = res.json.refresh_token;
  });

  it("onboarding status poll: none once the code is in the isolate's cache", async () => {
    await count("GET", "/connect/status", { headers: { "X-Invitation-Code": code } });
    const { n, sql } = await count("GET", "/connect/status", { headers: { "X-Invitation-Code": code } });
    figures.connect_status = n;
    expect(sql).toEqual([]);
  });

  it("read API with a warm key: none", async () => {
    for (const path of ["/timeseries?start_time=2026-09-01&end_time=2026-11-01&types=heart_rate", "/events/workouts?start_date=2026-09-01&end_date=2026-11-01",
      "/summaries/activity?start_date=2026-09-01&end_date=2026-11-01", "/sync/runs"]) {
      const { n, sql } = await count("GET", `/users/${userId}${path}`, { headers: keyHeaders });
      figures[`read ${path.split("?")[0]}`] = n;
      expect(sql).toEqual([]);
    }
  });

  it("mint with warm app credentials: none; redeem: the code's single-use update only", async () => {
    const mint = await count("POST", `/users/${userId}/token`, { body: appCreds });
    figures.mint = mint.n;
    expect(mint.sql).toEqual([]);
    const redeem = await count("POST", "/invitation-code/redeem", { body: { code } });
    figures.redeem = redeem.n;
    expect(redeem.sql.every((q) => /invitation_codes/.test(q))).toBe(true);
    expect(redeem.n).toBe(1);
  });

  it("the status page still sees the redemption made after its code was cached (from the user's object)", async () => {
    const { res, sql } = await count("GET", "/connect/status", { headers: { "X-Invitation-Code": code } });
    expect(sql).toEqual([]);
    expect(res.json.code_state).toBe("used");
    expect(res.json.stage).toBe("receiving_data");
  });
});
