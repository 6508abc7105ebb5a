import { describe, expect, it } from "vitest";
import { HealthDataType } from "../../src/core/types";
import { TELEMETRY_MAX_QUEUED } from "../../src/core/telemetry";
import { makeDevice } from "../support/device";
import { api, createUser, mintTokens } from "../support/server";

const TYPES = [HealthDataType.heartRate, HealthDataType.steps, HealthDataType.bodyMass];
const KEYS = ["HKQuantityTypeIdentifierHeartRate", "HKQuantityTypeIdentifierStepCount", "HKQuantityTypeIdentifierBodyMass"];

async function signedIn(o: Parameters<typeof makeDevice>[0] = {}) {
  const d = makeDevice({ historyDays: 3, ...o });
  const userId = await createUser();
  const t = await mintTokens(userId);
  await d.sdk.configure({ host: d.host });
  await d.sdk.signIn({ userId, accessToken: t.access_token, refreshToken: t.refresh_token });
  await d.sdk.requestAuthorization({ types: TYPES });
  return { ...d, userId };
}
const logEvents = (d: { tap: { exchanges: any[] } }) => d.tap.exchanges.filter((e) => e.path.endsWith("/logs")).flatMap((e) => e.body.events);
const progress = async (userId: string) => (await api("GET", `/users/${userId}/sync/progress`)).json.first_sync;

describe("SDK telemetry (POST /sdk/users/{id}/logs)", () => {
  it("reports the first sync's start, each type's end and the device state, and the server derives progress from it", async () => {
    const d = await signedIn();
    await d.sdk.syncNow();
    await d.sdk.telemetry.idle();
    const logs = d.tap.exchanges.filter((e) => e.path.endsWith("/logs"));
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) {
      expect(l.status).toBe(202);
      expect(l.body).toMatchObject({ sdkVersion: "0.1.0-ts", provider: "apple" });
      expect(l.body.events.at(-1)).toMatchObject({ eventType: "device_state", taskType: "foreground", isLowPowerMode: false });
    }
    const events = logEvents(d).filter((e: any) => e.eventType !== "device_state");
    expect(events[0]).toMatchObject({ eventType: "historical_data_sync_start", dataTypeCounts: KEYS.map((type) => ({ type, count: 0 })),
      timeRange: { endDate: expect.stringMatching(/Z$/) } });
    const ends = events.filter((e: any) => e.eventType === "historical_data_type_sync_end");
    expect(ends.map((e: any) => e.dataType).sort()).toEqual([...KEYS].sort());
    // recordCount = the items of that type the server acknowledged.
    const acked = (type: string) => d.tap.syncs().reduce((n, e) => n + e.body.data.records.filter((r: any) => r.type === type).length, 0);
    for (const e of ends) expect(e).toMatchObject({ success: true, recordCount: acked(e.dataType), durationMs: expect.any(Number) });
    expect(await progress(d.userId)).toMatchObject({ state: "done", percent: 100, types_total: 3, types_done: 3 });

    // Incremental passes are not reported (as the official SDKs).
    const before = logs.length;
    d.clock.advance(3_600_000);
    await d.sdk.syncNow();
    await d.sdk.telemetry.idle();
    expect(d.tap.count("/logs")).toBe(before);
  });

  it("a pass that stops reports its unfinished types as not successful; the server shows the sync in progress", async () => {
    const d = await signedIn({ sdk: { engine: { foreground: { maxItems: 100, maxBytes: 100_000 } } },
      faults: [{ path: "/sync", nth: 4, times: 100, action: { kind: "refused" } }] });
    await d.sdk.syncNow();
    await d.sdk.telemetry.idle();
    expect((await d.sdk.getSyncStatus()).initialExportDone).toBe(false);
    const partial = logEvents(d).filter((e: any) => e.eventType === "historical_data_type_sync_end" && e.success === false);
    expect(partial.length).toBeGreaterThan(0);
    for (const e of partial) expect(e.recordCount).toBeGreaterThan(0);
    const p = await progress(d.userId);
    expect(p).toMatchObject({ state: "in_progress", stalled: false });
    expect(p.percent).toBeLessThan(100);
    expect(p.records_sent).toBeGreaterThan(0);
    expect(p.message).toMatch(/^First sync \d+ % done: .*heart rate.* in progress/);
  });

  it("never blocks or fails a sync: a server whose /logs hangs or fails changes nothing, and the queue stays bounded", async () => {
    const base = await signedIn();
    await base.sdk.syncNow();
    const hang = await signedIn({ faults: [{ path: "/logs", times: 1_000, action: { kind: "hang" } }] });
    hang.clock.t = base.clock.t;
    await hang.sdk.syncNow(); // would never return if telemetry were awaited
    expect((await hang.sdk.getSyncStatus()).initialExportDone).toBe(true);
    expect(hang.tap.saved()).toEqual(base.tap.saved());
    // One request in flight (hanging), nothing else sent; everything else waits in a bounded queue.
    for (let i = 0; i < 2 * TELEMETRY_MAX_QUEUED; i++) hang.sdk.telemetry.enqueue({ eventType: "device_state", timestamp: new Date().toISOString() });
    expect((hang.sdk.telemetry as any).queue.length).toBeLessThanOrEqual(TELEMETRY_MAX_QUEUED);
    expect(hang.sdk.telemetry.stats.dropped).toBeGreaterThan(0);

    const failing = await signedIn({ faults: [{ path: "/logs", times: 1_000, action: { kind: "status", status: 503 } }] });
    failing.clock.t = base.clock.t;
    await failing.sdk.syncNow();
    await failing.sdk.telemetry.idle();
    expect((await failing.sdk.getSyncStatus()).initialExportDone).toBe(true);
    expect(failing.tap.saved()).toEqual(base.tap.saved());
    // Each event is tried at most 3 times (one per flush) before it is dropped.
    const attempts = failing.sdk.telemetry.stats.failedRequests;
    expect(attempts).toBeGreaterThan(0);
    expect(attempts).toBeLessThanOrEqual(3 * (2 + TYPES.length + 1));
  });
});

describe("syncNow()", () => {
  it("returns at once while a pass is running (that pass carries on), and runs a whole pass when idle", async () => {
    const d = await signedIn({ sdk: { engine: { foreground: { maxItems: 100, maxBytes: 100_000 } } } });
    await d.sdk.startBackgroundSync({ syncDaysBack: 3 }); // kicks off the first sync in the background
    expect((await d.sdk.getSyncStatus()).isSyncing).toBe(true);
    await d.sdk.syncNow();
    expect((await d.sdk.getSyncStatus()).isSyncing).toBe(true); // returned without waiting
    expect(d.logs.some((l) => l.endsWith("Sync already in progress"))).toBe(true);
    await d.sdk.whenIdle();
    expect(d.logs.filter((l) => l.includes("Sync pass (")).length).toBe(1); // no second pass was queued
    expect((await d.sdk.getSyncStatus()).initialExportDone).toBe(true);

    d.clock.advance(3_600_000);
    const before = d.tap.syncs().length;
    await d.sdk.syncNow(); // idle: runs a pass and resolves when it has ended
    expect((await d.sdk.getSyncStatus()).isSyncing).toBe(false);
    expect(d.tap.syncs().length).toBeGreaterThan(before);
    expect(d.logs.at(-1)).toMatch(/Incremental sync complete/);
  });
});
