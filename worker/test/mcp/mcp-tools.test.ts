import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { iosBatch } from "../ingest/fixtures";
import { api } from "../setup/harness";
import { ORIGIN, authorizedClient, callTool, keyClient } from "./mcp-client";
import { START, tenant, type Tenant } from "./tenant";

/**
 * Every MCP tool on uploaded data, through an OAuth token from the real flow: the numbers equal the read API's for
 * the same query, errors are clear tool errors, results stay bounded, and one organization's connection never
 * reaches another's users. Revocation stops the client at once.
 */

const MISSING_USER = "6c1f3f0e-0000-4000-8000-000000000000";
const RESULT_CHARS = 64_000;


/** Heart rate once a minute from the watch. */
function heartRateBatch(start: number, n: number) {
  const source = { appId: "com.apple.health.W", deviceId: null, deviceName: "Apple Watch", deviceManufacturer: "Apple Inc.", deviceModel: "Watch7,5", deviceType: "watch", recordingMethod: null };
  const records = Array.from({ length: n }, (_, i) => {
    const t = new Date(start + i * 60_000).toISOString().replace(".000Z", "Z");
    return { id: `HR-${i}`, type: "HKQuantityTypeIdentifierHeartRate", startDate: t, endDate: t, zoneOffset: null, source, value: 55 + (i % 70), unit: "bpm", parentId: null, metadata: null };
  });
  return { provider: "apple", sdkVersion: "0.6.0", syncTimestamp: "2026-10-05T00:00:00Z", data: { records, workouts: [], sleep: [] } };
}

const tenantOf = (name: string, records: number, hrSamples: number) =>
  // The simulator's iOS batch (three nights, 18 workouts, every series), then a dense day and a half of heart rate.
  tenant(name, [iosBatch({ start: START, records, workouts: 18, sleepNights: 3 }), heartRateBatch(START + 3 * 3_600_000, hrSamples)]);

let a: Tenant;
let b: Tenant;
let client: Client;
const read = (t: Tenant, path: string) => api.get(`/users/${t.userId}${path}`, { headers: { "X-Open-Wearables-API-Key": t.key } });
const provider = (s: { provider: string } | null) => s?.provider ?? null;

beforeAll(async () => {
  a = await tenantOf("Acme", 1700, 2000);
  b = await tenantOf("Globex", 60, 10);
  client = (await authorizedClient(a.key, "Claude (tools)")).client;
}, 60_000);

