import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { IOS_SOURCES, healthConnectBatch, iosBatch, isoSec, type Item } from "../ingest/fixtures";
import { ADMIN, api, call, createUser, refresh, signedInUser, type CallOptions } from "../setup/harness";
import { upload } from "../sync/sync-helpers";

/** The read contract: paging both ways, one range rule, list envelopes, connections, priorities, the live stream. */

const START = Date.UTC(2026, 10, 1, 0, 0, 0);
const DAY = 86_400_000;
let userId: string;
let tokens: { access_token: string; refresh_token: string };
const get = (path: string) => api.get(`/users/${userId}${path}`, { headers: ADMIN });
const put = (path: string, opts: CallOptions) => call("PUT", `/api/v1${path}`, opts);

/** Heart rate every 5 minutes for a day from the watch. */
function everyFiveMinutes() {
  const records: Item[] = [];
  for (let i = 0; i < 288; i++) {
    records.push({
      id: `hr-${i}`, type: "HKQuantityTypeIdentifierHeartRate", startDate: isoSec(START + i * 300_000), endDate: isoSec(START + i * 300_000),
      zoneOffset: null, source: IOS_SOURCES.watch, value: 60 + (i % 40), unit: "count/min", parentId: null, metadata: null,
    });
  }
  return { provider: "apple", sdkVersion: "0.6.0", syncTimestamp: "2026-11-02T00:00:00Z", data: { records, workouts: [], sleep: [] } };
}

beforeAll(async () => {
  const s = await signedInUser();
  userId = s.user.id;
  tokens = s.tokens;
  expect((await upload(userId, tokens, everyFiveMinutes())).status).toBe(202);
  // Five workouts and four nights over the following days.
  expect((await upload(userId, tokens, iosBatch({ start: START + 2 * DAY, workouts: 5, sleepNights: 4 }))).status).toBe(202);
});

/** Follows next cursors to the end, then previous cursors back; returns both orders. */
async function walk(path: string, key: (row: any) => string) {
  const forward: string[][] = [];
  let res = await get(path);
  expect(res.status).toBe(200);
  expect(res.json.pagination.previous_cursor).toBeNull();
  forward.push(res.json.data.map(key));
  while (res.json.pagination.next_cursor) {
    expect(res.json.pagination.has_more).toBe(true);
    res = await get(`${path}&cursor=${res.json.pagination.next_cursor}`);
    expect(res.status).toBe(200);
    forward.push(res.json.data.map(key));
  }
  expect(res.json.pagination.has_more).toBe(false);
  const backward: string[][] = [res.json.data.map(key)];
  while (res.json.pagination.previous_cursor) {
    res = await get(`${path}&cursor=${res.json.pagination.previous_cursor}`);
    expect(res.status).toBe(200);
    backward.unshift(res.json.data.map(key));
  }
  return { forward, backward };
}

