import { isoZ } from "../lib/time";

/**
 * First-sync progress derived from the SDKs' own telemetry (`POST /sdk/users/{id}/logs`): the latest
 * `historical_data_sync_start` names the types of the export, each `historical_data_type_sync_end` with
 * `success: true` marks one done. Plain functions over the user's `sdk_logs` table; type names and counts
 * only, never health values.
 */

/** No telemetry and no upload for this long while unfinished: say so (a stalled sync, not a slow one). */
export const STALLED_AFTER_MS = 15 * 60_000;

export interface FirstSyncProgress {
  state: "in_progress" | "done";
  /** 0..100, share of the export's types that finished. */
  percent: number;
  types_total: number;
  types_done: number;
  /** Display names, in the order the SDK listed them. */
  done_types: string[];
  in_progress_types: string[];
  /** Items the SDK reported as sent (finished types, plus unfinished ones it reported when a pass stopped). */
  records_sent: number;
  started_at: string | null;
  finished_at: string | null;
  last_activity_at: string;
  stalled: boolean;
  /** e.g. "First sync 40 % done: heart rate done, steps in progress". */
  message: string;
  sdk_version: string;
  provider: string;
}

type LogRow = { id: number; received_at: number; sdk_version: string; provider: string; event_type: string; event: string };

const HK_PREFIX = /^HK(Quantity|Category|Correlation|Workout|DataType)?TypeIdentifier/;
const NAMES: Record<string, string> = {
  StepCount: "steps", Steps: "steps", SleepAnalysis: "sleep", SleepSession: "sleep", "": "workouts", ExerciseSession: "workouts",
  ActiveEnergyBurned: "active energy", ActiveCaloriesBurned: "active energy", BasalEnergyBurned: "resting energy",
  OxygenSaturation: "blood oxygen", BodyMass: "weight", Weight: "weight", BodyMassIndex: "BMI", Vo2Max: "VO2 max", VO2Max: "VO2 max",
  HeartRateVariabilitySDNN: "heart rate variability", HeartRateVariabilityRmssd: "heart rate variability",
};

/** A store type id (HealthKit identifier, Health Connect record, Samsung data type) as words a person reads. */
export function typeDisplayName(type: string): string {
  const bare = type.replace(HK_PREFIX, "").replace(/^com\.samsung\.(shealth|health)\./, "");
  if (bare in NAMES) return NAMES[bare]!;
  const words = bare.replace(/[._]+/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").trim().toLowerCase();
  return words || type;
}

function listed(names: string[], max = 3): string {
  if (names.length <= 1) return names.join("");
  if (names.length <= max) return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

const asObject = (text: string): Record<string, unknown> => {
  try { const v = JSON.parse(text); return v && typeof v === "object" ? v as Record<string, unknown> : {}; } catch { return {}; }
};

/**
 * The latest first sync's progress, or null when the SDK never reported one. `lastUploadAt` (the newest sync
 * run) counts as activity, so an SDK that uploads but sends no telemetry for a while is not called stalled.
 */
export function firstSyncProgress(sql: SqlStorage, now: number, lastUploadAt: number | null = null): FirstSyncProgress | null {
  const start = sql.exec<LogRow>(
    `SELECT * FROM sdk_logs WHERE event_type = 'historical_data_sync_start' ORDER BY id DESC LIMIT 1`).toArray()[0];
  if (!start) return null;
  const startEvent = asObject(start.event);
  const order: string[] = [];
  for (const c of Array.isArray(startEvent.dataTypeCounts) ? startEvent.dataTypeCounts : []) {
    const t = (c as { type?: unknown })?.type;
    if (typeof t === "string" && t && !order.includes(t)) order.push(t);
  }
  const done = new Map<string, number>();
  const partial = new Map<string, number>();
  let lastEvent = start.received_at, lastDoneAt: string | null = null;
  for (const row of sql.exec<LogRow>(`SELECT * FROM sdk_logs WHERE id > ? ORDER BY id`, start.id)) {
    lastEvent = Math.max(lastEvent, row.received_at);
    if (row.event_type !== "historical_data_type_sync_end") continue;
    const e = asObject(row.event);
    if (typeof e.dataType !== "string") continue;
    const count = typeof e.recordCount === "number" && e.recordCount >= 0 ? e.recordCount : 0;
    if (!order.includes(e.dataType)) order.push(e.dataType); // a type the start event did not list
    if (e.success === true) { done.set(e.dataType, count); partial.delete(e.dataType); lastDoneAt = typeof e.timestamp === "string" ? e.timestamp : lastDoneAt; }
    else if (!done.has(e.dataType)) partial.set(e.dataType, count);
  }
  const total = order.length;
  const finished = total > 0 && order.every((t) => done.has(t));
  const percent = total ? Math.floor((100 * done.size) / total) : 0;
  const doneNames = [...new Set(order.filter((t) => done.has(t)).map(typeDisplayName))];
  const pendingNames = [...new Set(order.filter((t) => !done.has(t)).map(typeDisplayName))].filter((n) => !doneNames.includes(n));
  const activity = Math.max(lastEvent, lastUploadAt ?? 0);
  const stalled = !finished && now - activity > STALLED_AFTER_MS;
  let sent = 0;
  for (const n of done.values()) sent += n;
  for (const n of partial.values()) sent += n;
  const message = finished ? `First sync done: ${total} data type${total === 1 ? "" : "s"}`
    : `First sync ${percent} % done: ${doneNames.length ? `${listed(doneNames)} done; ` : ""}${pendingNames.length ? `${listed(pendingNames)} in progress` : "starting"}${stalled ? " (no progress for a while: is the app open?)" : ""}`;
  return {
    state: finished ? "done" : "in_progress",
    percent: finished ? 100 : percent,
    types_total: total,
    types_done: done.size,
    done_types: doneNames,
    in_progress_types: pendingNames,
    records_sent: sent,
    started_at: typeof startEvent.timestamp === "string" ? startEvent.timestamp : isoZ(start.received_at),
    finished_at: finished ? lastDoneAt : null,
    last_activity_at: isoZ(activity),
    stalled,
    message,
    sdk_version: start.sdk_version,
    provider: start.provider,
  };
}