describe("tools on uploaded data equal the read API", () => {
  it("get_users lists only the organization's users, with search", async () => {
    const all = await callTool(client, "get_users", {});
    expect(all.json.total).toBe(2);
    expect(all.json.users.map((u: { id: string }) => u.id).sort()).toEqual([a.userId, a.otherUserId].sort());
    const pat = await callTool(client, "get_users", { search: "Pat", limit: 5 });
    expect(pat.json).toEqual({ total: 1, users: [expect.objectContaining({ id: a.userId, first_name: "Pat", last_name: "Acme", email: "pat@acme.io" })] });
  });

  it("get_activity_summary: the read API's days, with totals", async () => {
    const q = { start_date: "2026-10-01", end_date: "2026-10-05" };
    const tool = await callTool(client, "get_activity_summary", { user_id: a.userId, ...q });
    const ref = await read(a, `/summaries/activity?start_date=${q.start_date}&end_date=${q.end_date}`);
    expect(tool.isError).toBe(false);
    expect(ref.json.data.length).toBeGreaterThan(1);
    expect(tool.json.records).toEqual(ref.json.data.map((r: { source: { provider: string } }) => ({ ...r, source: provider(r.source) })));
    const steps = ref.json.data.map((r: { steps: number }) => r.steps);
    expect(tool.json.summary.total_steps).toBe(steps.reduce((n: number, v: number) => n + v, 0));
    expect(tool.json.summary.total_active_calories_kcal).toBeGreaterThan(0);
    expect(tool.json.user).toEqual({ id: a.userId, first_name: "Pat", last_name: "Acme" });
  });

  it("get_sleep_summary: the read API's nights", async () => {
    const tool = await callTool(client, "get_sleep_summary", { user_id: a.userId, start_date: "2026-10-01", end_date: "2026-10-06" });
    const ref = await read(a, `/summaries/sleep?start_date=2026-10-01&end_date=2026-10-06`);
    expect(ref.json.data.length).toBe(3);
    expect(tool.json.records.map((r: { date: string; duration_minutes: number; efficiency_percent: number }) => [r.date, r.duration_minutes, r.efficiency_percent]))
      .toEqual(ref.json.data.map((r: { date: string; duration_minutes: number; efficiency_percent: number }) => [r.date, r.duration_minutes, r.efficiency_percent]));
    expect(tool.json.summary).toMatchObject({ total_nights: 3, avg_duration_minutes: 455, min_duration_minutes: 455 });
  });

  it("get_workout_events: the read API's workouts, filtered by type; an unknown type is a clear error", async () => {
    const q = "start_date=2026-10-01&end_date=2026-10-05";
    const all = await callTool(client, "get_workout_events", { user_id: a.userId, start_date: "2026-10-01", end_date: "2026-10-05" });
    const ref = await read(a, `/events/workouts?${q}&limit=100`);
    expect(all.json.records.length).toBe(18);
    expect(all.json.records.map((w: { id: string; duration_seconds: number; calories_kcal: number }) => [w.id, w.duration_seconds, w.calories_kcal]))
      .toEqual(ref.json.data.map((w: { id: string; duration_seconds: number; calories_kcal: number }) => [w.id, w.duration_seconds, w.calories_kcal]));
    const runs = await callTool(client, "get_workout_events", { user_id: a.userId, start_date: "2026-10-01", end_date: "2026-10-05", workout_type: "running" });
    const refRuns = await read(a, `/events/workouts?${q}&record_type=running`);
    expect(runs.json.records.length).toBe(4);
    expect(runs.json.records.map((w: { id: string }) => w.id)).toEqual(refRuns.json.data.map((w: { id: string }) => w.id));
    expect(runs.json.summary.workout_types).toEqual({ running: 4 });
    const bad = await callTool(client, "get_workout_events", { user_id: a.userId, start_date: "2026-10-01", end_date: "2026-10-05", workout_type: "quidditch" });
    expect(bad.isError).toBe(true);
    expect(bad.json.error).toMatch(/^Unknown workout_type 'quidditch'. Known types include: .*running/);
  });

  it("get_timeseries: raw equals the read API; a long window is downsampled to stay small, with the read API's buckets", async () => {
    const window = { start_time: "2026-10-01T06:00:00Z", end_time: "2026-10-01T07:00:00Z" };
    const raw = await callTool(client, "get_timeseries", { user_id: a.userId, ...window, types: ["heart_rate"] });
    const refRaw = await read(a, `/timeseries?start_time=${window.start_time}&end_time=${window.end_time}&types=heart_rate&limit=1000`);
    expect(raw.json.period.resolution).toBe("raw");
    expect(raw.json.records.length).toBeGreaterThan(0);
    expect(raw.json.records.map((s: { timestamp: string; value: number }) => [s.timestamp, s.value]))
      .toEqual(refRaw.json.data.map((s: { timestamp: string; value: number }) => [s.timestamp, s.value]));
    // Three days of heart rate (thousands of samples) → the first resolution with ≤ 500 points.
    const long = await callTool(client, "get_timeseries", { user_id: a.userId, start_time: "2026-10-01", end_time: "2026-10-04", types: ["heart_rate"] });
    expect(long.json.period.requested_resolution).toBe("raw");
    expect(long.json.period.resolution).not.toBe("raw");
    expect(long.json.note).toContain("Downsampled");
    expect(long.json.records.length).toBeLessThanOrEqual(500);
    expect(long.json.truncated).toBe(false);
    const used = long.json.period.resolution;
    const refLong = await read(a, `/timeseries?start_time=2026-10-01&end_time=2026-10-04&types=heart_rate&resolution=${used}&limit=1000`);
    expect(refLong.json.pagination.total_count).toBe(long.json.records.length);
    expect(long.json.records.map((s: { timestamp: string; value: number; sample_count: number }) => [s.timestamp, s.value, s.sample_count]))
      .toEqual(refLong.json.data.map((s: { timestamp: string; value: number; sample_count: number }) => [s.timestamp, s.value, s.sample_count]));
    const finer = await read(a, `/timeseries?start_time=2026-10-01&end_time=2026-10-04&types=heart_rate&resolution=raw&limit=1`);
    expect(finer.json.pagination.total_count).toBeGreaterThan(500);
  });

  it("get_body_summary and get_sync_status: the read API's body summary, sources and runs", async () => {
    const body = await callTool(client, "get_body_summary", { user_id: a.userId });
    const refBody = await read(a, `/summaries/body`);
    // The averaging period ends "now", a few milliseconds apart between the two calls.
    const withoutNow = (x: { averaged: Record<string, unknown> }) => ({ ...x, averaged: { ...x.averaged, period_start: "", period_end: "" } });
    expect(refBody.json.slow_changing.weight_kg).toBeGreaterThan(0);
    expect(withoutNow(body.json.body)).toEqual(withoutNow(refBody.json));
    const sync = await callTool(client, "get_sync_status", { user_id: a.userId, limit: 2 });
    const runs = await read(a, `/sync/runs?limit=2&envelope=false`);
    const sources = await read(a, `/data-sources`);
    expect(sync.json.records).toEqual(runs.json);
    expect(sync.json.records.length).toBe(2);
    expect(sync.json.data_sources).toEqual(sources.json.items);
    expect(sync.json.last_sync_at).toBe(runs.json[0].ended_at);
  });

  it("every result is bounded in size", async () => {
    const results = await Promise.all([
      callTool(client, "get_users", { limit: 1000 }),
      callTool(client, "get_activity_summary", { user_id: a.userId, start_date: "2026-08-01", end_date: "2026-10-31" }),
      callTool(client, "get_sleep_summary", { user_id: a.userId, start_date: "2026-08-01", end_date: "2026-10-31" }),
      callTool(client, "get_workout_events", { user_id: a.userId, start_date: "2026-08-01", end_date: "2026-10-31" }),
      callTool(client, "get_timeseries", { user_id: a.userId, start_time: "2026-10-01", end_time: "2026-10-31", types: ["heart_rate", "steps", "energy", "distance_walking_running", "oxygen_saturation"], resolution: "raw" }),
      callTool(client, "get_sync_status", { user_id: a.userId, limit: 1000 }),
    ]);
    for (const r of results) {
      expect(r.isError).toBe(false);
      expect(r.size).toBeLessThanOrEqual(RESULT_CHARS);
    }
    expect(results[4]!.json.records.length).toBeLessThanOrEqual(500);
  });
});

