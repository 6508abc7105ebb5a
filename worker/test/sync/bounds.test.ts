/**
 * Poison batches (issue 10 §1/§2): over-long and malformed items mixed into valid SDK batches never turn the upload
 * into a 5xx; the valid items are stored, everything kept about the batch stays bounded. Property-style: seeded
 * random mixes, plus the attacks that used to break it (3 MB id, 3 MB source.deviceName, 50 invalid records with
 * 60 KB ids).
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { healthConnectBatch, iosBatch, normalized, samsungBatch, type Item, type SdkEnvelope } from "../ingest/fixtures";
import { ADMIN, api, signedInUser } from "../setup/harness";
import { LIMITS, MAX_SOURCES_PER_USER } from "../../src/ingest/limits";
import { loadSources } from "../../src/data/source-metadata";
import { OUTBOX_KEYS_PER_ROW, addToOutbox, dueEntries, entryOf } from "../../src/data/webhook-outbox";
import { upload } from "./sync-helpers";

const START = Date.UTC(2026, 5, 1, 6, 0, 0);
const stubOf = (userId: string) => env.USER_DATA.get(env.USER_DATA.idFromName(userId));
const inObject = <T>(userId: string, fn: (sql: SqlStorage) => T) =>
  runInDurableObject(stubOf(userId), (_i, state) => fn(state.storage.sql));
const count = (userId: string, table: string) =>
  inObject(userId, (sql) => sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n);
/** The longest value stored in any column of the user's object (the SQLite/DO limit is 2 MB per value). */
const longestValue = (userId: string) => inObject(userId, (sql) => {
  let max = 0;
  for (const t of ["sources", "samples", "events", "sleep_stages", "sync_runs", "webhook_outbox", "webhook_outbox_parts"]) {
    const cols = sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('${t}')`).toArray().map((c) => c.name);
    const expr = cols.map((c) => `COALESCE(LENGTH(${c}), 0)`).join(", ");
    const m = sql.exec<{ n: number | null }>(`SELECT MAX(MAX(${expr}, 0)) AS n FROM ${t}`).one().n ?? 0;
    max = Math.max(max, m);
  }
  return max;
});

const MB3 = "x".repeat(3 * 1024 * 1024);
const KB60 = "y".repeat(60 * 1024);

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ways to spoil a valid item: over-long strings in every field, wrong kinds, junk values. */
function spoilers(big: string): ((it: Item) => unknown)[] {
  return [
    (it) => ({ ...it, id: big }),
    (it) => ({ ...it, parentId: big }),
    (it) => ({ ...it, type: big }),
    (it) => ({ ...it, unit: big }),
    (it) => ({ ...it, stage: big }),
    (it) => ({ ...it, startDate: big }),
    (it) => ({ ...it, zoneOffset: big }),
    (it) => ({ ...it, value: big }),
    (it) => ({ ...it, title: big, notes: big }),
    (it) => ({ ...it, source: { ...(it.source as Item | null ?? {}), deviceName: big } }),
    (it) => ({ ...it, source: { ...(it.source as Item | null ?? {}), appId: big, version: big } }),
    (it) => ({ ...it, source: { ...(it.source as Item | null ?? {}), operatingSystemVersion: { majorVersion: big } } }),
    (it) => ({ ...it, values: [{ type: big, value: 1, unit: "m" }] }),
    (it) => ({ ...it, values: [{ type: "distance", value: 1, unit: big }] }),
    (it) => ({ ...it, startDate: null }),
    (it) => ({ ...it, endDate: "2026-02-30T00:00:00Z" }),
    (it) => ({ ...it, value: "NaN" }),
    (it) => ({ ...it, source: 42 }),
    (it) => ({ ...it, values: "not a list" }),
    () => null,
    () => 17,
    () => [big],
    () => big,
    () => ({}),
  ];
}

const BUILDERS = [iosBatch, healthConnectBatch, samsungBatch];

describe("poison batches: bad items are rejected alone, never a 5xx", () => {
  it("a 3 MB id, a 3 MB source.deviceName, 50 invalid records with 60 KB ids: 202, valid items stored, rows bounded", async () => {
    const { user, tokens } = await signedInUser();
    let stored = 0;
    // One poison per upload: the body cap (4 MB) holds one 3 MB string.
    const poisons: ((first: Item) => Item[])[] = [
      (first) => [{ ...first, id: MB3 }],
      (first) => [{ ...first, source: { ...(first.source as Item), deviceName: MB3 } }],
      (first) => Array.from({ length: 50 }, (_, i) => ({ ...first, id: `${KB60}${i}`, value: "not a number" })),
    ];
    for (const [k, poison] of poisons.entries()) {
      const body = iosBatch({ start: START + k * 86_400_000, records: 40, workouts: 1, sleepNights: 1, idSalt: `p${k}` });
      const valid = normalized(body, Date.now());
      const bad = poison(body.data.records[0]!);
      body.data.records.push(...bad);
      const res = await upload(user.id, tokens, body);
      expect(res.status).toBe(202);
      expect(res.json.records_saved).toBe(valid.samples.length);
      expect(res.json.dropped_count).toBe(bad.length);
      expect(res.json.rejected[0]).toMatchObject({ reason: "field_too_long", index: 40 });
      expect(res.json.rejected.every((r: { id: string | null }) => (r.id ?? "").length <= LIMITS.id)).toBe(true);
      expect(JSON.stringify(res.json).length).toBeLessThan(40_000);
      stored += valid.samples.length;
    }
    expect(await count(user.id, "samples")).toBe(stored);
    expect(await longestValue(user.id)).toBeLessThan(64 * 1024);
    const runs = await api.get(`/users/${user.id}/sync/runs`, { headers: ADMIN });
    expect(runs.status).toBe(200);
    expect(runs.json.data[0]).toMatchObject({ status: "partial", counts: { dropped_count: 50 } });
    expect(runs.json.data[0].rejected_sample).toHaveLength(50);
  });

  it("an absurd provider or sdkVersion: a short 400 or a stored batch, never a 500", async () => {
    const { user, tokens } = await signedInUser();
    const bad = await upload(user.id, tokens, { provider: MB3, data: {} });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json).length).toBeLessThan(200);
    const body = iosBatch({ start: START, records: 5 });
    const ok = await upload(user.id, tokens, { ...body, sdkVersion: MB3, syncTimestamp: "x".repeat(65) });
    expect(ok.status).toBe(202);
    expect(ok.json.records_saved).toBeGreaterThan(0);
    expect(await longestValue(user.id)).toBeLessThan(64 * 1024);
  });

  it("random mixes of spoiled and valid items (seeded, 3 platforms): always 202, exactly the valid items stored", async () => {
    const random = rng(20261126);
    const { user, tokens } = await signedInUser();
    let stored = 0;
    for (let round = 0; round < 9; round++) {
      const build = BUILDERS[round % 3]!;
      const body: SdkEnvelope = build({ start: START + round * 8 * 86_400_000, records: 60, workouts: 2, sleepNights: 1, idSalt: `r${round}` });
      const valid = normalized(body, Date.now());
      // One 3 MB string in every third round (the body cap is 4 MB), just-over-the-limit ones otherwise.
      const huge = spoilers(MB3);
      const over = spoilers("z".repeat(LIMITS.notes + 1));
      let spoiled = 0;
      for (const name of ["records", "workouts", "sleep"] as const) {
        const list = body.data[name] as unknown[];
        const n = Math.floor(random() * 8) + 1;
        for (let k = 0; k < n && list.length; k++) {
          const template = list[Math.floor(random() * list.length)] as Item;
          const spoil = round % 3 === 0 && spoiled === 0 ? huge : over;
          const item = spoil[Math.floor(random() * spoil.length)]!(template);
          list.splice(Math.floor(random() * (list.length + 1)), 0, item);
          spoiled++;
        }
      }
      const res = await upload(user.id, tokens, body);
      expect(res.status, `round ${round}: ${JSON.stringify(res.json)?.slice(0, 300)}`).toBe(202);
      // Spoiled copies of valid items are dropped or collapse into unknown types / duplicates; the valid ones all land.
      expect(res.json.records_saved).toBe(valid.samples.length);
      expect(res.json.workouts_saved).toBe(valid.workouts.length);
      expect(res.json.sleep_saved).toBe(valid.sleepStages.length);
      expect(valid.droppedCount).toBe(0);
      expect(res.json.dropped_count).toBeLessThanOrEqual(spoiled);
      expect(res.json.dropped_count).toBeGreaterThan(0);
      stored += valid.samples.length;
    }
    expect(await count(user.id, "samples")).toBe(stored);
    expect(await longestValue(user.id)).toBeLessThan(64 * 1024);
    expect((await api.get(`/users/${user.id}/sync/runs?limit=20`, { headers: ADMIN })).status).toBe(200);
    expect((await api.get(`/users/${user.id}/data-sources`, { headers: ADMIN })).status).toBe(200);
  });
});

describe("sources per user are bounded, cached and paginated", () => {
  it("admits up to the bound, rejects items of new sources past it (too_many_sources), pages through data-sources", async () => {
    const { user, tokens } = await signedInUser();
    const body = iosBatch({ start: START, records: 1 });
    const template = body.data.records[0]!;
    const n = MAX_SOURCES_PER_USER + 5;
    body.data.records = Array.from({ length: n }, (_, i) => ({
      ...template, id: `R${i}`, source: { ...(template.source as Item), deviceId: `device-${i}` },
    }));
    const res = await upload(user.id, tokens, body);
    expect(res.status).toBe(202);
    expect(res.json.records_saved).toBe(MAX_SOURCES_PER_USER);
    expect(res.json.dropped_count).toBe(5);
    expect(new Set(res.json.rejected.map((r: { reason: string }) => r.reason))).toEqual(new Set(["too_many_sources"]));
    expect(await count(user.id, "sources")).toBe(MAX_SOURCES_PER_USER);

    // Known sources keep working; a new one is refused.
    const next = iosBatch({ start: START + 86_400_000, records: 1 });
    const known = { ...next.data.records[0]!, source: { ...(template.source as Item), deviceId: "device-0" } };
    const fresh = { ...next.data.records[0]!, id: "NEW", startDate: next.data.records[0]!.endDate, source: { ...(template.source as Item), deviceId: "brand-new" } };
    next.data.records = [known, fresh];
    const again = await upload(user.id, tokens, next);
    expect(again.json).toMatchObject({ records_saved: 1, dropped_count: 1, rejected: [{ id: "NEW", reason: "too_many_sources" }] });

    // Default page: the reference's items/total plus the {data, pagination} envelope.
    const first = await api.get(`/users/${user.id}/data-sources`, { headers: ADMIN });
    expect(first.status).toBe(200);
    expect(first.json.total).toBe(MAX_SOURCES_PER_USER);
    expect(first.json.items).toHaveLength(100);
    expect(first.json.data).toEqual(first.json.items);
    expect(first.json.pagination).toMatchObject({ has_more: true, total_count: MAX_SOURCES_PER_USER });
    const seen = new Set<number>(first.json.data.map((s: { id: number }) => s.id));
    let cursor: string | null = first.json.pagination.next_cursor;
    while (cursor) {
      const page = await api.get(`/users/${user.id}/data-sources?limit=400&cursor=${cursor}`, { headers: ADMIN });
      expect(page.status).toBe(200);
      for (const s of page.json.data) seen.add(s.id);
      cursor = page.json.pagination.next_cursor;
    }
    expect(seen.size).toBe(MAX_SOURCES_PER_USER);
    for (const q of ["cursor=garbage!", "limit=0", "limit=5000", `cursor=${btoa("-1")}`]) {
      const bad = await api.get(`/users/${user.id}/data-sources?${q}`, { headers: ADMIN });
      expect(bad.status, q).toBe(400);
      expect(bad.json.detail).toBeTruthy();
    }
  });

  it("a small user's default response is unchanged in shape (items, total)", async () => {
    const { user, tokens } = await signedInUser();
    await upload(user.id, tokens, iosBatch({ start: START, records: 34 }));
    const res = await api.get(`/users/${user.id}/data-sources`, { headers: ADMIN });
    expect(res.json.total).toBe(4);
    expect(res.json.items).toHaveLength(4);
    expect(res.json.pagination).toMatchObject({ has_more: false, next_cursor: null });
  });
});

describe("parsed sources are cached per object", () => {
  it("reads reuse one parse until an upload adds a source", async () => {
    const { user, tokens } = await signedInUser();
    await upload(user.id, tokens, iosBatch({ start: START, records: 34 }));
    const [a, b] = await inObject(user.id, (sql) => [loadSources(sql), loadSources(sql)]);
    expect(a).toBe(b);
    expect(a!.size).toBe(4);
    const more = iosBatch({ start: START + 86_400_000, records: 1 });
    more.data.records[0]!.source = { ...(more.data.records[0]!.source as Item), deviceId: "another" };
    await upload(user.id, tokens, more);
    const c = await inObject(user.id, (sql) => loadSources(sql));
    expect(c.size).toBe(5);
  });
});

describe("outbox rows stay bounded", () => {
  it("splits a large batch's keys into parts rows and reassembles them", async () => {
    const { user } = await signedInUser();
    const n = OUTBOX_KEYS_PER_ROW * 2 + 7;
    const samples = Array.from({ length: n }, (_, i) => [1, START + i * 1000, 1] as [number, number, number]);
    const workouts = Array.from({ length: OUTBOX_KEYS_PER_ROW + 1 }, (_, i) => `w-${i}`);
    await inObject(user.id, (sql) => {
      addToOutbox(sql, "run-big", user.id, null, {
        provider: "apple",
        result: { kind: "stored", status: "success", message: "m", itemsProcessed: n, connection: false, samples, workouts, sleep: [] },
      }, 0);
      const rows = dueEntries(sql, 1);
      expect(rows).toHaveLength(1);
      const parts = sql.exec<{ n: number; longest: number }>(`SELECT COUNT(*) AS n, MAX(LENGTH(written)) AS longest FROM webhook_outbox_parts`).one();
      expect(parts.n).toBe(2);
      expect(parts.longest).toBeLessThan(512 * 1024);
      expect(rows[0]!.written.length).toBeLessThan(512 * 1024);
      const entry = entryOf(sql, rows[0]!);
      expect(entry.result.kind === "stored" && entry.result.samples).toEqual(samples);
      expect(entry.result.kind === "stored" && entry.result.workouts).toEqual(workouts);
    });
  });
});
