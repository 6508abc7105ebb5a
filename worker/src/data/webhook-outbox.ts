import type { NormalizedSample, NormalizedWorkout, SleepSession, SleepSessionDetails, SourceInfo, WorkoutDetails } from "../ingest";
import { SERIES_TYPES } from "../ingest";
import type { OutgoingEvent } from "../webhooks/emit";
import { eventsForStoredBatch } from "../webhooks/from-batch";
import { connectionCreated, syncEvent } from "../webhooks/events";
import type { Written } from "./store-batch";
import { loadSources } from "./source-metadata";

/**
 * The webhook outbox of one user's object. A batch records only keys of what it wrote; payloads are built from
 * the stored rows when the outbox is flushed, off the upload's critical path.
 */

export interface OutboxEntry {
  provider: string;
  /** Completed runs: what was written. Failed runs: the error. */
  result:
    | { kind: "stored"; status: "success" | "partial"; message: string; itemsProcessed: number; connection: boolean;
        samples: [number, number, number][]; workouts: string[]; sleep: string[];
        /** How many webhook_outbox_parts rows hold the rest of the keys (large batches only). */
        parts?: number }
    | { kind: "failed"; message: string; error: string };
}

export function storedEntry(provider: string, written: Written, sourceIds: (key: string) => number, extra: {
  status: "success" | "partial"; message: string; itemsProcessed: number; connection: boolean;
}): OutboxEntry {
  return {
    provider,
    result: {
      kind: "stored", ...extra,
      samples: written.samples.map((s) => [s.seriesTypeId, s.recordedAt, sourceIds(s.sourceKey)]),
      workouts: written.workouts.map((w) => w.id),
      sleep: written.sleep.map((s) => s.id),
    },
  };
}

/**
 * Keys per outbox row and list: a sample key is ~25 bytes of JSON and an event id 39, so a row stays under ~400 KB,
 * far from SQLite's 2 MB value limit, however large the batch.
 */
export const OUTBOX_KEYS_PER_ROW = 10_000;

type Keys = { samples: [number, number, number][]; workouts: string[]; sleep: string[] };

export function addToOutbox(sql: SqlStorage, runId: string, userId: string, appId: string | null, entry: OutboxEntry, now: number) {
  const r = entry.result;
  const slice = (k: Keys, from: number): Keys => ({
    samples: k.samples.slice(from, from + OUTBOX_KEYS_PER_ROW),
    workouts: k.workouts.slice(from, from + OUTBOX_KEYS_PER_ROW),
    sleep: k.sleep.slice(from, from + OUTBOX_KEYS_PER_ROW),
  });
  let first = entry;
  let parts = 0;
  if (r.kind === "stored") {
    const longest = Math.max(r.samples.length, r.workouts.length, r.sleep.length);
    parts = Math.ceil(longest / OUTBOX_KEYS_PER_ROW) - 1;
    if (parts > 0) first = { ...entry, result: { ...r, ...slice(r, 0), parts } };
    for (let p = 1; p <= parts; p++) {
      sql.exec(`INSERT INTO webhook_outbox_parts (run_id, part, written) VALUES (?, ?, ?)`, runId, p, JSON.stringify(slice(r, p * OUTBOX_KEYS_PER_ROW)));
    }
  }
  sql.exec(
    `INSERT INTO webhook_outbox (run_id, user_id, app_id, created_at, next_at, written) VALUES (?, ?, ?, ?, ?, ?)`,
    runId, userId, appId, now, now, JSON.stringify(first),
  );
}

/** An outbox row's entry with the keys of its parts rows appended. */
export function entryOf(sql: SqlStorage, row: Pick<OutboxRow, "run_id" | "written">): OutboxEntry {
  return withParts(sql, row.run_id, JSON.parse(row.written) as OutboxEntry);
}

function withParts(sql: SqlStorage, runId: string, entry: OutboxEntry): OutboxEntry {
  const r = entry.result;
  if (r.kind !== "stored" || !r.parts) return entry;
  for (const p of sql.exec<{ written: string }>(`SELECT written FROM webhook_outbox_parts WHERE run_id = ? ORDER BY part`, runId)) {
    const k = JSON.parse(p.written) as Keys;
    r.samples.push(...k.samples);
    r.workouts.push(...k.workouts);
    r.sleep.push(...k.sleep);
  }
  return entry;
}

export interface OutboxRow {
  run_id: string;
  user_id: string;
  app_id: string | null;
  created_at: number;
  attempts: number;
  written: string;
}

export const dueEntries = (sql: SqlStorage, now: number) =>
  sql.exec<OutboxRow & Record<string, SqlStorageValue>>(
    `SELECT run_id, user_id, app_id, created_at, attempts, written FROM webhook_outbox WHERE next_at <= ? ORDER BY created_at LIMIT 20`, now,
  ).toArray() as OutboxRow[];