describe("clear errors", () => {
  it("a wrong user, a malformed id, a reversed, overlong or unparsable range, an unknown series or resolution", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["get_activity_summary", { user_id: MISSING_USER, start_date: "2026-10-01", end_date: "2026-10-02" }, /^User not found: 6c1f3f0e/],
      ["get_sleep_summary", { user_id: "pat", start_date: "2026-10-01", end_date: "2026-10-02" }, /^user_id must be a user's UUID/],
      ["get_activity_summary", { user_id: a.userId, start_date: "2026-10-05", end_date: "2026-10-01" }, /^end_date \(2026-10-01\) is before start_date/],
      ["get_workout_events", { user_id: a.userId, start_date: "2025-01-01", end_date: "2026-10-01" }, /longer than 92 days/],
      ["get_timeseries", { user_id: a.userId, start_time: "2026-09-01", end_time: "2026-10-05", types: ["heart_rate"] }, /longer than 31 days/],
      ["get_timeseries", { user_id: a.userId, start_time: "yesterday", end_time: "2026-10-05", types: ["heart_rate"] }, /^Invalid start_time 'yesterday'/],
      ["get_timeseries", { user_id: a.userId, start_time: "2026-10-01", end_time: "2026-10-02", types: ["mood"] }, /^Invalid series type: 'mood'. Known types: .*heart_rate/],
      ["get_timeseries", { user_id: a.userId, start_time: "2026-10-01", end_time: "2026-10-02", types: ["heart_rate"], resolution: "2min" }, /^Invalid resolution '2min'/],
      ["get_body_summary", { user_id: a.userId, average_period: 30 }, /^average_period must be/],
    ];
    for (const [tool, args, message] of cases) {
      const res = await callTool(client, tool, args);
      expect(res.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(res.json.error).toMatch(message);
    }
  });
});

