import { beforeAll, describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { ADMIN, api, createApiKey, createUser, signedInUser } from "../setup/harness";
import { upload } from "../sync/sync-helpers";

const START = Date.UTC(2026, 10, 1, 0, 0, 0);
const MIN = 60_000;
let userId: string;
let tokens: { access_token: string };
let key: string;

/** Heart rate every 10 s for an hour from one watch, plus steps on the phone and the watch. */
function denseBatch() {
  const watch = { appId: "com.apple.health.W", deviceId: null, deviceName: "Apple Watch", deviceManufacturer: "Apple Inc.", deviceModel: "Watch7,5", deviceType: "watch", recordingMethod: null };
  const phone = { ...watch, appId: "com.apple.health.P", deviceName: "iPhone", deviceModel: "iPhone15,2", deviceType: "phone" };
  const rec = (i: number, type: string, t: number, value: number, unit: string, source: object, span = 0) => ({
    id: `R-${type}-${i}`, type, startDate: new Date(t).toISOString().replace(".000Z", "Z"),
    endDate: new Date(t + span).toISOString().replace(".000Z", "Z"), zoneOffset: null, source, value, unit, parentId: null, metadata: null,
  });
  const records = [];
  for (let i = 0; i < 360; i++) records.push(rec(i, "HKQuantityTypeIdentifierHeartRate", START + 8 * 3600_000 + i * 10_000, 60 + (i % 60), "bpm", watch));
  for (let i = 0; i < 60; i++) records.push(rec(i, "HKQuantityTypeIdentifierStepCount", START + 8 * 3600_000 + i * MIN, i < 10 ? 50 : 5, "count", phone, MIN));
  for (let i = 0; i < 30; i++) records.push(rec(1000 + i, "HKQuantityTypeIdentifierStepCount", START + 8 * 3600_000 + i * MIN, 40, "count", watch, MIN));
  records.push(rec(1, "HKQuantityTypeIdentifierBodyMass", START + 7 * 3600_000, 72.5, "kg", phone));
  records.push(rec(1, "HKQuantityTypeIdentifierHeight", START + 7 * 3600_000, 1.75, "m", phone));
  return { provider: "apple", sdkVersion: "0.6.0", syncTimestamp: "2026-11-02T00:00:00Z", data: { records, workouts: [], sleep: [] } };
}

beforeAll(async () => {
  const s = await signedInUser();
  userId = s.user.id;
  tokens = s.tokens;
  key = (await createApiKey()).id;
  expect((await upload(userId, tokens, denseBatch())).status).toBe(202);
  expect((await upload(userId, tokens, iosBatch({ start: START + 2 * 86_400_000, workouts: 5, sleepNights: 2 }))).status).toBe(202);
});

const get = (path: string) => api.get(`/users/${userId}${path}`, { headers: { "X-Open-Wearables-API-Key": key } });

describe("timeseries", () => {
  it("pages raw samples in time order with a cursor and a total", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/timeseries?start_time=2026-11-01&end_time=2026-11-01&types=heart_rate&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.json.pagination.total_count).toBe(360);
      seen.push(...res.json.data.map((s: { timestamp: string }) => s.timestamp));
      cursor = res.json.pagination.next_cursor;
      expect(res.json.pagination.has_more).toBe(cursor !== null);
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(360);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(360);
  });

  it("downsamples for real: mean for heart rate, sum for steps, with counts and extremes", async () => {
    const hr = await get(`/timeseries?start_time=2026-11-01T08:00:00Z&end_time=2026-11-01T09:00:00Z&types=heart_rate&resolution=1min&limit=100`);
    expect(hr.json.metadata.resolution).toBe("1min");
    expect(hr.json.data).toHaveLength(60);
    expect(hr.json.data[0]).toMatchObject({ timestamp: "2026-11-01T08:00:00Z", type: "heart_rate", value: 62.5, sample_count: 6, min: 60, max: 65, unit: "bpm" });
    const hourly = await get(`/timeseries?start_time=2026-11-01T08:00:00Z&end_time=2026-11-01T09:00:00Z&types=steps&resolution=1hour`);
    const bySource = Object.fromEntries(hourly.json.data.map((s: { source: { device_type: string }; value: number }) => [s.source.device_type, s.value]));
    expect(bySource).toEqual({ phone: 10 * 50 + 50 * 5, watch: 30 * 40 });
  });

  it("rejects unknown types, bad times, nan, bad cursors and limits with 400; needs an API key", async () => {
    for (const q of [
      "start_time=2026-11-01&end_time=2026-11-02&types=mood", "start_time=yesterday&end_time=2026-11-02",
      "start_time=nan&end_time=2026-11-02", "start_time=2026-11-01&end_time=2026-11-02&cursor=%%%",
      "start_time=2026-11-01&end_time=2026-11-02&limit=0", "end_time=2026-11-02",
      "start_time=2026-11-01&end_time=2026-11-02&resolution=2min",
    ]) {
      const res = await get(`/timeseries?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.detail).toBeTypeOf("string");
    }
    expect((await api.get(`/users/${userId}/timeseries?start_time=2026-11-01&end_time=2026-11-02`)).status).toBe(401);
    const unix = await get(`/timeseries?start_time=${START / 1000}&end_time=${START / 1000 + 86_400}&types=heart_rate&limit=1`);
    expect(unix.json.pagination.total_count).toBe(360);
  });

  it("returns empty data for a user that does not exist", async () => {
    const res = await api.get(`/users/6c1f3f0e-0000-4000-8000-000000000000/timeseries?start_time=2026-11-01&end_time=2026-11-02`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual([]);
  });
});

describe("events", () => {
  it("lists workouts newest first with cursor pagination and a type filter, and deletes one", async () => {
    const first = await get(`/events/workouts?start_date=2026-11-01&end_date=2026-11-10&limit=2`);
    expect(first.json.pagination).toMatchObject({ total_count: 5, has_more: true });
    const second = await get(`/events/workouts?start_date=2026-11-01&end_date=2026-11-10&limit=10&cursor=${first.json.pagination.next_cursor}`);
    const all = [...first.json.data, ...second.json.data];
    expect(all).toHaveLength(5);
    const starts = all.map((w: { start_time: string }) => w.start_time);
    expect([...starts].sort().reverse()).toEqual(starts);
    const running = await get(`/events/workouts?start_date=2026-11-01&end_date=2026-11-10&record_type=RUN`);
    expect(running.json.data.every((w: { type: string }) => w.type.includes("run"))).toBe(true);

    const target = all[0].id;
    const del = await api.delete(`/users/${userId}/events/workouts/${target}`, { headers: { "X-Open-Wearables-API-Key": key } });
    expect(del.status).toBe(204);
    const again = await api.delete(`/users/${userId}/events/workouts/${target}`, { headers: { "X-Open-Wearables-API-Key": key } });
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ detail: "Workout not found" });
    expect((await get(`/events/workouts?start_date=2026-11-01&end_date=2026-11-10`)).json.data).toHaveLength(4);
    // A sleep id is not a workout.
    const sleepId = (await get(`/events/sleep?start_date=2026-11-01&end_date=2026-11-10`)).json.data[0].id;
    expect((await api.delete(`/users/${userId}/events/workouts/${sleepId}`, { headers: ADMIN })).status).toBe(404);
  });

  it("lists sleep sessions and deletes one for good (a replay does not resurrect it)", async () => {
    const list = await get(`/events/sleep?start_date=2026-11-01&end_date=2026-11-10`);
    expect(list.json.data).toHaveLength(2);
    expect(list.json.data[0]).toMatchObject({ is_nap: false, efficiency_percent: expect.any(Number) });
    expect(list.json.data[0].sleep_stage_intervals.length).toBeGreaterThan(3);
    const id = list.json.data[0].id;
    expect((await api.delete(`/users/${userId}/events/sleep/${id}`, { headers: ADMIN })).status).toBe(204);
    expect((await api.delete(`/users/${userId}/events/sleep/${id}`, { headers: ADMIN })).json).toEqual({ detail: "Sleep session not found" });
    expect((await get(`/events/sleep?start_date=2026-11-01&end_date=2026-11-10`)).json.data).toHaveLength(1);
    expect((await api.delete(`/users/${userId}/events/sleep/not-a-uuid`, { headers: ADMIN })).status).toBe(400);
  });
});

describe("summaries", () => {
  it("activity: one row per local day from the preferred source (the watch over the phone)", async () => {
    const res = await get(`/summaries/activity?start_date=2026-11-01&end_date=2026-11-02`);
    expect(res.status).toBe(200);
    expect(res.json.data).toHaveLength(1);
    const dayRow = res.json.data[0];
    expect(dayRow).toMatchObject({ date: "2026-11-01", steps: 1200, active_minutes: 30, sedentary_minutes: 0 });
    expect(dayRow.source.device_type).toBe("watch");
    expect(dayRow.heart_rate).toMatchObject({ min_bpm: 60, max_bpm: 119 });
  });

  it("sleep: by wake-up date with stage totals", async () => {
    const res = await get(`/summaries/sleep?start_date=2026-11-01&end_date=2026-11-10`);
    expect(res.status).toBe(200);
    expect(res.json.data.length).toBeGreaterThanOrEqual(1);
    expect(res.json.data[0]).toMatchObject({ nap_count: 0, duration_minutes: 455, time_in_bed_minutes: 480 });
  });

  it("body: latest weight and height with a computed BMI; null for a user without data", async () => {
    const res = await get(`/summaries/body`);
    expect(res.status).toBe(200);
    expect(res.json.slow_changing).toMatchObject({ weight_kg: 72.5, height_cm: 175, bmi: 23.7 });
    const empty = await createUser();
    const none = await api.get(`/users/${empty.id}/summaries/body`, { headers: ADMIN });
    expect(none.status).toBe(200);
    expect(none.json).toBeNull();
    expect((await get(`/summaries/body?average_period=9`)).status).toBe(400);
  });
});

describe("data sources and sync status", () => {
  it("lists the apps and devices data came from", async () => {
    const res = await get(`/data-sources`);
    expect(res.json.total).toBe(res.json.items.length);
    expect(res.json.items.map((s: { device_type: string }) => s.device_type).sort()).toEqual(["phone", "watch", "watch"]);
  });

  it("404 for sync status of an unknown user", async () => {
    expect((await api.get(`/users/6c1f3f0e-0000-4000-8000-000000000000/sync/runs`, { headers: ADMIN })).status).toBe(404);
    expect((await get(`/sync/runs?limit=500`)).status).toBe(400);
  });
});
