import { describe, expect, it } from "vitest";
import { buildSleepSessions, type SleepStage } from "../../src/ingest/index";
import { IOS_SOURCES, iosBatch, isoSec, normalized, samsungBatch, type Item } from "./fixtures";

const NIGHT = Date.UTC(2026, 1, 20, 22, 0, 0);
const NOW = NIGHT + 10 * 86_400_000;
const MIN = 60_000;

/** Stages of one source from [stage, fromMin, toMin] triples relative to `base`. */
function stages(spec: [string, number, number][], base = NIGHT, source: Item = IOS_SOURCES.watch, zoneOffset: string | null = null): SleepStage[] {
  const sleep = spec.map(([stage, a, b], i) => ({
    id: `S${i}`, parentId: null, stage, startDate: isoSec(base + a * MIN), endDate: isoSec(base + b * MIN), zoneOffset, source, values: null, metadata: null,
  }));
  return normalized({ provider: "apple", data: { sleep } }, NOW).sleepStages;
}

describe("buildSleepSessions", () => {
  it("builds the iOS night: stage totals, time in bed from in_bed, efficiency, hypnogram", () => {
    const b = normalized(iosBatch({ start: NIGHT, sleepNights: 1 }), NOW);
    const [s, ...rest] = buildSleepSessions(b.sleepStages);
    expect(rest).toEqual([]);
    expect(s!.details).toMatchObject({
      total_sleep_minutes: 455, time_in_bed_minutes: 480, efficiency_percent: 94.79, is_nap: false,
      stages: { awake: 15, sleeping: 0, light: 255, deep: 100, rem: 100 },
      deep_minutes: 100, rem_minutes: 100, light_minutes: 255, awake_minutes: 15,
    });
    expect(s!.details.hypnogram[0]).toEqual({ stage: "awake", start: "2026-02-20T22:00:00Z", end: "2026-02-20T22:10:00Z" });
    expect(s!.details.hypnogram.map((h) => h.stage)).not.toContain("in_bed");
    expect(s!.details.hypnogram.map((h) => h.stage)).not.toContain("sleeping"); // wrapper dropped when detailed
    expect(s!.startAt).toBe(NIGHT);
    expect(s!.endAt).toBe(NIGHT + 470 * MIN);
    expect(s!.key).toBe(`${s!.sourceKey}|sleep|${s!.startAt}|${s!.endAt}`);
  });

  it("reference pin: light 45 + deep 155 + rem 45 + awake 10 → 245 min asleep", () => {
    const [s] = buildSleepSessions(stages([["light", 0, 45], ["deep", 45, 200], ["rem", 200, 245], ["awake", 245, 255]]));
    expect(s!.details).toMatchObject({ total_sleep_minutes: 245, time_in_bed_minutes: 255, efficiency_percent: 96.08 });
  });

  it("reference pin: legacy `sleeping` stages 50 + 53 + 43 min", () => {
    const [s] = buildSleepSessions(stages([["sleeping", 0, 50], ["sleeping", 60, 113], ["sleeping", 120, 163]]));
    expect(s!.details.stages).toMatchObject({ sleeping: 146, deep: 0, light: 0, rem: 0 });
    expect(s!.details.total_sleep_minutes).toBe(146);
  });

  it("reference pin: only in_bed 22:30 → 06:00 counts as sleep", () => {
    const [s] = buildSleepSessions(stages([["in_bed", 30, 480]]));
    expect(s!.details).toMatchObject({ total_sleep_minutes: 450, time_in_bed_minutes: 450, efficiency_percent: 100 });
    expect(s!.details.hypnogram).toEqual([{ stage: "sleeping", start: "2026-02-20T22:30:00Z", end: "2026-02-21T06:00:00Z" }]);
  });

  it("clips overlapping stages so no minute counts twice", () => {
    const [s] = buildSleepSessions(stages([["light", 0, 60], ["deep", 30, 90], ["rem", 40, 50], ["awake", 70, 90]]));
    expect(s!.details.stages).toMatchObject({ light: 60, deep: 30, rem: 0 });
    expect(s!.details.hypnogram.map((h) => h.stage)).toEqual(["light", "deep"]);
  });

  it("splits sessions on gaps over 120 minutes and keeps within-gap stages together", () => {
    const sessions = buildSleepSessions(stages([["light", 0, 60], ["deep", 180, 240], ["light", 361, 400]]));
    expect(sessions.map((s) => [s.startAt, s.endAt])).toEqual([[NIGHT, NIGHT + 240 * MIN], [NIGHT + 361 * MIN, NIGHT + 400 * MIN]]);
  });

  it("awake/unknown never open a session but belong to one within the gap, before or after", () => {
    const sessions = buildSleepSessions(stages([["awake", -20, -10], ["light", 0, 60], ["awake", 60, 70], ["awake", 400, 410], ["unknown", 500, 510]]));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.details.stages.awake).toBe(20);
    expect(sessions[0]!.startAt).toBe(NIGHT - 20 * MIN);
  });

  it("is the same whatever the batch split, order or duplicates", () => {
    const night = normalized(samsungBatch({ start: NIGHT, sleepNights: 2 }), NOW).sleepStages;
    const resent = normalized(samsungBatch({ start: NIGHT, sleepNights: 2, idSalt: "again" }), NOW).sleepStages;
    const expected = buildSleepSessions(night);
    expect(expected).toHaveLength(2);
    const shuffled = [...resent.slice(5), ...night.slice(3, 9), ...resent.slice(0, 5), ...night.slice(0, 3).reverse(), ...night.slice(9)];
    expect(buildSleepSessions(shuffled)).toEqual(buildSleepSessions([...shuffled].reverse())); // ids included
    expect(buildSleepSessions([...night].reverse())).toEqual(expected);
    expect(buildSleepSessions(shuffled).map((s) => [s.key, s.details])).toEqual(expected.map((s) => [s.key, s.details]));
  });

  it("groups per source: two devices the same night give two sessions", () => {
    const a = stages([["light", 0, 100]]);
    const b = stages([["deep", 0, 100]], NIGHT, { ...IOS_SOURCES.watch, deviceModel: "Watch6,1" });
    const sessions = buildSleepSessions([...b, ...a]);
    expect(sessions).toHaveLength(2);
    expect(new Set(sessions.map((s) => s.sourceKey)).size).toBe(2);
  });

  it("marks short daytime sleep as a nap (local time when the zone is known)", () => {
    const noon = Date.UTC(2026, 1, 21, 12, 0, 0);
    expect(buildSleepSessions(stages([["light", 0, 40]], noon, IOS_SOURCES.watch, "+01:00"))[0]!.details.is_nap).toBe(true);
    expect(buildSleepSessions(stages([["light", 0, 40]], noon, IOS_SOURCES.watch, "-10:00"))[0]!.details.is_nap).toBe(false); // 02:00 local
    expect(buildSleepSessions(stages([["light", 0, 400]], noon))[0]!.details.is_nap).toBe(false);
  });

  it("has null efficiency and no session for awake-only data", () => {
    expect(buildSleepSessions(stages([["awake", 0, 30]]))).toEqual([]);
    expect(buildSleepSessions([])).toEqual([]);
  });
});