describe("nothing leaves the organization", () => {
  const sameAsMissing = async (c: Client, tool: string, userId: string, extra: Record<string, unknown> = {}) => {
    const foreign = await callTool(c, tool, { user_id: userId, ...extra });
    const missing = await callTool(c, tool, { user_id: MISSING_USER, ...extra });
    expect(foreign.isError).toBe(true);
    expect(JSON.stringify(foreign.json).replaceAll(userId, "ID")).toBe(JSON.stringify(missing.json).replaceAll(MISSING_USER, "ID"));
  };

  it("A's OAuth connection cannot read B's user through any tool; B's users are not listed", async () => {
    const range = { start_date: "2026-10-01", end_date: "2026-10-04" };
    await sameAsMissing(client, "get_activity_summary", b.userId, range);
    await sameAsMissing(client, "get_sleep_summary", b.userId, range);
    await sameAsMissing(client, "get_workout_events", b.userId, range);
    await sameAsMissing(client, "get_timeseries", b.userId, { start_time: "2026-10-01", end_time: "2026-10-02", types: ["heart_rate"] });
    await sameAsMissing(client, "get_body_summary", b.userId);
    await sameAsMissing(client, "get_sync_status", b.userId);
    const search = await callTool(client, "get_users", { search: "Globex" });
    expect(search.json).toEqual({ users: [], total: 0 });
  });

  it("B's API key as a bearer token sees only B", async () => {
    const bClient = await keyClient(b.key);
    const users = await callTool(bClient, "get_users", {});
    expect(users.json.users.map((u: { id: string }) => u.id).sort()).toEqual([b.userId, b.otherUserId].sort());
    await sameAsMissing(bClient, "get_activity_summary", a.userId, { start_date: "2026-10-01", end_date: "2026-10-04" });
  });

  it("grants are listed and revoked per organization: B cannot see or revoke A's; revoking stops A's client at once", async () => {
    const { client: doomed, provider } = await authorizedClient(a.key, "Doomed client");
    const listA = await api.get("/mcp/grants", { headers: { "X-Open-Wearables-API-Key": a.key } });
    expect(listA.status).toBe(200);
    const grant = listA.json.items.find((g: { client_name: string }) => g.client_name === "Doomed client");
    expect(grant).toMatchObject({ client_id: provider.client!.client_id, scope: ["health:read"], granted_by: expect.stringMatching(/^key_/) });
    const listB = await api.get("/mcp/grants", { headers: { "X-Open-Wearables-API-Key": b.key } });
    expect(listB.json.items.map((g: { id: string }) => g.id)).not.toContain(grant.id);
    const crossRevoke = await api.delete(`/mcp/grants/${grant.id}`, { headers: { "X-Open-Wearables-API-Key": b.key } });
    expect(crossRevoke.status).toBe(404);
    expect(crossRevoke.json).toEqual({ detail: "Grant not found" });
    expect((await callTool(doomed, "get_users", {})).json.total).toBe(2);

    const revoked = await api.delete(`/mcp/grants/${grant.id}`, { headers: { "X-Open-Wearables-API-Key": a.key } });
    expect(revoked.status).toBe(204);
    const after = await SELF.fetch(`${ORIGIN}/mcp`, {
      method: "POST",
      headers: { Authorization: `Bearer ${provider.saved!.access_token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(after.status).toBe(401);
    const refreshed = await SELF.fetch(`${ORIGIN}/oauth/token`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: provider.saved!.refresh_token!, client_id: provider.client!.client_id }),
    });
    expect(refreshed.status).toBe(400);
    expect(((await api.get("/mcp/grants", { headers: { "X-Open-Wearables-API-Key": a.key } })).json.items as { id: string }[]).map((g) => g.id)).not.toContain(grant.id);
    // The other client of A is untouched.
    expect((await callTool(client, "get_users", {})).json.total).toBe(2);
    expect((await api.get("/mcp/grants", {})).status).toBe(401);
  });
});
