import type { NormalizedSample, NormalizedWorkout, SleepSession, SourceInfo } from "../ingest/types";
import { SERIES_TYPES } from "../ingest/series-types";
import type { OutgoingEvent } from "./emit";
import { sleepCreated, syncEvent, timeseriesEvents, workoutCreated } from "./events";

/**
 * The events of one stored sync batch, from the ingest layer's normalized shapes: pass only what was newly
 * written (inserted or changed), so a re-sent batch emits nothing new; the stable ids make any overlap harmless.
 */

const device = (s: SourceInfo) => s.deviceName ?? s.deviceModel ?? null;
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

export interface StoredBatch {
  userId: string;
  provider: string;
  runId: string;
  /** Newly written samples (any order). */
  samples: NormalizedSample[];
  /** Newly inserted workouts with their stored event id. */
  workouts: { id: string; workout: NormalizedWorkout }[];
  /** New or merged sleep sessions with their stored event id. */
  sleep: { id: string; session: SleepSession }[];
  itemsProcessed: number;
  status: "success" | "partial";
  message?: string | null;
}

export function eventsForStoredBatch(b: StoredBatch): OutgoingEvent[] {
  const events: OutgoingEvent[] = [];
  for (const { id, workout: w } of b.workouts) {
    const d = w.details;
    events.push(workoutCreated({
      id, userId: b.userId, type: w.type, startTime: w.startAt, endTime: w.endAt, zoneOffset: w.zoneOffset,
      durationSeconds: num(d.duration_seconds) ?? Math.round((w.endAt - w.startAt) / 1000),
      source: { provider: w.source.provider, device: device(w.source) },
      caloriesKcal: num(d.energy_burned), distanceMeters: num(d.distance), avgHeartRateBpm: num(d.heart_rate_avg),
      maxHeartRateBpm: num(d.heart_rate_max), averageSpeed: num(d.average_speed), elevationGainMeters: num(d.total_elevation_gain),
    }));
  }
  for (const { id, session: s } of b.sleep) {
    const d = s.details;
    events.push(sleepCreated({
      id, userId: b.userId, startTime: s.startAt, endTime: s.endAt, zoneOffset: s.zoneOffset, durationSeconds: d.duration_seconds,
      source: { provider: s.source.provider, device: device(s.source) }, efficiencyPercent: d.efficiency_percent, isNap: d.is_nap,
      stages: { awake_minutes: d.awake_minutes, light_minutes: d.light_minutes, deep_minutes: d.deep_minutes, rem_minutes: d.rem_minutes },
    }));
  }
  const bySeries = new Map<string, NormalizedSample[]>();
  for (const s of b.samples) {
    const list = bySeries.get(s.seriesType);
    if (list) list.push(s); else bySeries.set(s.seriesType, [s]);
  }
  for (const [seriesType, samples] of bySeries) {
    const daily = SERIES_TYPES[seriesType]?.aggregation === "sum" ? false : null;
    events.push(...timeseriesEvents(b.userId, b.provider, seriesType, samples.map((s) => ({
      timestamp: s.recordedAt, zoneOffset: s.zoneOffset, type: seriesType, value: s.value, unit: s.unit,
      source: { provider: s.source.provider, device: device(s.source) }, isDailyTotal: daily,
    }))));
  }
  events.push(syncEvent("completed", {
    userId: b.userId, provider: b.provider, source: "sdk", runId: b.runId, message: b.message ?? null,
    status: b.status, itemsProcessed: b.itemsProcessed,
  }));
  return events;
}
