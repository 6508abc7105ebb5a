import { buildSleepSessions } from "../ingest";
import type { NormalizedBatch, NormalizedSample, NormalizedWorkout, SleepSession, SleepStage, SourceInfo } from "../ingest";
import { MAX_SOURCES_PER_USER } from "../ingest/limits";
import type { KnownSources } from "../ingest/source";
import { sourcesChanged } from "./source-metadata";

/** Writes one normalized batch into a user's SQLite database. Runs inside the object's transaction. */

export interface StoreCounts {
  records_saved: number;
  workouts_saved: number;
  sleep_saved: number;
  sleep_sessions_updated: number;
  duplicates: { records: number; workouts: number; sleep: number };
}

/** What a batch newly wrote, for outgoing webhooks (collected only when someone listens). */
export interface Written {
  samples: NormalizedSample[];
  workouts: { id: string; workout: NormalizedWorkout }[];
  sleep: { id: string; session: SleepSession }[];
}

/** last_seen moves at most this often per source (a write per source per batch would be wasted). */
const LAST_SEEN_STEP_MS = 60_000;

/**
 * The user's sources by key, loaded once per object (a bounded set: MAX_SOURCES_PER_USER). A source row is written
 * when first seen; afterwards only its last_seen moves.
 */
export class SourceIds {
  private ids: Map<string, { id: number; provider: string; lastSeen: number }> | null = null;
  constructor(private readonly sql: SqlStorage) {}

  private all() {
    if (this.ids === null) {
      this.ids = new Map();
      for (const r of this.sql.exec<{ id: number; source_key: string; provider: string; last_seen: number }>(
        `SELECT id, source_key, provider, last_seen FROM sources`,
      )) this.ids.set(r.source_key, { id: r.id, provider: r.provider, lastSeen: r.last_seen });
    }
    return this.ids;
  }

  /** What normalization needs to bound new sources. */
  known(): KnownSources {
    const ids = this.all();
    return { has: (key) => ids.has(key), room: MAX_SOURCES_PER_USER - ids.size };
  }

  hasProvider(provider: string): boolean {
    for (const s of this.all().values()) if (s.provider === provider) return true;
    return false;
  }

