import { describe, expect, it } from "vitest";
import { MemoryKeyValueStore } from "../../src/adapters/memory";
import { AuthSession } from "../../src/core/auth";
import { backoffDelay, classifyStatus, parseRetryAfter } from "../../src/core/backoff";
import { ChunkBuilder } from "../../src/core/chunk-builder";
import { parseConnectLink } from "../../src/core/deep-link";
import { EventStream, Logger } from "../../src/core/events";
import { isoSeconds, zoneOffsetString } from "../../src/core/payload";
import { mappingFor } from "../../src/core/platforms";
import { isPlausible } from "../../src/core/timestamp-sanity";
import { Uploader } from "../../src/core/uploader";
import type { HttpRequest } from "../../src/ports/http";
import { SimulatedHealthStore } from "../../src/simulator/simulated-store";
import { FakeClock } from "../support/fakes";

describe("response policy", () => {
  it("classifies statuses as the reference recommends", () => {
    expect([200, 202, 401, 413, 408, 429, 500, 503, 400, 403, 404, 422].map(classifyStatus)).toEqual(
      ["success", "success", "unauthorized", "tooLarge", "retry", "retry", "retry", "retry", "reject", "reject", "reject", "reject"]);
  });
  it("backs off exponentially with jitter, never below Retry-After, capped", () => {
    const p = { baseMs: 1000, maxMs: 60_000, maxAttemptsPerPass: 5 };
    expect(backoffDelay(p, 1, null, () => 0)).toBe(500);
    expect(backoffDelay(p, 3, null, () => 0.999)).toBeLessThanOrEqual(4000);
    expect(backoffDelay(p, 30, null, () => 0.999)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(p, 1, 30_000, () => 0)).toBe(30_000);
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
  });
});

describe("timestamps and formats", () => {
  it("rejects implausible timestamps (reference tests: now+5 min ok, +1 ms more not; 0 ok, -1 not)", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(isPlausible(now + 300_000, null, now)).toBe(true);
    expect(isPlausible(now + 300_001, null, now)).toBe(false);
    expect(isPlausible(0, 0, now)).toBe(true);
    expect(isPlausible(-1, null, now)).toBe(false);
    expect(isPlausible(now, Date.UTC(2105, 0, 1), now)).toBe(false);
  });
  it("formats dates with second precision and Java-style zone offsets", () => {
    expect(isoSeconds(Date.UTC(2026, 1, 24, 10, 0, 0, 999))).toBe("2026-02-24T10:00:00Z");
    expect([0, 3600, -19800, null].map(zoneOffsetString)).toEqual(["Z", "+01:00", "-05:30", null]);
  });
});

describe("deep links", () => {
  it("parses the PWA hand-off with the code in the fragment (never sent to a server)", () => {
    expect(parseConnectLink("myapp://connect?host=https%3A%2F%2Fapi.example.com#k7mpq2xa")).toEqual({ host: "https://api.example.com", code: "K7MPQ2XA" });
    expect(parseConnectLink("myapp://connect?host=https%3A%2F%2Fapi.example.com#code=K7MPQ2XA")).toEqual({ host: "https://api.example.com", code: "K7MPQ2XA" });
    expect(parseConnectLink("https://api.example.com/connect#K7MPQ2XA")).toEqual({ host: "https://api.example.com", code: "K7MPQ2XA" });
    expect(parseConnectLink("https://links.acme.example/ow/connect?host=https%3A%2F%2Fapi.example.com#K7MPQ2XA")).toEqual({ host: "https://api.example.com", code: "K7MPQ2XA" });
    expect(parseConnectLink("myapp:///connect?host=https%3A%2F%2Fapi.example.com#K7MPQ2XA")).toEqual({ host: "https://api.example.com", code: "K7MPQ2XA" });
    // The fragment wins over a stale query code; an empty fragment falls back to the query.
    expect(parseConnectLink("https://api.example.com/connect?code=AAAAAAAA#K7MPQ2XA")?.code).toBe("K7MPQ2XA");
    expect(parseConnectLink("https://api.example.com/connect?code=K7MPQ2XA#")?.code).toBe("K7MPQ2XA");
    expect(parseConnectLink("myapp://connect?host=https%3A%2F%2Fapi.example.com#")).toBeNull();
    expect(parseConnectLink("myapp://settings?host=https%3A%2F%2Fapi.example.com#K7MPQ2XA")).toBeNull();
  });

  it("still parses the older query form (links already sent, Android intent: URLs) and refuses anything else", () => {
    expect(parseConnectLink("myapp://connect?host=https%3A%2F%2Fapi.example.com&code=k7mpq2xa")).toEqual({ host: "https://api.example.com", code: "K7MPQ2XA" });
    expect(parseConnectLink("https://api.example.com/connect?code=K7MPQ2XA")).toEqual({ host: "https://api.example.com", code: "K7MPQ2XA" });
    expect(parseConnectLink("myapp://settings?code=K7MPQ2XA&host=https%3A%2F%2Fx")).toBeNull();
    expect(parseConnectLink("myapp://connect?host=javascript%3Aalert(1)&code=K7MPQ2XA")).toBeNull();
    expect(parseConnectLink("https://api.example.com/connect")).toBeNull();
  });
});

