import { isoZ } from "../lib/time";
import { sleepScore, SLEEP_CONFIG } from "./sleep-score";

/**
 * Health scores derived from stored data (reference /health-scores): the internal sleep score of every main-sleep
 * session, computed on read from the session and the bedtimes of the 14 nights before it, so it always matches
 * the data (a deleted or rebuilt night changes its score). Newest first, offset pages with a total.
 */

const DAY_MS = 86_400_000;
const offsetMs = (zone: string | null) => {
  const m = zone && /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
};

type Row = { id: string; source_id: number; start_at: number; end_at: number; zone_offset: string | null; details: string };

/** A stable id per (score kind, session): the same night always has the same score id. */
async function scoreId(kind: string, eventId: string): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${kind}|${eventId}`))).slice(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8: custom
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function listHealthScores(sql: SqlStorage, q: { start: number | null; end: number | null; limit: number; offset: number }) {
  const start = q.start ?? Number.MIN_SAFE_INTEGER;
  const end = q.end ?? Number.MAX_SAFE_INTEGER;
  // Sessions scored (end in range) plus the 15 nights before the first, for bedtime history.
  const rows = sql.exec<Row>(
    `SELECT id, source_id, start_at, end_at, zone_offset, details FROM events
      WHERE category = 'sleep' AND end_at < ? AND end_at >= ? ORDER BY start_at`,
    end, Math.max(Number.MIN_SAFE_INTEGER, start - (SLEEP_CONFIG.rollingWindowNights + 2) * DAY_MS),
  ).toArray();
  const main = rows
    .map((r) => ({ ...r, d: JSON.parse(r.details) as Record<string, unknown> }))
    .filter((r) => !r.d.is_nap)
    .map((r) => ({ ...r, localStart: r.start_at + offsetMs(r.zone_offset) }))
    .map((r) => ({ ...r, night: Math.floor(r.localStart / DAY_MS) }));
  const scored = [];
  for (const target of main) {
    if (target.end_at < start) continue;
    // The reference: one bedtime per earlier night (the latest session that night), nights [target − 15, target).
    const history: number[] = [];
    const seen = new Set<number>();
    for (let i = main.length - 1; i >= 0 && history.length < SLEEP_CONFIG.rollingWindowNights; i--) {
      const h = main[i]!;
      if (h.night >= target.night) continue;
      if (h.night < target.night - (SLEEP_CONFIG.rollingWindowNights + 1)) break;
      if (!seen.has(h.night)) {
        seen.add(h.night);
        history.push(h.localStart);
      }
    }
    const d = target.d as { total_sleep_minutes?: number; deep_minutes?: number; rem_minutes?: number; awake_minutes?: number; hypnogram?: { stage: string; start: string; end: string }[] };
    const result = sleepScore({
      totalSleepMinutes: d.total_sleep_minutes ?? 0, deepMinutes: d.deep_minutes ?? 0, remMinutes: d.rem_minutes ?? 0,
      awakeMinutes: d.awake_minutes ?? 0, bedtime: target.localStart, history,
      stages: d.hypnogram?.map((s) => ({ stage: s.stage, start: Date.parse(s.start), end: Date.parse(s.end) })) ?? null,
    });
    if (!result) continue;
    scored.push({ target, result });
  }
  scored.sort((a, b) => b.target.end_at - a.target.end_at || (a.target.id < b.target.id ? 1 : -1));
  const page = scored.slice(q.offset, q.offset + q.limit);
  const data = await Promise.all(page.map(async ({ target, result }) => ({
    id: await scoreId("sleep", target.id),
    category: "sleep",
    value: result.overall,
    qualifier: null,
    recorded_at: isoZ(target.end_at),
    zone_offset: target.zone_offset,
    components: Object.fromEntries(Object.entries(result.parts).map(([k, v]) => [k, { value: v, qualifier: null }])),
    data_source_id: null,
    provider: "internal",
    sleep_record_id: target.id,
  })));
  return { data, total: scored.length };
}
