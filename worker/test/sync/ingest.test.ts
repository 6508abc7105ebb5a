import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { healthConnectBatch, iosBatch, samsungBatch, IOS_SOURCES } from "../ingest/fixtures";
import { ADMIN, api, call, createApiKey, createUser, signedInUser } from "../setup/harness";
import { gzip, rawUpload, upload } from "./sync-helpers";
import { waitFor } from "../webhooks/helpers";
import { MAX_JSON_CONTAINERS } from "../../src/ingest/limits";

const START = Date.UTC(2026, 10, 1, 6, 0, 0);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const read = (userId: string, path: string) => api.get(`/users/${userId}${path}`, { headers: ADMIN });

describe("sync ingest: each official SDK's batch is stored, normalized and readable", () => {
  it("iOS (HealthKit identifiers, Cal, % fractions, workouts with statistics, sleep stages)", async () => {
    const { user, tokens } = await signedInUser();
    const res = await upload(user.id, tokens, iosBatch({ start: START, records: 34, workouts: 1, sleepNights: 1 }));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      status_code: 202, user_id: user.id, dropped_count: 0, workouts_saved: 1, sleep_saved: 11,
      duplicates: { records: 0, workouts: 0, sleep: 0 }, rejected: [],
      unknown_types: { HKCategoryTypeIdentifierMindfulSession: 2, HKQuantityTypeIdentifierDietaryWater: 2 },
    });
    expect(res.json.records_saved).toBeGreaterThanOrEqual(30);

    const hr = await read(user.id, `/timeseries?start_time=${day(START)}&end_time=${day(START)}&types=heart_rate`);
    expect(hr.status).toBe(200);
    expect(hr.json.data[0]).toEqual({
      timestamp: new Date(START).toISOString().replace(".000Z", "Z"), zone_offset: null, type: "heart_rate", value: 60,
      unit: "bpm", is_daily_total: null,
      source: { provider: "apple", source: "Apple Watch", device: "Watch7,5", device_type: "watch", device_name: "Apple Watch Ultra 2" },
    });
    // HealthKit's 0–1 fraction labelled % becomes a percent; metres become centimetres for height.
    const fat = await read(user.id, `/timeseries?start_time=${day(START)}&end_time=${day(START)}&types=body_fat_percentage&types=height`);
    const byType = Object.fromEntries(fat.json.data.map((s: { type: string; value: number; unit: string }) => [s.type, s]));
    expect(byType.body_fat_percentage).toMatchObject({ value: 22, unit: "percent" });
    expect(byType.height).toMatchObject({ value: 178, unit: "cm" });

    const workouts = await read(user.id, `/events/workouts?start_date=${day(START)}&end_date=2026-11-03`);
    expect(workouts.json.data).toHaveLength(1);
    expect(workouts.json.data[0]).toMatchObject({
      type: "running", duration_seconds: 1683, calories_kcal: 180, distance_meters: 2165.35,
      avg_heart_rate_bpm: 121, max_heart_rate_bpm: 154, elevation_gain_meters: 15.57,
    });
    const sleep = await read(user.id, `/events/sleep?start_date=${day(START)}&end_date=2026-11-03`);
    expect(sleep.json.data).toHaveLength(1);
    // The night of IOS_NIGHT: 455 min asleep out of 480 in bed.
    expect(sleep.json.data[0]).toMatchObject({ sleep_duration_seconds: 455 * 60, time_in_bed_minutes: 480, is_nap: false });
    expect(sleep.json.data[0].stages).toMatchObject({ deep_minutes: 100, rem_minutes: 100 });
  });

  it("Health Connect (provider google, zoneOffset, mmol/L glucose)", async () => {
    const { user, tokens } = await signedInUser();
    const res = await upload(user.id, tokens, healthConnectBatch({ start: START, records: 40, workouts: 1, sleepNights: 1 }));
    expect(res.status).toBe(202);
    expect(res.json.dropped_count).toBe(0);
    expect(res.json.records_saved).toBeGreaterThan(0);
    expect(res.json.workouts_saved).toBe(1);
    const sources = await read(user.id, "/data-sources");
    expect(sources.json.items.every((s: { provider: string }) => s.provider === "google")).toBe(true);
    const glucose = await read(user.id, `/timeseries?start_time=${day(START)}&end_time=${day(START)}&types=blood_glucose`);
    for (const s of glucose.json.data) expect(s.unit).toBe("mg_dl");
    const any = await read(user.id, `/timeseries?start_time=${day(START)}&end_time=${day(START)}&limit=5`);
    expect(any.json.data.some((s: { zone_offset: string | null }) => s.zone_offset !== null)).toBe(true);
  });

  it("Samsung (provider samsung, derived children with parentId, UPPER_CASE workouts)", async () => {
    const { user, tokens } = await signedInUser();
    const res = await upload(user.id, tokens, samsungBatch({ start: START, records: 40, workouts: 1, sleepNights: 1 }));
    expect(res.status).toBe(202);
    expect(res.json.dropped_count).toBe(0);
    expect(res.json.workouts_saved).toBeGreaterThanOrEqual(1);
    const sources = await read(user.id, "/data-sources");
    expect(sources.json.items[0]).toMatchObject({ provider: "samsung", app_id: "com.sec.android.app.shealth" });
    const bp = await read(user.id, `/timeseries?start_time=${day(START)}&end_time=${day(START)}&types=blood_pressure_systolic&types=blood_pressure_diastolic`);
    expect(new Set(bp.json.data.map((s: { type: string }) => s.type)).size).toBe(2);
  });
});