describe("pagination both ways", () => {
  it("timeseries: forward to the end and back again gives the same pages", async () => {
    const { forward, backward } = await walk(`/timeseries?start_time=2026-11-01&end_time=2026-11-01&types=heart_rate&limit=50`, (s) => s.timestamp);
    expect(forward).toHaveLength(6); // 288 samples / 50
    expect(backward).toEqual(forward);
    expect(forward.flat()).toHaveLength(288);
  });

  it("events: newest first, both ways", async () => {
    const { forward, backward } = await walk(`/events/workouts?start_date=2026-11-01&end_date=2026-11-30&limit=2`, (w) => w.id);
    expect(forward.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(backward).toEqual(forward);
  });

  it("daily summaries, ascending and descending, both ways", async () => {
    for (const order of ["asc", "desc"]) {
      const { forward, backward } = await walk(`/summaries/sleep?start_date=2026-11-01&end_date=2026-11-30&limit=1&sort_order=${order}`, (d) => d.date);
      expect(forward.flat()).toHaveLength(4);
      expect(backward).toEqual(forward);
      const dates = forward.flat();
      expect(dates).toEqual(order === "asc" ? [...dates].sort() : [...dates].sort().reverse());
    }
  });

  it("sync runs: the list envelope, both ways, and the reference's bare array on request", async () => {
    const { forward, backward } = await walk(`/sync/runs?limit=1`, (r) => r.run_id);
    expect(forward).toHaveLength(2);
    expect(backward).toEqual(forward);
    const bare = await get(`/sync/runs?envelope=false`);
    expect(Array.isArray(bare.json)).toBe(true);
    expect(bare.json.map((r: { run_id: string }) => r.run_id)).toEqual(forward.flat());
  });
});

describe("one rule for range ends", () => {
  it("a midnight end includes that day on timeseries, events and summaries; any other end is exclusive", async () => {
    expect((await get(`/timeseries?start_time=2026-11-01&end_time=2026-11-01&types=heart_rate&limit=1`)).json.pagination.total_count).toBe(288);
    expect((await get(`/timeseries?start_time=2026-11-01&end_time=2026-11-01T01:00:00Z&types=heart_rate&limit=1`)).json.pagination.total_count).toBe(12);
    const day3 = (await get(`/events/workouts?start_date=2026-11-03&end_date=2026-11-03`)).json;
    expect(day3.data.length).toBeGreaterThan(0);
    expect(day3.metadata.end_time).toBe("2026-11-04T00:00:00Z");
    const one = await get(`/summaries/activity?start_date=2026-11-01&end_date=2026-11-01`);
    expect(one.json.data.map((d: { date: string }) => d.date)).toEqual(["2026-11-01"]);
  });

  it("resolution=1min on 5-minute data is no larger than raw (a one-sample bucket is that sample)", async () => {
    const raw = await get(`/timeseries?start_time=2026-11-01&end_time=2026-11-01&types=heart_rate&limit=288`);
    const min = await get(`/timeseries?start_time=2026-11-01&end_time=2026-11-01&types=heart_rate&limit=288&resolution=1min`);
    expect(min.json.data).toHaveLength(288);
    expect(JSON.stringify(min.json.data).length).toBeLessThanOrEqual(JSON.stringify(raw.json.data).length);
    const hour = await get(`/timeseries?start_time=2026-11-01&end_time=2026-11-01&types=heart_rate&resolution=1hour&limit=1`);
    expect(hour.json.data[0]).toMatchObject({ sample_count: 12, min: 60, max: 71 });
  });
});

describe("connections (derived from real syncs)", () => {
  it("lists, revokes, reactivates on the next batch, and deletes a provider's data", async () => {
    const { user, tokens: t } = await signedInUser();
    const read = (path: string) => api.get(`/users/${user.id}${path}`, { headers: ADMIN });
    expect((await read(`/connections`)).json).toEqual([]);
    expect((await api.delete(`/users/${user.id}/connections/apple`, { headers: ADMIN })).status).toBe(404);
    await upload(user.id, t, iosBatch({ start: START, records: 10 }));
    await upload(user.id, t, healthConnectBatch({ start: START, records: 10 }));
    const list = await read(`/connections`);
    expect(list.status).toBe(200);
    expect(list.json.map((c: { provider: string; status: string }) => [c.provider, c.status]).sort()).toEqual([["apple", "active"], ["google", "active"]]);
    const apple = list.json.find((c: { provider: string }) => c.provider === "apple");
    expect(apple).toMatchObject({ user_id: user.id, last_synced_at: expect.any(String), rest_pull: false, linked_user_ids: [] });
    const sources = await read(`/data-sources`);
    for (const s of sources.json.items) {
      expect(s.user_connection_id).toBe(list.json.find((c: { provider: string }) => c.provider === s.provider).id);
    }

    expect((await api.delete(`/users/${user.id}/connections/apple`, { headers: ADMIN })).status).toBe(204);
    expect((await api.delete(`/users/${user.id}/connections/apple`, { headers: ADMIN })).status).toBe(204); // idempotent
    const revoked = (await read(`/connections`)).json.find((c: { provider: string }) => c.provider === "apple");
    expect(revoked).toMatchObject({ id: apple.id, status: "revoked" });
    // Disconnect keeps the data.
    expect((await read(`/timeseries?start_time=2026-11-01&end_time=2026-11-01&limit=1`)).json.pagination.total_count).toBeGreaterThan(0);
    // The phone syncs again: active again, same id.
    await new Promise((r) => setTimeout(r, 5));
    await upload(user.id, t, iosBatch({ start: START + DAY, records: 5 }));
    expect((await read(`/connections`)).json.find((c: { provider: string }) => c.provider === "apple")).toMatchObject({ id: apple.id, status: "active" });

    const googleBefore = (await read(`/summaries/data`)).json.by_provider.find((p: { provider: string }) => p.provider === "google");
    expect(googleBefore.data_points).toBeGreaterThan(0);
    expect((await api.delete(`/users/${user.id}/connections/apple/data`, { headers: ADMIN })).status).toBe(204);
    const summary = (await read(`/summaries/data`)).json;
    expect(summary.by_provider.map((p: { provider: string }) => p.provider)).toEqual(["google"]);
    expect(summary.by_provider[0].data_points).toBe(googleBefore.data_points);
    expect((await read(`/data-sources`)).json.items.every((s: { provider: string }) => s.provider === "google")).toBe(true);
    expect((await read(`/connections`)).json.find((c: { provider: string }) => c.provider === "apple").status).toBe("revoked");

    expect((await api.delete(`/users/${user.id}/connections/fitbitx`, { headers: ADMIN })).status).toBe(400);
    expect((await api.delete(`/users/${user.id}/connections/garmin`, { headers: ADMIN })).status).toBe(404);
    expect((await api.get(`/users/6c1f3f0e-0000-4000-8000-000000000000/connections`, { headers: ADMIN })).json).toEqual([]);
  });
});

describe("empty-by-design endpoints in the reference's shape", () => {
  it("recovery, menstrual cycles and scores no data supports answer empty pages; a menstrual delete is 404", async () => {
    expect((await get(`/health-scores`)).json.pagination.total_count).toBe(4); // one sleep score per night
    for (const path of [`/health-scores?category=stress`, `/health-scores?category=sleep&limit=1000&offset=5`, `/summaries/recovery?start_date=2026-11-01&end_date=2026-11-30`, `/events/menstrual-cycles?start_date=2026-11-01&end_date=2026-11-30`]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.json).toMatchObject({ data: [], pagination: { has_more: false, next_cursor: null, previous_cursor: null } });
    }
    expect((await get(`/health-scores?category=mood`)).status).toBe(400);
    const del = await api.delete(`/users/${userId}/events/menstrual-cycles/6c1f3f0e-0000-4000-8000-000000000000`, { headers: ADMIN });
    expect(del.status).toBe(404);
    expect(del.json).toEqual({ detail: "Menstrual cycle not found" });
  });

  it("data summary counts by series, workout type and provider, within a range", async () => {
    const all = (await get(`/summaries/data`)).json;
    expect(all).toMatchObject({ user_id: userId, total_workouts: 5, total_sleep_events: 4, has_womens_health_data: false });
    expect(all.series_type_counts.heart_rate).toBeGreaterThanOrEqual(288);
    const first = (await get(`/summaries/data?start_date=2026-11-01&end_date=2026-11-01`)).json;
    expect(first).toMatchObject({ total_data_points: 288, total_workouts: 0, series_type_counts: { heart_rate: 288 } });
  });
});

