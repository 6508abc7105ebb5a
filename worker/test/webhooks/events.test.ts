import { describe, expect, it } from "vitest";
import { retryDelaySeconds, webhookConfig } from "../../src/webhooks/config";
import { buildMessages, chunkForSendBatch, eventIdFor, matchEndpoints, sanitizeEventId } from "../../src/webhooks/emit";
import { connectionCreated, isoPy, sleepCreated, syncEvent, timeseriesEvents, workoutCreated, type SampleInput } from "../../src/webhooks/events";
import type { EndpointRoute } from "../../src/webhooks/endpoints";

const U = "5f0e3a52-8a34-4c39-9a53-1f4f7f0d2a10";
const src = { provider: "apple", device: "Apple Watch" };

describe("payloads (reference §10.3)", () => {
  it("formats datetimes like Python isoformat", () => {
    expect(isoPy("2025-12-19T07:30:00Z")).toBe("2025-12-19T07:30:00+00:00");
    expect(isoPy(Date.UTC(2025, 11, 19, 7, 30, 0, 123))).toBe("2025-12-19T07:30:00.123000+00:00");
  });

  it("workout.created: ints, pace from speed, nulls when not reported", () => {
    const e = workoutCreated({ id: "w", userId: U, type: "running", startTime: 0, endTime: 60_000, zoneOffset: null, durationSeconds: 60,
      source: src, avgHeartRateBpm: 141.7, averageSpeed: 0 });
    expect(e).toMatchObject({ type: "workout.created", id: "workout.created.w" });
    expect(e.data).toMatchObject({ avg_heart_rate_bpm: 141, max_heart_rate_bpm: null, avg_pace_sec_per_km: null, calories_kcal: null, start_time: "1970-01-01T00:00:00+00:00" });
  });

  it("sleep.created: stages null when all are empty", () => {
    const base = { id: "s", userId: U, startTime: 0, endTime: 1, zoneOffset: null, durationSeconds: 1, source: src, isNap: false };
    expect(sleepCreated({ ...base, stages: { awake_minutes: 0, light_minutes: null, deep_minutes: 0, rem_minutes: 0 } }).data.stages).toBeNull();
    expect(sleepCreated({ ...base, stages: { deep_minutes: 30 } }).data.stages).toEqual({ awake_minutes: null, light_minutes: null, deep_minutes: 30, rem_minutes: null });
  });

  it("sync and connection events carry the reference fields and ids", () => {
    const done = syncEvent("completed", { userId: U, provider: "apple", source: "sdk", runId: "b1", itemsProcessed: 12 });
    expect(done).toEqual({ type: "sync.completed", id: "sync.completed.b1",
      data: { user_id: U, provider: "apple", source: "sdk", run_id: "b1", message: null, metadata: null, status: "completed", items_processed: 12 } });
    expect(syncEvent("failed", { userId: U, provider: "apple", source: "sdk", runId: "b1", error: "x" }).data).not.toHaveProperty("status");
    expect(connectionCreated({ userId: U, provider: "apple", connectionId: "c", connectedAt: 0 }).data).toEqual(
      { user_id: U, provider: "apple", connection_id: "c", connected_at: "1970-01-01T00:00:00+00:00" });
  });

  it("timeseries: a group + granular pair per chunk, chunks fit a queue message, sample_count is the batch total", () => {
    const samples: SampleInput[] = Array.from({ length: 6000 }, (_, i) => ({
      timestamp: Date.UTC(2025, 0, 1) + i * 1000, zoneOffset: "+01:00", type: "HKQuantityTypeIdentifierHeartRate", value: 60 + (i % 40),
      unit: "bpm", source: src, isDailyTotal: null,
    }));
    const events = timeseriesEvents(U, "apple", "heart_rate", samples);
    const chunks = events.length / 2;
    expect(chunks).toBeGreaterThan(2);
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(["heart_rate.created", "series.heart_rate.created"]);
    for (const e of events) {
      expect(JSON.stringify(e.data).length).toBeLessThan(100_000);
      expect(e.data).toMatchObject({ sample_count: 6000, total_chunks: chunks });
      expect(e.id).toMatch(/^timeseries\.[A-Za-z0-9\-_.]+$/);
    }
    expect(events.reduce((n, e, i) => n + (i % 2 ? 0 : (e.data.samples as unknown[]).length), 0)).toBe(6000);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const small = timeseriesEvents(U, "apple", "steps", samples.slice(0, 3));
    expect(small).toHaveLength(2);
    expect(small[0]!.data).not.toHaveProperty("chunk_index");
    expect(timeseriesEvents(U, "apple", "running_vertical_ratio", samples.slice(0, 3))).toEqual([]); // no group
  });
});

describe("ids", () => {
  it("are sanitised like the reference and derived from content when not given", async () => {
    expect(sanitizeEventId("timeseries.u.apple.hr.2025-01-01T00:00:00+00:00")).toBe("timeseries.u.apple.hr.2025-01-01T00_00_00_00_00");
    const a = await eventIdFor(U, { type: "x", data: { a: 1, b: [1, { c: 2, d: 3 }] } });
    const b = await eventIdFor(U, { type: "x", data: { b: [1, { d: 3, c: 2 }], a: 1 } });
    expect(a).toBe(b);
    expect(a).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(await eventIdFor(U, { type: "x", data: { a: 2 } })).not.toBe(a);
    expect(await eventIdFor("other", { type: "x", data: { a: 1, b: [1, { c: 2, d: 3 }] } })).not.toBe(a);
  });
});