describe("per-item validation", () => {
  it("stores the good items, reports each bad one, and keeps the 202", async () => {
    const { user, tokens } = await signedInUser();
    const batch = iosBatch({ start: START, records: 3 });
    const good = batch.data.records[0] as Record<string, unknown>;
    const bad = [
      { ...good, id: "END-BEFORE", startDate: "2026-11-01T07:00:00Z", endDate: "2026-11-01T06:00:00Z" },
      { ...good, id: "NAN", value: "abc" },
      { ...good, id: "IMPOSSIBLE", value: 900 },
      { ...good, id: "FUTURE", startDate: "2099-01-01T00:00:00Z", endDate: "2099-01-01T00:00:00Z" },
      { ...good, id: "ANCIENT", startDate: "1999-01-01T00:00:00Z", endDate: "1999-01-01T00:00:00Z" },
      { ...good, id: "ZONE", zoneOffset: "+25:99" },
      { ...good, id: "UNIT", unit: "kg" },
    ];
    batch.data.records.push(...(bad as never[]));
    const res = await upload(user.id, tokens, batch);
    expect(res.status).toBe(202);
    expect(res.json.records_saved).toBe(3);
    expect(res.json.dropped_count).toBe(7);
    expect(res.json.rejected.map((r: { id: string }) => r.id)).toEqual(["END-BEFORE", "NAN", "IMPOSSIBLE", "FUTURE", "ANCIENT", "ZONE", "UNIT"]);
    for (const r of res.json.rejected) {
      expect(r).toMatchObject({ collection: "records", reason: expect.any(String), message: expect.any(String) });
    }
    expect(new Set(res.json.rejected.map((r: { reason: string }) => r.reason)).size).toBe(7);
    const runs = await read(user.id, "/sync/runs");
    expect(runs.json.data[0]).toMatchObject({ status: "partial", run_id: res.json.batch_id });
    expect(runs.json.data[0].rejected_sample).toHaveLength(7);
  });

  it("answers envelope errors with 400 and records the failed run", async () => {
    const { user, tokens } = await signedInUser();
    const unsupported = await upload(user.id, tokens, { provider: "fitbit", sdkVersion: "1", syncTimestamp: "2026-11-01T00:00:00Z", data: { records: [], workouts: [], sleep: [] } });
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.detail).toMatch(/Unsupported provider/);
    expect((await upload(user.id, tokens, [1, 2])).status).toBe(400);
    const malformed = await rawUpload(user.id, tokens.access_token, "{nope", {});
    expect(malformed.status).toBe(400);
    expect(malformed.json.detail).toMatch(/JSON decode error/);
    const runs = await read(user.id, "/sync/runs");
    expect(runs.json.data.some((r: { status: string }) => r.status === "failed")).toBe(true);
  });
});

