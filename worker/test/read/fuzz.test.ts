import { beforeAll, describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { ADMIN, call, signedInUser } from "../setup/harness";
import { upload } from "../sync/sync-helpers";

/**
 * The read API never answers 5xx to bad input (issue 10 §3): seeded random queries over every read endpoint mix
 * valid values with garbage (repeated and unknown types, out-of-range dates, forged cursors, absurd limits, long
 * and odd strings). Every answer is 2xx, or a 4xx with a readable `{"detail": string}`.
 */

const b64 = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIMES = [
  "2026-11-01", "2026-11-01T00:00:00Z", "2026-11-05T12:30:00+02:00", "1762000000", "1762000000.5", "0", "-1",
  "nan", "inf", "-inf", "1e400", "-1e20", "99999999999999999999", "8.64e12", "0000-01-01", "0001-01-01", "9999-12-31",
  "10000-01-01", "275760-09-13", "-271821-04-20", "2026-02-30", "2026-13-01", "2026-11-01T25:00:00Z", "yesterday", "",
  " ", "2026-11-01T00:00:00+99:99", "x".repeat(5000), "２０２６-11-01", "2026-11-01\u0000", "%00", "[]", "{}",
];
const LIMITS = ["1", "50", "100", "400", "1000", "10000", "0", "-1", "1e3", "1e400", "NaN", "Infinity", "abc", "1.5", "", "99999999999999999999999", "0x10"];
const CURSORS = [
  "", "%%%", "abc", "====", "x".repeat(600), b64("1|2|3|n"), b64("1|2|3|p"), b64("9e99|1|1|n"), b64("-1|-1|-1|p"),
  b64("1700000000000|6c1f3f0e-0000-4000-8000-000000000000|n"), b64("1700000000000|' OR 1=1 --|p"), b64("2026-11-01|n"),
  b64("9999-99-99|p"), "2026-11-01", "0000-00-00", b64("\u00ff\u00fe"), b64("1|2"), b64("a|b|c|d|e|f"), b64("||||"),
  b64("99999999999999999999999999|1|2|n"), b64("1700000000000|x|q"), b64(`${"9".repeat(400)}|a|n`),
];
const TYPES = ["heart_rate", "steps", "heart_rate,steps", "mood", "", ",,,", "HEART_RATE", "x".repeat(5000), "heart_rate ", "%27"];
const WORDS = ["asc", "desc", "raw", "1min", "5min", "1hour", "2min", "true", "false", "yes", "sleep", "apple", "mood", "RUN", "%", "_", "\\"];

type Spec = { path: string; params: Record<string, readonly string[]> };

function specs(userId: string): Spec[] {
  const range = (a: string, b: string) => ({ [a]: TIMES, [b]: TIMES });
  return [
    { path: `/users/${userId}/timeseries`, params: { ...range("start_time", "end_time"), types: TYPES, resolution: WORDS, cursor: CURSORS, limit: LIMITS } },
    { path: `/users/${userId}/events/workouts`, params: { ...range("start_date", "end_date"), record_type: WORDS, cursor: CURSORS, limit: LIMITS } },
    { path: `/users/${userId}/events/sleep`, params: { ...range("start_date", "end_date"), filter_by_priority: WORDS, cursor: CURSORS, limit: LIMITS } },
    { path: `/users/${userId}/events/menstrual-cycles`, params: { ...range("start_date", "end_date"), cursor: CURSORS, limit: LIMITS } },
    { path: `/users/${userId}/summaries/activity`, params: { ...range("start_date", "end_date"), sort_order: WORDS, cursor: CURSORS, limit: LIMITS } },
    { path: `/users/${userId}/summaries/sleep`, params: { ...range("start_date", "end_date"), sort_order: WORDS, cursor: CURSORS, limit: LIMITS } },
    { path: `/users/${userId}/summaries/recovery`, params: { ...range("start_date", "end_date"), cursor: CURSORS, limit: LIMITS } },
    { path: `/users/${userId}/summaries/body`, params: { average_period: LIMITS, latest_window_hours: LIMITS } },
    { path: `/users/${userId}/summaries/data`, params: range("start_date", "end_date") },
    { path: `/users/${userId}/health-scores`, params: { ...range("start_date", "end_date"), category: WORDS, provider: WORDS, limit: LIMITS, offset: LIMITS } },
    { path: `/users/${userId}/sync/runs`, params: { cursor: CURSORS, limit: LIMITS, envelope: WORDS } },
    { path: `/users/${userId}/sync/recent`, params: { limit: LIMITS } },
    { path: `/users/${userId}/data-sources`, params: {} },
    { path: `/users/${userId}/connections`, params: {} },
  ];
}

let userId: string;

beforeAll(async () => {
  const { user, tokens } = await signedInUser();
  userId = user.id;
  expect((await upload(userId, tokens, iosBatch({ start: Date.UTC(2026, 10, 1, 6), records: 30, workouts: 3, sleepNights: 2 }))).status).toBe(202);
});

async function expectNo5xx(url: string) {
  const res = await call("GET", url, { headers: ADMIN });
  expect(res.status, url.slice(0, 300)).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.json?.detail, url.slice(0, 300)).toBeTypeOf("string");
    expect(res.json.detail.length).toBeLessThan(1000);
  }
  return res.status;
}