describe("routing", () => {
  const r = (id: string, app_id: string | null, user_id: string | null = null, filter: string[] | null = null, org_id = "org_1"): EndpointRoute =>
    ({ id, org_id, app_id, user_id, filter: filter ? new Set(filter) : null });
  const routes = [r("A", "app_a"), r("B", "app_b"), r("ALL", null), r("SLEEP", null, null, ["sleep.created"]), r("OTHERUSER", null, "u2"),
    r("OTHERORG", null, null, null, "org_2"), r("OTHERORG_A", "app_a", null, null, "org_2")];
  const ids = (app: string | null, type = "workout.created") => matchEndpoints(routes, "u1", "org_1", app, type).map((x) => x.id);

  it("delivers an app session's events to that app's endpoints and organization-wide ones", () => {
    expect(ids("app_a")).toEqual(["A", "ALL"]);
    expect(ids("app_b", "sleep.created")).toEqual(["B", "ALL", "SLEEP"]);
  });
  it("delivers uploads of sessions without an application only to endpoints not bound to one", () => {
    expect(ids(null)).toEqual(["ALL"]);
    expect(ids("invite:admin")).toEqual(["ALL"]);
    expect(ids("admin")).toEqual(["ALL"]);
  });
  it("never delivers to another organization's endpoints, whatever the application", () => {
    expect(matchEndpoints(routes, "u1", "org_2", "app_a", "workout.created").map((x) => x.id)).toEqual(["OTHERORG", "OTHERORG_A"]);
    expect(matchEndpoints(routes, "u1", "org_3", null, "workout.created")).toEqual([]);
  });
  it("treats a session from an app-bound invitation as that app's", () => {
    expect(ids("invite:app_a")).toEqual(["A", "ALL"]);
  });
});

describe("queue limits and backoff", () => {
  it("splits sendBatch calls at 100 messages and ~256 KB, and moves big bodies out of the message", async () => {
    const small = Array.from({ length: 250 }, (_, i) => ({ type: "workout.created", id: `w${i}`, data: { i } }));
    const built = await buildMessages(U, small.map((event) => ({ event, endpoints: ["e1"] })));
    expect(chunkForSendBatch(built.messages).map((b) => b.length)).toEqual([100, 100, 50]);
    const big = { type: "workout.created", id: "big", data: { blob: "x".repeat(150_000) } };
    const mid = Array.from({ length: 5 }, (_, i) => ({ type: "workout.created", id: `m${i}`, data: { blob: "y".repeat(80_000) } }));
    const b2 = await buildMessages(U, [big, ...mid].map((event) => ({ event, endpoints: ["e1", "e2"] })));
    expect(b2.oversized.map((o) => o.eventId)).toEqual(["big"]);
    expect(b2.messages.filter((m) => m.message.bodyInD1)).toHaveLength(2);
    for (const batch of chunkForSendBatch(b2.messages)) {
      expect(new TextEncoder().encode(JSON.stringify(batch)).byteLength).toBeLessThan(256_000);
      for (const m of batch) expect(JSON.stringify(m).length).toBeLessThan(128_000);
    }
  });

  it("backs off exponentially with jitter, capped, honouring Retry-After", () => {
    const cfg = { ...webhookConfig({} as never), retryBaseSeconds: 15, retryMaxSeconds: 21_600 };
    expect(retryDelaySeconds(cfg, 1, undefined, () => 0)).toBe(8); // 15/2 rounded
    expect(retryDelaySeconds(cfg, 1, undefined, () => 1)).toBe(15);
    expect(retryDelaySeconds(cfg, 4, undefined, () => 1)).toBe(120);
    expect(retryDelaySeconds(cfg, 30, undefined, () => 1)).toBe(21_600);
    expect(retryDelaySeconds(cfg, 1, 600, () => 0)).toBe(600);
    const spread = new Set(Array.from({ length: 50 }, () => retryDelaySeconds(cfg, 6)));
    expect(spread.size).toBeGreaterThan(10);
    // 14 retries span about a day before the message is dead-lettered.
    const total = Array.from({ length: 14 }, (_, i) => retryDelaySeconds(cfg, i + 1, undefined, () => 1)).reduce((a, b) => a + b, 0);
    expect(total / 3600).toBeGreaterThan(20);
  });
});

describe("enqueue", () => {
  it("retries a failed sendBatch, and emitUserEvents never throws into ingest", async () => {
    const { enqueueMessages, emitUserEvents } = await import("../../src/webhooks/emit");
    let calls = 0;
    const flaky = { WEBHOOKS: { sendBatch: async () => { if (++calls === 1) throw new Error("Queue unavailable"); } } } as never;
    const built = await buildMessages(U, [{ event: { type: "workout.created", id: "r1", data: {} }, endpoints: ["e1"] }]);
    await enqueueMessages(flaky, built.messages);
    expect(calls).toBe(2);
    const broken = { WEBHOOKS: { sendBatch: async () => { throw new Error("down"); } }, DB: {} } as never;
    await expect(emitUserEvents(broken, undefined, U, "org_default", null, [{ type: "workout.created", data: {} }])).resolves.toBeUndefined();
  });
});