describe("idempotency", () => {
  it("a replayed batch stores nothing new and says so", async () => {
    const { user, tokens } = await signedInUser();
    const batch = iosBatch({ start: START, records: 60, workouts: 2, sleepNights: 1 });
    const first = await upload(user.id, tokens, batch);
    const replay = await upload(user.id, tokens, batch);
    expect(replay.status).toBe(202);
    expect(replay.json).toMatchObject({ records_saved: 0, workouts_saved: 0, sleep_saved: 0, sleep_sessions_updated: 0 });
    expect(replay.json.duplicates.records).toBe(first.json.records_saved);
    expect(replay.json.duplicates.workouts).toBe(2);
    expect(replay.json.duplicates.sleep).toBe(first.json.sleep_saved);
    expect(replay.json.repeat_of_earlier_batches).toBe(1);
    const stats = await env.USER_DATA.get(env.USER_DATA.idFromName(user.id)).stats();
    expect(stats.total_records).toBe(first.json.records_saved);
  });

  it("re-ordered, re-split and re-identified (new SDK ids) re-sends store nothing new", async () => {
    const { user, tokens } = await signedInUser();
    const batch = iosBatch({ start: START, records: 60, workouts: 2, sleepNights: 1 });
    const first = await upload(user.id, tokens, batch);
    const fresh = iosBatch({ start: START, records: 60, workouts: 2, sleepNights: 1, idSalt: "new-ids" });
    const reversed = {
      ...fresh, data: { records: [...fresh.data.records].reverse(), workouts: [...fresh.data.workouts].reverse(), sleep: [...fresh.data.sleep].reverse() },
    };
    const half = (from: number, to: number) => ({
      ...reversed, data: { records: reversed.data.records.slice(from, to), workouts: reversed.data.workouts.slice(from, to), sleep: reversed.data.sleep.slice(from, to) },
    });
    let saved = 0;
    for (const part of [half(0, 25), half(25, 1000)]) {
      const res = await upload(user.id, tokens, part);
      saved += res.json.records_saved + res.json.workouts_saved + res.json.sleep_saved;
    }
    expect(saved).toBe(0);
    const stats = await env.USER_DATA.get(env.USER_DATA.idFromName(user.id)).stats();
    expect(stats.total_records).toBe(first.json.records_saved);
    expect(stats.total_workouts).toBe(2);
    expect(stats.total_sleep_sessions).toBe(1);
  });

  it("the same sample written by two apps stays two samples with distinct sources", async () => {
    const { user, tokens } = await signedInUser();
    const batch = iosBatch({ start: START, records: 1 });
    const rec = batch.data.records[0] as Record<string, unknown>;
    batch.data.records.push({ ...rec, id: "OTHER-APP", source: { ...IOS_SOURCES.watch, appId: "com.strava", deviceName: "Strava" } } as never);
    const res = await upload(user.id, tokens, batch);
    expect(res.json.records_saved).toBe(2);
    const hr = await read(user.id, `/timeseries?start_time=${day(START)}&end_time=${day(START)}&types=heart_rate`);
    expect(hr.json.data).toHaveLength(2);
    expect(new Set(hr.json.data.map((s: { source: { source: string } }) => s.source.source))).toEqual(new Set(["Apple Watch", "Strava"]));
  });

  it("a changed value for the same sample is an update (last write wins), not a duplicate", async () => {
    const { user, tokens } = await signedInUser();
    const batch = iosBatch({ start: START, records: 1 });
    await upload(user.id, tokens, batch);
    (batch.data.records[0] as Record<string, unknown>).value = 99;
    const res = await upload(user.id, tokens, batch);
    expect(res.json).toMatchObject({ records_saved: 1, duplicates: { records: 0 } });
    const hr = await read(user.id, `/timeseries?start_time=${day(START)}&end_time=${day(START)}&types=heart_rate`);
    expect(hr.json.data.map((s: { value: number }) => s.value)).toEqual([99]);
  });

  it("makes a client that keeps re-sending the same batch visible in sync status", async () => {
    const { user, tokens } = await signedInUser();
    const batch = iosBatch({ start: START, records: 10 });
    for (let i = 0; i < 4; i++) await upload(user.id, tokens, batch);
    const runs = await read(user.id, "/sync/runs");
    expect(runs.json.data).toHaveLength(4);
    expect(runs.json.data[0]).toMatchObject({ repeat_count: 3, stuck_client_suspected: true });
    expect(runs.json.data[3]).toMatchObject({ repeat_count: 0, stuck_client_suspected: false });
    const recent = await read(user.id, "/sync/recent?limit=3");
    expect(recent.json).toHaveLength(3);
    expect(recent.json[0]).toMatchObject({ stage: "completed", status: "success", source: "sdk", run_id: runs.json.data[0].run_id });
  });
});