export const nextDue = (sql: SqlStorage) =>
  sql.exec<{ at: number | null }>(`SELECT MIN(next_at) AS at FROM webhook_outbox`).one().at;

/** Backoff for a failed flush: 10 s doubling, at most an hour. */
export function deferEntry(sql: SqlStorage, runId: string, attempts: number, now: number) {
  const delay = Math.min(3_600_000, 10_000 * 2 ** attempts);
  sql.exec(`UPDATE webhook_outbox SET attempts = attempts + 1, next_at = ? WHERE run_id = ?`, now + delay, runId);
}

export function removeEntry(sql: SqlStorage, runId: string) {
  sql.exec(`DELETE FROM webhook_outbox_parts WHERE run_id = ?`, runId);
  sql.exec(`DELETE FROM webhook_outbox WHERE run_id = ?`, runId);
}

const SERIES_BY_ID = new Map(Object.entries(SERIES_TYPES).map(([code, def]) => [def.id, { code, unit: def.unit }]));

/** Rebuilds the batch's events from the rows it wrote (rows deleted since then simply produce no event). */
export function eventsForEntry(sql: SqlStorage, row: OutboxRow): OutgoingEvent[] {
  const entry = entryOf(sql, row);
  const r = entry.result;
  if (r.kind === "failed") {
    return [syncEvent("failed", { userId: row.user_id, provider: entry.provider, source: "sdk", runId: row.run_id, message: r.message, error: r.error })];
  }
  const sources = new Map<number, { key: string; info: SourceInfo }>();
  for (const [id, s] of loadSources(sql)) sources.set(id, { key: s.row.source_key, info: s.info });
  const samples: NormalizedSample[] = [];
  for (const [seriesId, recordedAt, sourceId] of r.samples) {
    const s = sql.exec<{ value: number; end_at: number | null; zone_offset: string | null; external_id: string | null }>(
      `SELECT value, end_at, zone_offset, external_id FROM samples WHERE series_id = ? AND recorded_at = ? AND source_id = ?`,
      seriesId, recordedAt, sourceId,
    ).toArray()[0];
    const series = SERIES_BY_ID.get(seriesId);
    const source = sources.get(sourceId);
    if (!s || !series || !source) continue;
    samples.push({
      key: `${source.key}|${series.code}|${recordedAt}`, seriesType: series.code, seriesTypeId: seriesId, recordedAt,
      endAt: s.end_at, value: s.value, unit: series.unit, sourceKey: source.key, source: source.info,
      externalId: s.external_id, zoneOffset: s.zone_offset, origin: "record",
    });
  }
  const events = (ids: string[], category: string) => ids.flatMap((id) =>
    sql.exec<{ id: string; source_id: number; type: string | null; start_at: number; end_at: number; zone_offset: string | null; external_id: string | null; details: string }>(
      `SELECT id, source_id, type, start_at, end_at, zone_offset, external_id, details FROM events WHERE id = ? AND category = ?`, id, category,
    ).toArray());
  const workouts = events(r.workouts, "workout").flatMap((e) => {
    const source = sources.get(e.source_id);
    if (!source) return [];
    const { raw_type, ...details } = JSON.parse(e.details) as WorkoutDetails & { raw_type?: string | null };
    const workout: NormalizedWorkout = {
      key: `${source.key}|workout|${e.start_at}|${e.end_at}`, type: e.type ?? "unknown", rawType: raw_type ?? null,
      startAt: e.start_at, endAt: e.end_at, sourceKey: source.key, source: source.info, externalId: e.external_id,
      parentId: null, zoneOffset: e.zone_offset, details,
    };
    return [{ id: e.id, workout }];
  });
  const sleep = events(r.sleep, "sleep").flatMap((e) => {
    const source = sources.get(e.source_id);
    if (!source) return [];
    const session: SleepSession = {
      key: `${source.key}|sleep|${e.start_at}|${e.end_at}`, startAt: e.start_at, endAt: e.end_at, sourceKey: source.key,
      source: source.info, externalId: e.external_id, zoneOffset: e.zone_offset, details: JSON.parse(e.details) as SleepSessionDetails,
    };
    return [{ id: e.id, session }];
  });
  const out: OutgoingEvent[] = [];
  if (r.connection) {
    out.push(connectionCreated({ userId: row.user_id, provider: entry.provider, connectionId: `${row.user_id}:${entry.provider}`, connectedAt: row.created_at }));
  }
  out.push(...eventsForStoredBatch({
    userId: row.user_id, provider: entry.provider, runId: row.run_id, samples, workouts, sleep,
    itemsProcessed: r.itemsProcessed, status: r.status, message: r.message,
  }));
  return out;
}
