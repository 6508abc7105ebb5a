import type { SessionProgress } from "./state";

/**
 * What a pass reports while it runs (the device CLI's progress bar, telemetry, an app's own UI). Counts and
 * type names only, never health values.
 */
export type SyncPhase = "recent" | "history" | "catchup" | "incremental";

export interface ProgressEvent {
  kind: "start" | "chunk" | "typeDone" | "end";
  /** The pass started a new session (false when it resumes one). */
  newSession: boolean;
  fullExport: boolean;
  /** recent = last 24 h of every type; history = older, newest first; catchup = what was written meanwhile. */
  phase: SyncPhase;
  sentCount: number;
  typesTotal: number;
  typesDone: number;
  /** Estimated share of the first sync done (0..1). */
  fraction: number;
  /** Earliest sample start delivered so far by the newest-first walk (epoch ms). */
  reachedBack: number | null;
  /** Session start and floor (epoch ms; floor null = all history). */
  startedAt: number;
  floor: number | null;
  /** typeDone: the type and how many items it sent; end: the pass's status. */
  key?: string;
  keyCount?: number;
  status?: string;
  perKey: Record<string, { sentCount: number; complete: boolean }>;
  /** The read keys of this pass, in order. */
  keys: string[];
}

export function phaseOf(session: SessionProgress, keys: string[]): SyncPhase {
  if (!session.fullExport) return "incremental";
  const w = session.walk;
  if (!w) return "catchup";
  const pending = keys.filter((k) => !session.perKey[k]?.complete);
  if (pending.some((k) => (w.keys[k]?.stage ?? "recent") === "recent")) return "recent";
  if (pending.some((k) => w.keys[k]?.stage === "history")) return "history";
  return "catchup";
}

/** Share of the first sync done: per type 1 when complete, else how far back (in time) its walk has got. */
export function fractionDone(session: SessionProgress, keys: string[], floor: number | null): number {
  if (!keys.length) return 1;
  let sum = 0;
  for (const k of keys) {
    if (session.perKey[k]?.complete) { sum += 1; continue; }
    const w = session.walk?.keys[k];
    if (!w) continue;
    if (w.stage === "done") { sum += 0.98; continue; }
    if (w.stage === "history") {
      const span = floor === null ? null : session.createdAt - floor;
      const got = w.reached === null ? 0 : session.createdAt - w.reached;
      sum += span ? Math.min(0.95, Math.max(0.02, got / span)) : 0.5;
    }
  }
  return Math.min(1, sum / keys.length);
}

/** How far back every type still walking has got: the slowest one's earliest delivered start. */
export function reachedBack(session: SessionProgress): number | null {
  let slowest: number | null = null, min: number | null = null;
  for (const w of Object.values(session.walk?.keys ?? {})) {
    if (w.reached === null) continue;
    if (min === null || w.reached < min) min = w.reached;
    if (w.stage === "history" && (slowest === null || w.reached > slowest)) slowest = w.reached;
  }
  return slowest ?? min;
}