describe("auth, limits and encodings", () => {
  it("403 when an SDK token writes another user; an API key may write any user; 401 without credentials", async () => {
    const a = await signedInUser();
    const b = await signedInUser();
    const batch = iosBatch({ start: START, records: 2 });
    const cross = await upload(b.user.id, a.tokens, batch);
    expect(cross.status).toBe(403);
    expect(cross.json).toEqual({ detail: expect.stringMatching(/^Token does not match user_id/) });
    expect((await read(b.user.id, "/sync/runs")).json.data).toHaveLength(0);
    const key = await createApiKey();
    const withKey = await call("POST", `/api/v1/sdk/users/${b.user.id}/sync`, { headers: { "X-Open-Wearables-API-Key": key.id }, body: batch });
    expect(withKey.status).toBe(202);
    expect((await call("POST", `/api/v1/sdk/users/${b.user.id}/sync`, { body: batch })).status).toBe(401);
    expect((await call("POST", `/api/v1/sdk/users/${b.user.id}/sync`, { headers: { Authorization: "Bearer junk.junk.junk" }, body: batch })).status).toBe(401);
  });

  it("accepts the bare JWT the iOS SDK sends after a refresh, and an upper-case user id in the path", async () => {
    const { user, tokens } = await signedInUser();
    const res = await call("POST", `/api/v1/sdk/users/${user.id.toUpperCase()}/sync`, {
      headers: { Authorization: tokens.access_token }, body: iosBatch({ start: START, records: 2 }),
    });
    expect(res.status).toBe(202);
  });

  it("404 for a user that does not exist; deleting a user deletes its health data", async () => {
    const key = await createApiKey();
    const missing = await call("POST", `/api/v1/sdk/users/6c1f3f0e-0000-4000-8000-000000000000/sync`, {
      headers: { "X-Open-Wearables-API-Key": key.id }, body: iosBatch({ start: START, records: 2 }),
    });
    expect(missing.status).toBe(404);

    const { user, tokens } = await signedInUser();
    await upload(user.id, tokens, iosBatch({ start: START, records: 20, workouts: 1 }));
    const stub = env.USER_DATA.get(env.USER_DATA.idFromName(user.id));
    expect((await stub.stats()).total_records).toBeGreaterThan(0);
    expect((await api.delete(`/users/${user.id}`, { headers: ADMIN })).status).toBe(200);
    expect(await stub.stats()).toMatchObject({ total_records: 0, total_workouts: 0, total_sleep_sessions: 0 });
  });

  it("accepts gzip bodies and rejects broken gzip with 400", async () => {
    const { user, tokens } = await signedInUser();
    const text = JSON.stringify(iosBatch({ start: START, records: 20 }));
    const res = await rawUpload(user.id, tokens.access_token, await gzip(text), { "Content-Encoding": "gzip" });
    expect(res.status).toBe(202);
    expect(res.json.records_saved).toBeGreaterThan(0);
    const broken = await rawUpload(user.id, tokens.access_token, new Uint8Array([0x1f, 0x8b, 1, 2, 3]), { "Content-Encoding": "gzip" });
    expect(broken.status).toBe(400);
    expect((await rawUpload(user.id, tokens.access_token, "{}", { "Content-Encoding": "br" })).status).toBe(415);
  });

  it("answers a body over the 4 MB cap with 413 naming the cap, also when it only grows that big decompressed", async () => {
    const { user, tokens } = await signedInUser();
    const big = JSON.stringify({ ...iosBatch({ start: START, records: 1 }), padding: "x".repeat(5 * 1024 * 1024) });
    const plain = await rawUpload(user.id, tokens.access_token, big, {});
    expect(plain.status).toBe(413);
    expect(plain.json.detail).toMatch(/4 MB/);
    const bomb = await rawUpload(user.id, tokens.access_token, await gzip(big), { "Content-Encoding": "gzip" });
    expect(bomb.status).toBe(413);
    expect((await read(user.id, "/sync/runs")).json.data).toHaveLength(0);
  });

  it("answers a body with more JSON objects and arrays than the bound with 413 before parsing it (memory)", async () => {
    const { user, tokens } = await signedInUser();
    const body = iosBatch({ start: START, records: 1 });
    const tiny = JSON.stringify({ ...body, data: { ...body.data, records: Array.from({ length: MAX_JSON_CONTAINERS }, () => ({})) } });
    const res = await rawUpload(user.id, tokens.access_token, tiny, {});
    expect(res.status).toBe(413);
    expect(res.json.detail).toMatch(/at most 30000 JSON objects and arrays/);
    expect((await read(user.id, "/sync/runs")).json.data).toHaveLength(0);
    // Just under the bound is an ordinary upload.
    const ok = JSON.stringify({ ...body, data: { ...body.data, records: [...body.data.records, ...Array.from({ length: MAX_JSON_CONTAINERS - 20 }, () => 0)] } });
    expect((await rawUpload(user.id, tokens.access_token, ok, {})).status).toBe(202);
  });

  it("treats a trailing slash on the sync path like none", async () => {
    const { user, tokens } = await signedInUser();
    const res = await call("POST", `/api/v1/sdk/users/${user.id}/sync/`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` }, body: iosBatch({ start: START, records: 2 }),
    });
    expect(res.status).toBe(202);
  });
});

describe("logs", () => {
  it("stores valid diagnostics and rejects bad ones with 400", async () => {
    const { user, tokens } = await signedInUser();
    const post = (body: unknown, t = tokens) => call("POST", `/api/v1/sdk/users/${user.id}/logs`, { headers: { Authorization: `Bearer ${t.access_token}` }, body });
    const ok = await post({
      sdkVersion: "0.11.0", provider: "Google",
      events: [
        { eventType: "historical_data_sync_start", timestamp: "2026-11-01T00:00:00Z", dataTypeCounts: [{ type: "steps", count: 10 }] },
        { eventType: "device_state", timestamp: "2026-11-01T00:00:00Z", batteryLevel: 0.5 },
      ],
    });
    expect(ok.status).toBe(202);
    expect(ok.json).toMatchObject({ status_code: 202, response: "Log events stored successfully", user_id: user.id });
    for (const body of [
      { sdkVersion: "1", events: [] },
      { events: [{ eventType: "device_state", timestamp: "2026-11-01T00:00:00Z" }] },
      { sdkVersion: "1", events: [{ eventType: "nope", timestamp: "2026-11-01T00:00:00Z" }] },
      { sdkVersion: "1", events: Array(101).fill({ eventType: "device_state", timestamp: "2026-11-01T00:00:00Z" }) },
    ]) {
      expect((await post(body)).status).toBe(400);
    }
    const other = await signedInUser();
    expect((await post({ sdkVersion: "1", events: [{ eventType: "device_state", timestamp: "2026-11-01T00:00:00Z" }] }, other.tokens)).status).toBe(403);
    const count = await env.USER_DATA.get(env.USER_DATA.idFromName(user.id)).stats();
    expect(count.total_records).toBe(0);
  });
});

describe("users list reflects syncing", () => {
  it("sets last_synced_at and provider", async () => {
    const { user, tokens } = await signedInUser();
    await upload(user.id, tokens, samsungBatch({ start: START, records: 3 }));
    const got = await waitFor(() => api.get(`/users/${user.id}`, { headers: ADMIN }), (r) => r.json.last_synced_provider !== null, 5_000, "last_synced_at");
    expect(got.json).toMatchObject({ last_synced_provider: "samsung", has_active_connection: true });
    expect(await createUser()).toBeTruthy();
  });
});
