import { beforeAll, describe, expect, it } from "vitest";
import { IOS_SOURCES, isoSec, type Item } from "../ingest/fixtures";
import { ADMIN, api, signedInUser } from "../setup/harness";
import { upload } from "../sync/sync-helpers";

/**
 * The reference's internal sleep score, computed from stored nights. Expected numbers come from the reference's own
 * algorithm (backend/app/algorithms/sleep.py run on the same inputs) and were checked by hand:
 * A: 7.2 h → duration 100; deep 60/90 → 66, REM 110 → 100, stages 83; no history → consistency 0; one 8-min
 *    awakening inside the night (the 10-min awake blocks before onset and after the last stage do not count) →
 *    interruptions 100; overall ⌊0.4·1 + 0.2·0.83 + 0 + 0.2·1⌋ = 76.
 * B: 5.5 h → sigmoid 71; stages (66 + 77) / 2 = 71; bedtime 00:30 vs median 23:00 → 90 min late →
 *    100 − 75/105·100 = 28; overall ⌊0.284 + 0.142 + 0.056 + 0.2⌋ = 68.
 * C: same local night as B (Nov 3), so B is not its history: 23:15 vs 23:00 is within the 15-min grace → 100 overall.
 */

const MIN = 60_000;
const ZONE = "+01:00";
let userId: string;
const get = (path: string) => api.get(`/users/${userId}${path}`, { headers: ADMIN });

const night = (prefix: string, bedtime: number, stages: [string, number, number][]): Item[] =>
  stages.map(([stage, from, to], i) => ({
    id: `${prefix}-${i}`, parentId: null, stage, startDate: isoSec(bedtime + from * MIN), endDate: isoSec(bedtime + to * MIN),
    zoneOffset: ZONE, source: IOS_SOURCES.watch, values: null, metadata: null,
  }));

const A = Date.UTC(2026, 10, 1, 22, 0); // 23:00 local
const B = Date.UTC(2026, 10, 2, 23, 30); // 00:30 local, Nov 3
const C = Date.UTC(2026, 10, 3, 22, 15); // 23:15 local, Nov 3

beforeAll(async () => {
  const s = await signedInUser();
  userId = s.user.id;
  const sleep = [
    ...night("A", A, [["awake", 0, 10], ["light", 10, 130], ["deep", 130, 190], ["rem", 190, 250], ["awake", 250, 258], ["light", 258, 400], ["rem", 400, 450], ["awake", 450, 460]]),
    ...night("B", B, [["light", 0, 200], ["deep", 200, 260], ["rem", 260, 330]]),
    ...night("C", C, [["awake", 0, 5], ["light", 5, 100], ["awake", 100, 103], ["deep", 103, 223], ["rem", 223, 313], ["light", 313, 520]]),
  ];
  const res = await upload(userId, s.tokens, { provider: "apple", sdkVersion: "0.6.0", syncTimestamp: "2026-11-05T00:00:00Z", data: { records: [], workouts: [], sleep } });
  expect(res.status).toBe(202);
});

describe("health scores: the reference's internal sleep score", () => {
  it("scores each night from its stages and the bedtimes of the nights before, newest first", async () => {
    const sessions = (await get(`/events/sleep?start_date=2026-11-01&end_date=2026-11-05`)).json.data;
    expect(sessions.map((s: { sleep_duration_seconds: number }) => s.sleep_duration_seconds / 60)).toEqual([512, 330, 432]);
    const res = await get(`/health-scores`);
    expect(res.status).toBe(200);
    expect(res.json.pagination).toMatchObject({ total_count: 3, has_more: false });
    const scores = res.json.data.map((s: any) => [s.value, s.components.duration.value, s.components.stages.value, s.components.consistency.value, s.components.interruptions.value]);
    expect(scores).toEqual([[100, 100, 100, 100, 100], [68, 71, 71, 28, 100], [76, 100, 83, 0, 100]]);
    expect(res.json.data[2]).toMatchObject({
      category: "sleep", provider: "internal", qualifier: null, zone_offset: ZONE, sleep_record_id: sessions[2].id,
      recorded_at: sessions[2].end_time, id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // Stable ids: the same night has the same score id on every read.
    expect((await get(`/health-scores`)).json.data.map((s: { id: string }) => s.id)).toEqual(res.json.data.map((s: { id: string }) => s.id));
  });

  it("filters by range, category and provider, and pages by offset", async () => {
    const range = await get(`/health-scores?start_date=2026-11-02&end_date=2026-11-03`);
    expect(range.json.data.map((s: { value: number }) => s.value)).toEqual([68, 76]);
    const page = await get(`/health-scores?limit=1&offset=1`);
    expect(page.json.data.map((s: { value: number }) => s.value)).toEqual([68]);
    expect(page.json.pagination).toMatchObject({ total_count: 3, has_more: true });
    expect((await get(`/health-scores?category=recovery`)).json.data).toEqual([]);
    expect((await get(`/health-scores?provider=oura`)).json.data).toEqual([]);
    expect((await get(`/health-scores?provider=internal&category=sleep`)).json.data).toHaveLength(3);
  });

  it("a deleted night drops its score and is no longer history for the next", async () => {
    const sessions = (await get(`/events/sleep?start_date=2026-11-01&end_date=2026-11-05`)).json.data;
    expect((await api.delete(`/users/${userId}/events/sleep/${sessions[2].id}`, { headers: ADMIN })).status).toBe(204);
    const res = await get(`/health-scores`);
    // Without A, B and C have no earlier night: consistency 0.
    expect(res.json.data.map((s: any) => [s.value, s.components.consistency.value])).toEqual([[80, 0], [62, 0]]);
  });
});