describe("read API fuzz: bad input is a 4xx with a detail, never a 5xx", () => {
  it("random queries over every endpoint (seeded)", async () => {
    const rand = prng(20261126);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const statuses: Record<number, number> = {};
    for (const spec of specs(userId)) {
      for (let i = 0; i < 30; i++) {
        const q = new URLSearchParams();
        for (const [name, values] of Object.entries(spec.params)) {
          const r = rand();
          if (r < 0.1) continue; // missing
          const times = r > 0.93 ? 1 + Math.floor(rand() * 120) : 1; // repeated up to 120 times
          for (let k = 0; k < times; k++) {
            const v = pick(values);
            q.append(name, times > 1 && v.length > 100 ? v.slice(0, 100) : v);
          }
        }
        if (rand() < 0.1) q.append(pick(["bogus", "user_id", "limit"]), pick(LIMITS));
        const status = await expectNo5xx(`/api/v1${spec.path}?${q}`);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }
    // Both paths really ran.
    expect(statuses[200]).toBeGreaterThan(20);
    expect(statuses[400]).toBeGreaterThan(100);
  }, 90_000);

  it("the named attack inputs: 98 repeated types, dates beyond JavaScript's range, forged cursors, absurd limits", async () => {
    const base = `/api/v1/users/${userId}`;
    const many = Array.from({ length: 98 }, () => "types=heart_rate").join("&");
    expect(await expectNo5xx(`${base}/timeseries?start_time=2026-11-01&end_time=2026-11-02&${many}`)).toBe(200);
    const unknown = Array.from({ length: 98 }, (_, i) => `types=t${i}`).join("&");
    expect(await expectNo5xx(`${base}/timeseries?start_time=2026-11-01&end_time=2026-11-02&${unknown}`)).toBe(400);
    for (const t of ["275760-09-14", "-271821-04-19", "9e15", "-9e15", "1e308", "10000-01-01", "253402300800"]) {
      expect(await expectNo5xx(`${base}/timeseries?start_time=2026-11-01&end_time=${t}`), t).toBe(400);
      expect(await expectNo5xx(`${base}/summaries/activity?start_date=${t}&end_date=2026-11-02`), t).toBe(400);
    }
    expect(await expectNo5xx(`${base}/events/workouts?start_date=2026-11-05&end_date=2026-11-01`)).toBe(400);
    for (const c of CURSORS) {
      for (const p of ["/timeseries?start_time=2026-11-01&end_time=2026-11-02", "/events/workouts?start_date=2026-11-01&end_date=2026-11-30", "/summaries/sleep?start_date=2026-11-01&end_date=2026-11-30", "/sync/runs?limit=5"]) {
        await expectNo5xx(`${base}${p}${p.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(c)}`);
      }
    }
    for (const l of ["0", "10001", "1e400", "-5", "abc"]) {
      expect(await expectNo5xx(`${base}/timeseries?start_time=2026-11-01&end_time=2026-11-02&limit=${l}`), l).toBe(400);
    }
    expect(await expectNo5xx(`/api/v1/users/not-a-uuid/timeseries?start_time=2026-11-01&end_time=2026-11-02`)).toBe(400);
  }, 90_000);
});
