import { describe, expect, it } from "vitest";
import { MemoryKeyValueStore } from "../../src/adapters/memory";
import { HealthDataType } from "../../src/core/types";
import { makeDevice } from "../support/device";
import { Killed, type Fault } from "../support/net";
import { api, createUser, mintTokens, refreshWith } from "../support/server";

const TYPES = [HealthDataType.heartRate, HealthDataType.steps, HealthDataType.sleep, HealthDataType.workout, HealthDataType.bodyMass];
const SMALL = { engine: { foreground: { maxItems: 150, maxBytes: 120_000 } } };

/** The phone's "disk": dies (throws Killed) on its nth write. */
class DyingStore extends MemoryKeyValueStore {
  writes = 0;
  armed = false;
  constructor(public dieAt: number) { super(); }
  private step() { if (this.armed && ++this.writes === this.dieAt) throw new Killed(`at write ${this.dieAt}`); }
  override async set(k: string, v: string) { this.step(); return super.set(k, v); }
  override async delete(k: string) { this.step(); return super.delete(k); }
}

const runWith = (o: Parameters<typeof makeDevice>[0] = {}) => run(o);

async function run(o: Parameters<typeof makeDevice>[0] = {}, types = TYPES) {
  const d = makeDevice({ historyDays: 1, sdk: SMALL, ...o });
  const userId = await createUser();
  const t = await mintTokens(userId);
  await d.sdk.configure({ host: d.host });
  await d.sdk.signIn({ userId, accessToken: t.access_token, refreshToken: t.refresh_token });
  await d.sdk.requestAuthorization({ types });
  return { ...d, userId, tokens: t };
}

// Both first-sync orders keep the guarantee: newest-first (default) and change order (stores without newest-first reads).
describe.each([{ order: "newest-first", newestFirst: true }, { order: "change order", newestFirst: false }])("kill and resume ($order)", ({ newestFirst }) => {
  it("loses nothing and stores nothing twice, wherever the process dies", async () => {
    const SMALL = { engine: { foreground: { maxItems: 150, maxBytes: 120_000 }, newestFirst } };
    const run = (o: Parameters<typeof makeDevice>[0] = {}) => runWith({ sdk: SMALL, ...o });
    const base = await run();
    await base.sdk.syncNow();
    const expected = base.tap.saved();
    const expectedIds = new Set(base.tap.ackedIds());
    expect(expected.records).toBeGreaterThan(300);
    const chunkCount = base.tap.syncs().length;
    // Each chunk costs 4 disk writes (outbox, state, state, outbox delete; a newest-first walk first commits its head
    // anchors): kill at every one of them for the
    // first chunks, and at every HTTP stage of a mid-backfill chunk.
    const kills: Fault[] = [{ path: "/sync", nth: 2, action: { kind: "killBeforeSend" } }, { path: "/sync", nth: 2, action: { kind: "killAfterResponse" } },
      { path: "/sync", nth: 3, action: { kind: "dropResponse" }, times: 4 }];
    const scenarios: Parameters<typeof makeDevice>[0][] = [...Array.from({ length: 12 }, (_, i) => ({ kv: new DyingStore(i + 1) })), ...kills.map((f) => ({ faults: [f] }))];
    for (const scenario of scenarios) {
      const d = await run({ ...scenario, clock: undefined });
      d.clock.t = base.clock.t;
      if (d.kv instanceof DyingStore) d.kv.armed = true;
      const first = await d.sdk.syncNow().then(() => "returned", (e) => (e instanceof Killed ? "killed" : String(e)));
      expect(["killed", "returned"]).toContain(first);
      // The app starts again on the same disk: configure restores the session and the pass resumes.
      const again = d.restart({ faults: [] });
      if (again.kv instanceof DyingStore) again.kv.armed = false;
      await again.sdk.configure({ host: d.host });
      expect(again.sdk.isSignedIn).toBe(true);
      const st = await again.sdk.getSyncStatus();
      if (st.hasResumableSession) await again.sdk.resumeSync(); else await again.sdk.syncNow();
      const saved = again.tap.saved();
      expect({ records: saved.records, workouts: saved.workouts }).toEqual({ records: expected.records, workouts: expected.workouts });
      const ids = new Set(again.tap.ackedIds());
      for (const id of expectedIds) expect(ids.has(id)).toBe(true);
      // Only the chunk in flight at the kill travels again, byte-identical from the outbox; the server stored it once.
      const distinct = new Set(again.tap.syncs().map((e) => JSON.stringify(e.body.data)));
      expect(distinct.size).toBeLessThanOrEqual(chunkCount + 1);
      expect((await again.sdk.getSyncStatus()).initialExportDone).toBe(true);
    }
  });
});