describe("source priorities", () => {
  it("GET lists the reference defaults; PUT changes which source a day prefers and filter_by_priority", async () => {
    const { user, tokens: t } = await signedInUser();
    // The same night from a watch and from a phone (different sources) on one user.
    const night = (source: Item, id: string) => ({
      provider: "apple", sdkVersion: "0.6.0", syncTimestamp: "2026-11-02T00:00:00Z",
      data: { records: [], workouts: [], sleep: [{ id, parentId: null, stage: "light", startDate: "2026-11-01T23:00:00Z", endDate: source === IOS_SOURCES.watch ? "2026-11-02T06:00:00Z" : "2026-11-02T05:00:00Z", zoneOffset: null, source, values: null, metadata: null }] },
    });
    await upload(user.id, t, night(IOS_SOURCES.watch, "n-watch"));
    await upload(user.id, t, night(IOS_SOURCES.phone, "n-phone"));
    const read = (path: string) => api.get(`/users/${user.id}${path}`, { headers: ADMIN });

    const defaults = await api.get(`/priorities/device-types`, { headers: ADMIN });
    expect(defaults.status).toBe(200);
    expect(defaults.json.items.map((i: { device_type: string; priority: number }) => [i.device_type, i.priority]).slice(0, 4))
      .toEqual([["watch", 1], ["band", 2], ["ring", 3], ["phone", 4]]);
    expect((await api.get(`/priorities/providers`, { headers: ADMIN })).json.items[0]).toMatchObject({ provider: "apple", priority: 1, id: expect.any(String) });
    expect((await read(`/summaries/sleep?start_date=2026-11-02&end_date=2026-11-02`)).json.data[0]).toMatchObject({ duration_minutes: 420 });
    expect((await read(`/events/sleep?start_date=2026-11-01&end_date=2026-11-02`)).json.data).toHaveLength(2);
    const filtered = await read(`/events/sleep?start_date=2026-11-01&end_date=2026-11-02&filter_by_priority=true`);
    expect(filtered.json.data.map((s: { source: { device_type: string } }) => s.source.device_type)).toEqual(["watch"]);

    const updated = await put(`/priorities/device-types`, { headers: ADMIN, body: { priorities: [{ device_type: "phone", priority: 1 }, { device_type: "watch", priority: 4 }] } });
    expect(updated.status).toBe(200);
    expect(updated.json.items[0]).toMatchObject({ device_type: "phone", priority: 1 });
    try {
      expect((await read(`/summaries/sleep?start_date=2026-11-02&end_date=2026-11-02`)).json.data[0]).toMatchObject({ duration_minutes: 360 });
      const now = await read(`/events/sleep?start_date=2026-11-01&end_date=2026-11-02&filter_by_priority=true`);
      expect(now.json.data.map((s: { source: { device_type: string } }) => s.source.device_type)).toEqual(["phone"]);
    } finally {
      await put(`/priorities/device-types`, { headers: ADMIN, body: { priorities: [{ device_type: "watch", priority: 1 }, { device_type: "phone", priority: 4 }] } });
    }
    for (const body of [{ priorities: [{ device_type: "toaster", priority: 1 }] }, { priorities: [{ device_type: "watch", priority: 0 }] }, { nope: 1 }]) {
      expect((await put(`/priorities/device-types`, { headers: ADMIN, body })).status).toBe(400);
    }
    expect((await api.get(`/priorities/providers`, { headers: { "X-Open-Wearables-API-Key": "nope" } })).status).toBe(401);
  });
});