  resolve(key: string, info: SourceInfo, now: number): number {
    const known = this.all().get(key);
    if (known !== undefined) {
      if (now - known.lastSeen >= LAST_SEEN_STEP_MS) {
        this.sql.exec(`UPDATE sources SET last_seen = ? WHERE id = ?`, now, known.id);
        known.lastSeen = now;
        sourcesChanged(this.sql);
      }
      return known.id;
    }
    const row = this.sql.exec<{ id: number }>(
      `INSERT INTO sources (source_key, provider, info, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      key, info.provider, JSON.stringify(info), now, now,
    ).one();
    this.all().set(key, { id: row.id, provider: info.provider, lastSeen: now });
    sourcesChanged(this.sql);
    return row.id;
  }

  /** The id of a source this object has already stored. */
  idOf(key: string): number {
    const s = this.all().get(key);
    if (s === undefined) throw new Error("source not resolved yet");
    return s.id;
  }

  /** After a wipe (or a rolled-back transaction): reload from storage on next use. */
  forget(): void {
    this.ids = null;
    sourcesChanged(this.sql);
  }
}

export function storeBatch(sql: SqlStorage, sources: SourceIds, batch: NormalizedBatch, now: number, written?: Written): StoreCounts {
  const counts: StoreCounts = {
    records_saved: 0, workouts_saved: 0, sleep_saved: 0, sleep_sessions_updated: 0,
    duplicates: { records: 0, workouts: 0, sleep: batch.inBatchDuplicates },
  };

  for (const s of batch.samples) {
    const sourceId = sources.resolve(s.sourceKey, s.source, now);
    // Last write wins; an identical re-send writes nothing and counts as a duplicate.
    const changed = sql.exec(
      `INSERT INTO samples (series_id, recorded_at, source_id, end_at, value, zone_offset, external_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET value = excluded.value, end_at = excluded.end_at,
         zone_offset = excluded.zone_offset, external_id = excluded.external_id
       WHERE samples.value IS NOT excluded.value OR samples.end_at IS NOT excluded.end_at`,
      s.seriesTypeId, s.recordedAt, sourceId, s.endAt, s.value, s.zoneOffset, s.externalId,
    ).rowsWritten;
    if (changed > 0) {
      counts.records_saved++;
      written?.samples.push(s);
    } else counts.duplicates.records++;
  }

  for (const w of batch.workouts) {
    const sourceId = sources.resolve(w.sourceKey, w.source, now);
    const id = crypto.randomUUID();
    const inserted = sql.exec(
      `INSERT OR IGNORE INTO events (id, source_id, category, type, start_at, end_at, zone_offset, external_id, details, created_at)
       VALUES (?, ?, 'workout', ?, ?, ?, ?, ?, ?, ?)`,
      id, sourceId, w.type, w.startAt, w.endAt, w.zoneOffset, w.externalId,
      JSON.stringify({ ...w.details, raw_type: w.rawType }), now,
    ).rowsWritten;
    if (inserted > 0) {
      counts.workouts_saved++;
      written?.workouts.push({ id, workout: w });
    } else counts.duplicates.workouts++;
  }

  const touched = new Map<number, { from: number; to: number; source: SourceInfo; sourceKey: string }>();
  for (const st of batch.sleepStages) {
    const sourceId = sources.resolve(st.sourceKey, st.source, now);
    const stored = sql.exec(
      `INSERT OR IGNORE INTO sleep_stages (source_id, start_at, end_at, stage, zone_offset, external_id) VALUES (?, ?, ?, ?, ?, ?)`,
      sourceId, st.startAt, st.endAt, st.stage, st.zoneOffset, st.externalId,
    ).rowsWritten;
    if (stored === 0) {
      counts.duplicates.sleep++;
      continue;
    }
    counts.sleep_saved++;
    const range = touched.get(sourceId);
    if (range) {
      range.from = Math.min(range.from, st.startAt);
      range.to = Math.max(range.to, st.endAt);
    } else {
      touched.set(sourceId, { from: st.startAt, to: st.endAt, source: st.source, sourceKey: st.sourceKey });
    }
  }
  for (const [sourceId, range] of touched) {
    const sessions = rebuildSleep(sql, sourceId, range, now);
    counts.sleep_sessions_updated += sessions.length;
    written?.sleep.push(...sessions);
  }
  return counts;
}

// Stages up to this far around the new ones can belong to the same session (a night is never longer).
const SLEEP_MARGIN_MS = 16 * 3600_000;

/** Rebuilds the sleep sessions of one source around newly stored stages, from every stage stored for them. */
function rebuildSleep(
  sql: SqlStorage,
  sourceId: number,
  range: { from: number; to: number; source: SourceInfo; sourceKey: string },
  now: number,
): { id: string; session: SleepSession }[] {
  const from = range.from - SLEEP_MARGIN_MS;
  const to = range.to + SLEEP_MARGIN_MS;
  const stages: SleepStage[] = sql.exec<{ start_at: number; end_at: number; stage: string; zone_offset: string | null; external_id: string | null }>(
    `SELECT start_at, end_at, stage, zone_offset, external_id FROM sleep_stages
      WHERE source_id = ? AND end_at >= ? AND start_at <= ? ORDER BY start_at`,
    sourceId, from, to,
  ).toArray().map((r) => ({
    key: `${range.sourceKey}|sleep_stage|${r.stage}|${r.start_at}|${r.end_at}`,
    stage: r.stage, startAt: r.start_at, endAt: r.end_at, sourceKey: range.sourceKey, source: range.source,
    externalId: r.external_id, zoneOffset: r.zone_offset,
  }));
  const sessions = buildSleepSessions(stages);
  const lo = Math.min(from, ...sessions.map((s) => s.startAt));
  const hi = Math.max(to, ...sessions.map((s) => s.endAt));
  sql.exec(`DELETE FROM events WHERE source_id = ? AND category = 'sleep' AND end_at >= ? AND start_at <= ?`, sourceId, lo, hi);
  return sessions.map((s) => {
    const id = stableId(s.key);
    sql.exec(
      `INSERT OR REPLACE INTO events (id, source_id, category, type, start_at, end_at, zone_offset, external_id, details, created_at)
       VALUES (?, ?, 'sleep', ?, ?, ?, ?, ?, ?, ?)`,
      id, sourceId, s.details.is_nap ? "nap" : "sleep_session", s.startAt, s.endAt, s.zoneOffset, s.externalId,
      JSON.stringify(s.details), now,
    );
    return { id, session: s };
  });
}

/** A UUID-shaped id derived from a session's natural key, so rebuilding a night keeps its id. */
function stableId(key: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193, h3 = 0x9e3779b9, h4 = 0x85ebca6b;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h3 = Math.imul(h3 ^ c, 0x27d4eb2d);
    h4 = Math.imul(h4 ^ c, 0x165667b1);
  }
  const hex = [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
