import { describe, expect, it } from "vitest";
import { HealthDataType, OpenWearablesHealthSdkStatus } from "../../src/core/types";
import { makeDevice } from "../support/device";
import { createUser, mintTokens } from "../support/server";

const ALL = Object.values(HealthDataType);

async function signedIn(o: Parameters<typeof makeDevice>[0] = {}) {
  const d = makeDevice(o);
  const userId = await createUser();
  const t = await mintTokens(userId);
  await d.sdk.configure({ host: d.host });
  await d.sdk.signIn({ userId, accessToken: `Bearer ${t.access_token}`, refreshToken: t.refresh_token });
  return { ...d, userId, tokens: t };
}

describe("backfill and incremental sync against the real Worker", () => {
  it("delivers every type of a first backfill in the official envelope, gzip, chunked, then only new data", async () => {
    const d = await signedIn({ historyDays: 4, sdk: { engine: { foreground: { maxItems: 500, maxBytes: 200_000 } } } });
    expect(d.sdk.status).toBe(OpenWearablesHealthSdkStatus.signedIn);
    expect(await d.sdk.requestAuthorization({ types: ALL })).toBe(true);
    await d.sdk.syncNow();
    const syncs = d.tap.syncs();
    expect(syncs.length).toBeGreaterThan(3);
    for (const e of syncs) {
      expect(e.gzip).toBe(true);
      expect(Object.keys(e.body)).toEqual(["provider", "sdkVersion", "syncTimestamp", "data"]);
      expect(Object.keys(e.body.data)).toEqual(["records", "sleep", "workouts"]);
      expect(e.body.syncTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const n = e.body.data.records.length + e.body.data.sleep.length + e.body.data.workouts.length;
      expect(n).toBeLessThanOrEqual(500);
      expect(e.response.rejected).toEqual([]);
    }
    const rec = syncs[0]!.body.data.records[0];
    expect(Object.keys(rec)).toEqual(["id", "type", "startDate", "endDate", "zoneOffset", "source", "value", "unit", "parentId", "metadata"]);
    const ids = d.tap.ackedIds();
    expect(new Set(ids).size).toBe(ids.length); // nothing sent twice
    const saved = d.tap.saved();
    expect(saved.records).toBeGreaterThan(1000);
    expect(saved.dupRecords).toBe(0);
    const status = await d.sdk.getSyncStatus();
    expect(status).toMatchObject({ initialExportDone: true, hasResumableSession: false, pendingChunk: false, lastError: null });

    // An hour later: only the new hour travels.
    const before = d.tap.syncs().length;
    d.clock.advance(3_600_000);
    await d.sdk.syncNow();
    const inc = d.tap.syncs().slice(before);
    expect(inc.length).toBe(1);
    const incIds = [...inc[0]!.body.data.records].map((r: any) => r.id);
    expect(incIds.length).toBeGreaterThan(5);
    expect(incIds.every((id: string) => !ids.includes(id))).toBe(true);
    expect(inc[0]!.response.duplicates.records).toBe(0);
  });

  it("counts syncDaysBack from the start of that local day and persists it", async () => {
    const d = await signedIn({ historyDays: 10 });
    await d.sdk.requestAuthorization({ types: [HealthDataType.heartRate, HealthDataType.steps] });
    await d.sdk.startBackgroundSync({ syncDaysBack: 2 });
    await d.sdk.whenIdle(); // the pass startBackgroundSync kicked off
    const floor = await d.sdk.syncFloor();
    const offset = 60 * 60_000;
    expect((floor! + offset) % 86_400_000).toBe(0); // local midnight (device at UTC+1)
    expect(d.clock.now() - floor!).toBeGreaterThan(2 * 86_400_000);
    expect(d.clock.now() - floor!).toBeLessThanOrEqual(3 * 86_400_000);
    const starts = d.tap.syncs().flatMap((e) => e.body.data.records.map((r: any) => Date.parse(r.startDate)));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(floor!);
    expect(Math.min(...starts) - floor!).toBeLessThan(15 * 60_000); // the whole first day, from its midnight
    expect(d.scheduler.tasks.get("ow.sync.periodic")?.ms).toBe(15 * 60_000);
    // Persisted: a restarted app keeps the floor and re-arms background sync.
    const again = d.restart();
    await again.sdk.configure({ host: d.host });
    expect(again.sdk.isSyncActive).toBe(true);
    expect(await again.sdk.syncFloor()).toBe(floor);
  });

  it("delivers data written late with old timestamps, and one absurd timestamp never blocks its type", async () => {
    const d = await signedIn({ historyDays: 2 });
    await d.sdk.requestAuthorization({ types: [HealthDataType.heartRate, HealthDataType.bodyMass] });
    await d.sdk.syncNow();
    const sample = (uuid: string, start: number, value: number) => ({ platform: "healthkit" as const, uuid, type: "HKQuantityTypeIdentifierHeartRate",
      start, end: start, value, unit: "count/min", source: { bundleId: "com.example.import" } });
    const old = d.clock.now() - 40 * 86_400_000;
    d.store.inject(sample("5A0B0C0D-0000-4000-8000-000000000001", old, 61));
    d.store.inject(sample("5A0B0C0D-0000-4000-8000-000000000002", Date.UTC(2105, 0, 1), 70)); // corrupt watch clock
    d.store.inject(sample("5A0B0C0D-0000-4000-8000-000000000003", d.clock.now() - 60_000, 72));
    await d.sdk.syncNow();
    const ids = d.tap.ackedIds();
    expect(ids).toContain("5A0B0C0D-0000-4000-8000-000000000001");
    expect(ids).toContain("5A0B0C0D-0000-4000-8000-000000000003");
    expect(ids).not.toContain("5A0B0C0D-0000-4000-8000-000000000002");
    expect((await d.sdk.getSyncStatus()).implausibleCount).toBe(1);
    d.store.inject(sample("5A0B0C0D-0000-4000-8000-000000000004", d.clock.now(), 74));
    await d.sdk.syncNow();
    expect(d.tap.ackedIds()).toContain("5A0B0C0D-0000-4000-8000-000000000004");
  });

  it("syncs what a partial grant allows (Health Connect reports the denial)", async () => {
    const d = await signedIn({ device: "android", deny: ["HeartRate"] });
    expect(await d.sdk.requestAuthorization({ types: [HealthDataType.heartRate, HealthDataType.steps, HealthDataType.sleep] })).toBe(false);
    await d.sdk.syncNow();
    const types = new Set(d.tap.syncs().flatMap((e) => e.body.data.records.map((r: any) => r.type)));
    expect(types.has("STEP_COUNT")).toBe(true);
    expect(types.has("HEART_RATE")).toBe(false);
    expect(d.tap.syncs().some((e) => e.body.data.sleep.length > 0)).toBe(true);
    expect(d.tap.syncs().every((e) => e.body.provider === "google")).toBe(true);
  });

  it("selects Samsung Health on a Samsung phone and makes its random-id hourly aggregates dedupable", async () => {
    const d = await signedIn({ device: "samsung" });
    const providers = await d.sdk.getAvailableProviders();
    expect(providers.map((p) => [p.id, p.isAvailable])).toEqual([["google", true], ["samsung", true]]);
    expect(await d.sdk.setProvider(providers[1]!.provider!)).toBe(true);
    await d.sdk.requestAuthorization({ types: [HealthDataType.steps, HealthDataType.heartRate, HealthDataType.bodyMass] });
    await d.sdk.syncNow();
    expect(d.tap.syncs().every((e) => e.body.provider === "samsung")).toBe(true);
    const steps = d.tap.syncs().flatMap((e) => e.body.data.records.filter((r: any) => r.type === "STEP_COUNT"));
    expect(steps.length).toBeGreaterThan(5);
    // Re-read from scratch: Samsung hands out new random uids, the shim's content ids do not change.
    const mark = d.tap.syncs().length;
    await d.sdk.resetAnchors();
    await d.sdk.syncNow();
    const again = d.tap.syncs().slice(mark).flatMap((e) => e.body.data.records.filter((r: any) => r.type === "STEP_COUNT"));
    expect(again.map((r: any) => r.id).sort()).toEqual(steps.map((r: any) => r.id).sort());
    expect(d.tap.syncs().slice(mark).reduce((n, e) => n + e.response.records_saved, 0)).toBe(0);
    // A Pixel has no Samsung Health.
    const pixel = await signedIn({ device: "android" });
    expect(await pixel.sdk.setProvider({ name: "samsungHealth", id: "samsung", displayName: "Samsung Health" })).toBe(false);
  });
});
