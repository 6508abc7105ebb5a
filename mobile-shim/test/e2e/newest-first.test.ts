import { describe, expect, it } from "vitest";
import { HealthDataType } from "../../src/core/types";
import type { ProgressEvent } from "../../src/core/progress";
import { makeDevice } from "../support/device";
import { Killed } from "../support/net";
import { api, createUser, mintTokens } from "../support/server";

const HOUR = 3_600_000, DAY = 24 * HOUR;
const HR = "HKQuantityTypeIdentifierHeartRate";
const TYPES = [HealthDataType.heartRate, HealthDataType.steps, HealthDataType.restingHeartRate, HealthDataType.bodyMass, HealthDataType.sleep, HealthDataType.workout];

async function signedIn(o: Parameters<typeof makeDevice>[0] = {}, types = TYPES) {
  const d = makeDevice(o);
  const userId = await createUser();
  const t = await mintTokens(userId);
  await d.sdk.configure({ host: d.host });
  await d.sdk.signIn({ userId, accessToken: t.access_token, refreshToken: t.refresh_token });
  await d.sdk.requestAuthorization({ types });
  return { ...d, userId };
}

/** Heart-rate samples the read API returns for [from, to). */
async function heartRateCount(userId: string, from: number, to: number): Promise<number> {
  const r = await api("GET", `/users/${userId}/timeseries?types=heart_rate&limit=10000&start_time=${new Date(from).toISOString()}&end_time=${new Date(to).toISOString()}`);
  expect(r.status).toBe(200);
  return r.json.data.length;
}

const items = (body: any): any[] => [...body.data.records, ...body.data.sleep, ...body.data.workouts];
const starts = (body: any, type?: string) => items(body).filter((i) => !type || i.type === type).map((i) => Date.parse(i.startDate));

const hrSample = (uuid: string, start: number) => ({ platform: "healthkit" as const, uuid, type: HR, start, end: start, value: 66,
  unit: "count/min", source: { bundleId: "com.example.import" } });