describe("tokens", () => {
  it("refreshes once when the access token dies mid-sync, persisting the rotated refresh token first", async () => {
    const d = await run({}, [HealthDataType.heartRate]);
    let n = 0;
    // After two chunks the access token "expires": the real server rejects a tampered signature with 401.
    d.net.onRequest = (req) => {
      if (req.url.endsWith("/sync") && ++n === 3) req.headers.Authorization = `${req.headers.Authorization!.slice(0, -4)}AAAA`;
    };
    const errors: unknown[] = [];
    d.sdk.authErrorStream.listen((e) => errors.push(e));
    await d.sdk.syncNow();
    expect(d.tap.count("/token/refresh")).toBe(1);
    expect(errors).toEqual([]);
    expect(d.tap.exchanges.filter((e) => e.path.endsWith("/sync") && e.status === 401).length).toBe(1);
    expect(await d.secure.get("refreshToken")).not.toBe(d.tokens.refresh_token);
    expect((await d.sdk.getSyncStatus()).initialExportDone).toBe(true);
  });

  it("coalesces concurrent refreshes into one request", async () => {
    const d = await run({}, [HealthDataType.heartRate]);
    const stale = d.sdk.auth.credentials!.accessToken;
    const results = await Promise.all(Array.from({ length: 5 }, () => d.sdk.auth.refresh(stale)));
    expect(results).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(d.tap.count("/token/refresh")).toBe(1);
    // Two processes racing with the same refresh token (app + background worker): the server's grace window
    // hands both the same successor instead of revoking the session.
    const twin = makeDevice({ historyDays: 1 });
    await twin.sdk.configure({ host: twin.host });
    await twin.sdk.signIn({ userId: d.userId, accessToken: d.tokens.access_token, refreshToken: d.tokens.refresh_token });
    expect(await twin.sdk.auth.refresh(twin.sdk.auth.credentials!.accessToken)).toBe("ok");
    expect(twin.sdk.auth.credentials!.refreshToken).toBe(d.sdk.auth.credentials!.refreshToken);
  });

  it("never signs out on a network failure during refresh, including a lost rotation response", async () => {
    const d = await run({ faults: [{ path: "/token/refresh", action: { kind: "dropResponse" } }] }, [HealthDataType.heartRate]);
    const errors: unknown[] = [];
    d.sdk.authErrorStream.listen((e) => errors.push(e));
    // The server rotated, the phone never heard: it re-presents the old token within the grace window.
    expect(await d.sdk.auth.refresh(d.sdk.auth.credentials!.accessToken)).toBe("ok");
    expect(d.tap.count("/token/refresh")).toBe(2);
    const rotated = d.sdk.auth.credentials!.refreshToken!;
    expect((await refreshWith(rotated)).status).toBe(200); // the family is alive
    // A refresh endpoint that is down: stays signed in, no auth error, sync resumes later.
    const e = await run({ faults: [{ path: "/token/refresh", times: 10, action: { kind: "status", status: 503 } }] }, [HealthDataType.heartRate]);
    e.sdk.authErrorStream.listen((x) => errors.push(x));
    expect(await e.sdk.auth.refresh(e.sdk.auth.credentials!.accessToken)).toBe("networkError");
    expect(errors).toEqual([]);
    expect(e.sdk.isSignedIn).toBe(true);
    // A refresh token the server revoked: that is an auth error.
    // The session is revoked server-side (e.g. the user disconnected the app elsewhere).
    expect((await api("POST", "/token/revoke", { refresh_token: e.tokens.refresh_token }, { "Content-Type": "application/json" })).status).toBe(204);
    const f = e.restart({ faults: [] });
    await f.sdk.configure({ host: f.host });
    f.sdk.authErrorStream.listen((x) => errors.push(x));
    expect(await f.sdk.auth.refresh(f.sdk.auth.credentials!.accessToken)).toBe("authFailure");
    expect(errors).toEqual([{ statusCode: 401, message: "Unauthorized - please re-authenticate" }]);
  });
});

