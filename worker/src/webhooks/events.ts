import { granularEventFor, groupEventFor } from "./catalog";
import { sanitizeEventId, type OutgoingEvent } from "./emit";

/**
 * Payload builders for the reference's event shapes (§10.3), with the reference's stable ids so a replayed batch
 * produces the same `webhook-id`s. Datetimes use Python `isoformat()` (`+00:00`), as reference receivers expect.
 */

type Time = number | string | Date;

/** `2025-12-19T07:30:00+00:00`; microseconds (6 digits) only when non-zero, as Python prints them. */
export function isoPy(t: Time): string {
  const d = t instanceof Date ? t : new Date(t);
  const iso = d.toISOString(); // 2025-12-19T07:30:00.123Z
  const ms = d.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms ? `.${String(ms).padStart(3, "0")}000` : ""}+00:00`;
}

const int = (n: number | null | undefined) => (n === null || n === undefined ? null : Math.trunc(n));

export interface Source { provider: string; device: string | null }

export interface WorkoutInput {
  id: string; userId: string; type: string; startTime: Time; endTime: Time; zoneOffset: string | null;
  durationSeconds: number | null; source: Source; caloriesKcal?: number | null; distanceMeters?: number | null;
  avgHeartRateBpm?: number | null; maxHeartRateBpm?: number | null; averageSpeed?: number | null;
  elevationGainMeters?: number | null;
}

export const workoutCreated = (w: WorkoutInput): OutgoingEvent => ({
  type: "workout.created",
  id: `workout.created.${w.id}`,
  data: {
    id: w.id, user_id: w.userId, type: w.type, start_time: isoPy(w.startTime), end_time: isoPy(w.endTime),
    zone_offset: w.zoneOffset, duration_seconds: w.durationSeconds, source: w.source,
    calories_kcal: w.caloriesKcal ?? null, distance_meters: w.distanceMeters ?? null,
    avg_heart_rate_bpm: int(w.avgHeartRateBpm), max_heart_rate_bpm: int(w.maxHeartRateBpm),
    avg_pace_sec_per_km: w.averageSpeed && w.averageSpeed > 0 ? Math.trunc(1000 / w.averageSpeed) : null,
    elevation_gain_meters: w.elevationGainMeters ?? null,
  },
});

export interface SleepInput {
  id: string; userId: string; startTime: Time; endTime: Time; zoneOffset: string | null; durationSeconds: number | null;
  source: Source; efficiencyPercent?: number | null; isNap: boolean;
  stages?: { awake_minutes?: number | null; light_minutes?: number | null; deep_minutes?: number | null; rem_minutes?: number | null } | null;
}

export function sleepCreated(s: SleepInput): OutgoingEvent {
  const st = s.stages;
  const anyStage = st && [st.awake_minutes, st.light_minutes, st.deep_minutes, st.rem_minutes].some((v) => v);
  return {
    type: "sleep.created",
    id: `sleep.created.${s.id}`,
    data: {
      id: s.id, user_id: s.userId, start_time: isoPy(s.startTime), end_time: isoPy(s.endTime), zone_offset: s.zoneOffset,
      duration_seconds: s.durationSeconds, source: s.source, efficiency_percent: s.efficiencyPercent ?? null,
      stages: anyStage ? { awake_minutes: st!.awake_minutes ?? null, light_minutes: st!.light_minutes ?? null,
        deep_minutes: st!.deep_minutes ?? null, rem_minutes: st!.rem_minutes ?? null } : null,
      is_nap: s.isNap,
    },
  };
}

export interface SampleInput { timestamp: Time; zoneOffset: string | null; type: string; value: number; unit: string; source: Source; isDailyTotal: boolean | null }

/** Samples per event: the reference's 2500, and fewer when needed so one message stays under the Queue's 128 KB. */
export const SAMPLES_PER_CHUNK = 2500;
const CHUNK_BYTES = 90_000;

/**
 * The group + granular event pair for one (user, provider, series) of one ingest batch, chunked. Series without a
 * group (§8.2 "none") emit nothing.
 */
export function timeseriesEvents(userId: string, provider: string, seriesType: string, samples: SampleInput[]): OutgoingEvent[] {
  const group = groupEventFor(seriesType);
  if (!group || !samples.length) return [];
  const ms = (t: Time) => (typeof t === "number" ? t : new Date(t).getTime());
  const rows = samples
    .map((s) => ({ s, at: ms(s.timestamp) }))
    .sort((a, b) => a.at - b.at)
    .map(({ s }) => ({ timestamp: isoPy(s.timestamp), zone_offset: s.zoneOffset, type: s.type, value: s.value, unit: s.unit,
      source: s.source, is_daily_total: s.isDailyTotal }));
  const chunks: (typeof rows)[] = [];
  let current: typeof rows = [];
  let bytes = 0;
  for (const row of rows) {
    // Upper-bound estimate instead of serializing every row twice (an underestimate only moves the body to D1).
    const size = 180 + row.type.length + row.unit.length + row.source.provider.length + 2 * (row.source.device?.length ?? 0);
    if (current.length && (current.length >= SAMPLES_PER_CHUNK || bytes + size > CHUNK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  chunks.push(current);
  const start = rows[0]!.timestamp;
  const end = rows[rows.length - 1]!.timestamp;
  return chunks.flatMap((chunk, i) => {
    const single = chunks.length === 1;
    const data: Record<string, unknown> = {
      user_id: userId, provider, series_type: seriesType, sample_count: rows.length,
      start_time: single ? start : chunk[0]!.timestamp, end_time: single ? end : chunk[chunk.length - 1]!.timestamp,
      samples: chunk,
      ...(single ? {} : { chunk_index: i, total_chunks: chunks.length }),
    };
    const key = `timeseries.${userId}.${provider}.${seriesType}.${start}.${end}${single ? "" : `.chunk${i}`}`;
    return [group, granularEventFor(seriesType)].map((type) => ({ type, data, id: sanitizeEventId(`${key}.${type}`) }));
  });
}

export interface SyncInput {
  userId: string; provider: string; source: string; runId: string; message?: string | null;
  metadata?: Record<string, unknown> | null; itemsProcessed?: number; status?: string; error?: string | null;
}

/** Only terminal transitions are forwarded (never progress), as in the reference. */
export function syncEvent(kind: "started" | "completed" | "failed", s: SyncInput): OutgoingEvent {
  const data: Record<string, unknown> = {
    user_id: s.userId, provider: s.provider, source: s.source, run_id: s.runId, message: s.message ?? null, metadata: s.metadata ?? null,
  };
  if (kind === "completed") Object.assign(data, { status: s.status ?? "completed", items_processed: s.itemsProcessed ?? 0 });
  if (kind === "failed") Object.assign(data, { error: s.error ?? null });
  return { type: `sync.${kind}`, id: `sync.${kind}.${s.runId}`, data };
}

export const connectionCreated = (c: { userId: string; provider: string; connectionId: string; connectedAt: Time }): OutgoingEvent => ({
  type: "connection.created",
  id: sanitizeEventId(`connection.created.${c.userId}.${c.provider}.${isoPy(c.connectedAt)}`),
  data: { user_id: c.userId, provider: c.provider, connection_id: c.connectionId, connected_at: isoPy(c.connectedAt) },
});