describe("newest-first first sync against the real Worker", () => {
  it("the first request carries the last 24 h of every granted type and nothing older; the read API has today after it", async () => {
    const d = await signedIn({ historyDays: 10, faults: [{ path: "/sync", nth: 1, action: { kind: "killAfterResponse" } }] });
    const now = d.clock.now();
    await expect(d.sdk.syncNow()).rejects.toBeInstanceOf(Killed);
    const [first] = d.tap.syncs();
    expect(Math.min(...starts(first!.body))).toBeGreaterThanOrEqual(now - DAY);
    const types = new Set(first!.body.data.records.map((r: any) => r.type));
    for (const t of [HR, "HKQuantityTypeIdentifierStepCount", "HKQuantityTypeIdentifierRestingHeartRate"]) expect(types.has(t)).toBe(true);
    expect(first!.body.data.sleep.length).toBeGreaterThan(0); // last night
    // The whole last day of heart rate, from its newest sample back to 24 h ago, is on the server after one request.
    const hr = starts(first!.body, HR);
    expect(Math.min(...hr) - (now - DAY)).toBeLessThan(10 * 60_000);
    expect(now - Math.max(...hr)).toBeLessThan(30 * 60_000);
    expect(await heartRateCount(d.userId, now - DAY, now + HOUR)).toBe(hr.length);
    expect(await heartRateCount(d.userId, now - 11 * DAY, now - DAY)).toBe(0);

    // The app starts again (the response was lost with the process: that chunk goes once more) and the walk goes on.
    const again = d.restart({ faults: [] });
    await again.sdk.configure({ host: d.host });
    await again.sdk.syncNow();
    expect((await again.sdk.getSyncStatus()).initialExportDone).toBe(true);
    expect(await heartRateCount(d.userId, now - 11 * DAY, now - DAY)).toBeGreaterThan(2_000);
  });

  it("walks back in time chunk after chunk, and after a kill mid-walk delivers exactly what the change-order export delivers", async () => {
    const engine = { foreground: { maxItems: 300, maxBytes: 200_000 } };
    // The same phone, synced oldest-first in change order: the reference set of items.
    const ref = await signedIn({ historyDays: 8, sdk: { engine: { ...engine, newestFirst: false } } });
    await ref.sdk.syncNow();
    const expected = new Set(ref.tap.ackedIds());
    expect(expected.size).toBe(ref.tap.ackedIds().length);

    const d = await signedIn({ historyDays: 8, sdk: { engine }, faults: [{ path: "/sync", nth: 6, action: { kind: "killBeforeSend" } }] });
    const events: ProgressEvent[] = [];
    d.sdk.engine.progress.listen((e) => events.push(e));
    await expect(d.sdk.syncNow()).rejects.toBeInstanceOf(Killed);
    expect(d.tap.syncs().length).toBe(5);
    expect((await d.sdk.getSyncStatus()).hasResumableSession).toBe(true);
    const again = d.restart({ faults: [] });
    again.sdk.engine.progress.listen((e) => events.push(e));
    await again.sdk.configure({ host: d.host });
    await again.sdk.resumeSync();
    expect((await again.sdk.getSyncStatus()).initialExportDone).toBe(true);

    const ids = again.tap.ackedIds();
    expect(new Set(ids)).toEqual(expected);
    expect(ids.length).toBe(expected.size); // killed before the send: nothing travelled twice
    expect(again.tap.saved().dupRecords).toBe(0);
    // Newest first: every heart-rate chunk is older than the one before it.
    const hrChunks = again.tap.syncs().map((e) => starts(e.body, HR)).filter((s) => s.length);
    for (let i = 1; i < hrChunks.length; i++) expect(Math.max(...hrChunks[i]!)).toBeLessThanOrEqual(Math.min(...hrChunks[i - 1]!));
    // Phases in order: the last 24 h of every type, then history, then catch-up.
    const phases = events.filter((e) => e.kind === "chunk").map((e) => e.phase);
    expect(phases[0]).toBe("recent");
    expect(phases.lastIndexOf("recent")).toBeLessThan(phases.indexOf("history"));
    expect(events.at(-1)).toMatchObject({ kind: "end", status: "done", fraction: 1 });
  });

  it("late writes into an already-walked window and into a window not yet walked are delivered once, after the walk", async () => {
    const d = await signedIn({ historyDays: 6, sdk: { engine: { foreground: { maxItems: 200, maxBytes: 200_000 } } } }, [HealthDataType.heartRate]);
    const now = d.clock.now();
    const walked = hrSample("7E000000-0000-4000-8000-000000000001", now - 2 * HOUR);
    const ahead = hrSample("7E000000-0000-4000-8000-000000000002", now - 5 * DAY);
    const early = hrSample("7E000000-0000-4000-8000-000000000003", now - 3 * DAY);
    d.store.inject(early); // written before the sync started: part of the walk
    let n = 0;
    d.net.onRequest = (req) => {
      if (req.url.endsWith("/sync") && ++n === 4) { d.store.inject(walked); d.store.inject(ahead); }
    };
    await d.sdk.syncNow();
    const ids = d.tap.ackedIds();
    for (const s of [walked, ahead, early]) expect(ids.filter((id) => id === s.uuid)).toEqual([s.uuid]);
    expect(new Set(ids).size).toBe(ids.length);
    // The two late writes come after every walked chunk (the catch-up from the head anchor).
    const chunkOf = (id: string) => d.tap.syncs().findIndex((e) => items(e.body).some((i) => i.id === id));
    const lastWalkChunk = d.tap.syncs().length - 1;
    expect(chunkOf(walked.uuid)).toBe(lastWalkChunk);
    expect(chunkOf(ahead.uuid)).toBe(lastWalkChunk);
    expect(items(d.tap.syncs()[lastWalkChunk]!.body).length).toBe(2);
    expect(chunkOf(early.uuid)).toBeLessThan(lastWalkChunk);
    // And an incremental pass later sends neither again.
    d.clock.advance(HOUR);
    await d.sdk.syncNow();
    expect(d.tap.ackedIds().filter((id) => id.startsWith("7E000000")).length).toBe(3);
  });
});