describe("server faults", () => {
  it("backs off on 500 and 429 (honouring Retry-After) and survives timeouts without losing data", async () => {
    const d = await run({ faults: [
      { path: "/sync", nth: 1, times: 2, action: { kind: "status", status: 500 } },
      { path: "/sync", nth: 3, action: { kind: "status", status: 429, headers: { "Retry-After": "7" } } },
      { path: "/sync", nth: 5, action: { kind: "timeout" } },
    ] }, [HealthDataType.heartRate, HealthDataType.steps]);
    await d.sdk.syncNow();
    expect(d.clock.sleeps.some((ms) => ms >= 7_000)).toBe(true);
    expect(d.clock.sleeps.filter((ms) => ms < 7_000).length).toBeGreaterThanOrEqual(2);
    expect((await d.sdk.getSyncStatus()).initialExportDone).toBe(true);
    const base = await run({}, [HealthDataType.heartRate, HealthDataType.steps]);
    base.clock.t = d.clock.t;
    await base.sdk.syncNow();
    expect(d.tap.saved().records).toBe(base.tap.saved().records);
  });

  it("pauses after its attempt budget, keeps the chunk, and schedules the retry", async () => {
    const d = await run({ faults: [{ path: "/sync", times: 100, action: { kind: "refused" } }] }, [HealthDataType.heartRate]);
    await d.sdk.startBackgroundSync();
    await d.sdk.whenIdle();
    const st = await d.sdk.getSyncStatus();
    expect(st).toMatchObject({ pendingChunk: true, hasResumableSession: true, lastError: "network error", initialExportDone: false });
    expect(d.scheduler.tasks.get("ow.sync.retry")?.kind).toBe("once");
    d.net.faults = [];
    await d.scheduler.tasks.get("ow.sync.retry")!.run();
    expect((await d.sdk.getSyncStatus()).initialExportDone).toBe(true);
  });
});

describe("sign-out and isolation", () => {
  it("revokes the refresh token on the server and wipes local state; another user starts clean", async () => {
    const d = await run({}, [HealthDataType.heartRate]);
    await d.sdk.syncNow();
    const refresh = d.sdk.auth.credentials!.refreshToken!;
    expect((await d.kv.keys(`ow.sync.${d.userId}`)).length).toBeGreaterThan(0);
    await d.sdk.signOut();
    expect(d.tap.exchanges.find((e) => e.path.endsWith("/token/revoke"))?.status).toBe(204);
    expect((await refreshWith(refresh)).status).toBe(401);
    expect(await d.kv.keys(`ow.sync.`)).toEqual([]);
    expect([...(d.secure as MemoryKeyValueStore).data.keys()]).toEqual([]);
    expect(d.sdk.status).toBe("configured");
    // Next user on the same phone: a full export of their own, nothing inherited.
    const other = await createUser();
    const t = await mintTokens(other);
    await d.sdk.signIn({ userId: other, accessToken: t.access_token, refreshToken: t.refresh_token });
    await d.sdk.requestAuthorization({ types: [HealthDataType.heartRate] });
    const before = d.tap.syncs().length;
    await d.sdk.syncNow();
    const mine = d.tap.syncs().slice(before);
    expect(mine.every((e) => e.path.includes(other))).toBe(true);
    expect(mine.reduce((n, e) => n + e.response.records_saved, 0)).toBe(d.tap.syncs().slice(0, before).reduce((n, e) => n + e.response.records_saved, 0));
  });
});