describe("live sync stream (server-sent events)", () => {
  it("replays recent runs, then sends each stored batch as it lands", async () => {
    const { user, tokens: t } = await signedInUser();
    await upload(user.id, t, iosBatch({ start: START, records: 3 }));
    const res = await SELF.fetch(`https://api.test/api/v1/users/${user.id}/sync/stream?replay=10`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (predicate: (t: string) => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!predicate(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil((s) => (s.match(/event: sync\.status/g) ?? []).length >= 2);
    const events = () => text.split("\n\n").filter((b) => b.includes("event: sync.status")).map((b) => JSON.parse(b.split("\ndata: ")[1]!));
    expect(events().map((e) => e.stage)).toEqual(["started", "completed"]);
    const live = await upload(user.id, t, healthConnectBatch({ start: START, records: 3 }));
    await readUntil((s) => s.includes(live.json.batch_id + ":end"));
    await reader.cancel();
    const last = events().at(-1);
    expect(last).toMatchObject({ run_id: live.json.batch_id, provider: "google", stage: "completed", status: "success", items_processed: live.json.records_saved });
    expect((await api.get(`/users/6c1f3f0e-0000-4000-8000-000000000000/sync/stream`, { headers: ADMIN })).status).toBe(404);
  });
});

describe("token refresh and user patch like the reference", () => {
  it("/token/refresh accepts grant_type=refresh_token in the body, rejects another grant type", async () => {
    const res = await api.post("/token/refresh", { body: { grant_type: "refresh_token", refresh_token: tokens.refresh_token } });
    expect(res.status).toBe(200);
    expect(res.json.access_token).toBeTypeOf("string");
    tokens = res.json;
    expect((await api.post("/token/refresh", { body: { grant_type: "password", refresh_token: tokens.refresh_token } })).status).toBe(400);
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });

  it("PATCH /users/{id} with another user's e-mail answers 200", async () => {
    await createUser({ email: "shared@example.com" });
    const u = await createUser();
    const res = await api.patch(`/users/${u.id}`, { headers: ADMIN, body: { email: "shared@example.com" } });
    expect(res.status).toBe(200);
    expect(res.json.email).toBe("shared@example.com");
  });
});