describe("chunking", () => {
  it("caps chunks by item count and by bytes, and advances anchors page by page", async () => {
    const now = Date.UTC(2026, 5, 1);
    const store = new SimulatedHealthStore({ device: "ios", now: () => now, historyDays: 2, profile: "heavy" });
    const keys = mappingFor("healthkit").readKeys(["heartRate", "steps", "sleep"]);
    await store.requestAuthorization(keys);
    const builder = new ChunkBuilder(store, mappingFor("healthkit"), () => now);
    const byCount = await builder.build(keys, {}, null, { maxItems: 300, maxBytes: 10_000_000 }, 0);
    expect(byCount.itemCount).toBeLessThanOrEqual(300);
    expect(byCount.itemCount).toBeGreaterThan(250);
    expect(Object.keys(byCount.perKey).length).toBe(3); // every type progresses in every chunk
    const byBytes = await builder.build(keys, {}, null, { maxItems: 5000, maxBytes: 50_000 }, 0);
    expect(byBytes.bytes).toBeLessThanOrEqual(50_000);
    expect(byBytes.itemCount).toBeGreaterThan(20);
    const next = await builder.build(keys, byCount.anchors, null, { maxItems: 300, maxBytes: 10_000_000 }, 1);
    const first = new Set(byCount.items.records);
    expect(next.items.records.some((r) => first.has(r))).toBe(false);
  });
});

describe("refused batches", () => {
  it("bisects a 400 down to the bad item and dead-letters only it", async () => {
    const seen: number[] = [];
    const http = async (req: HttpRequest) => {
      const body = JSON.parse(new TextDecoder().decode(req.body));
      seen.push(body.data.records.length);
      const bad = body.data.records.some((r: { id: string }) => r.id === "bad");
      return { status: bad ? 400 : 202, headers: {}, body: "{}" };
    };
    const clock = new FakeClock(0);
    const logger = new Logger(() => undefined, true);
    const auth = new AuthSession(new MemoryKeyValueStore(), http, clock, logger, new EventStream(), () => "http://x/api/v1");
    await auth.save({ userId: "u", accessToken: "a", refreshToken: "r", apiKey: null });
    const up = new Uploader({ auth, clock, gzip: null, kv: new MemoryKeyValueStore(), logger, backoff: { baseMs: 1, maxMs: 1, maxAttemptsPerPass: 2 },
      random: () => 0, timeoutMs: 1000, isCancelled: () => false, sleep: async () => undefined });
    const records = Array.from({ length: 8 }, (_, i) => ({ id: i === 5 ? "bad" : `ok${i}` }));
    const result = await up.deliver("http://x/api/v1/sdk/users/u/sync", JSON.stringify({ provider: "apple", sdkVersion: "t", syncTimestamp: "x", data: { records, sleep: [], workouts: [] } }));
    expect(result).toMatchObject({ ok: true, deadLettered: 1 });
    expect(seen).toEqual([8, 4, 4, 2, 1, 1, 2]);
  });
});
