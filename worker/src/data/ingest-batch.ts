import { normalizeEnvelope } from "../ingest";
import { LIMITS, tooManyContainers } from "../ingest/limits";
import type { SyncMeta, SyncOutcome } from "./UserDataStore";
import { storeBatch, type SourceIds, type Written } from "./store-batch";
import { batchFingerprint, countsOf, pruneRuns, recordRun } from "./sync-runs";
import { addToOutbox, storedEntry } from "./webhook-outbox";

/**
 * One SDK upload inside the user's object: parse, normalize, store, record the run and the webhook outbox entry.
 * Everything from the parse to the commit is synchronous, so two uploads of one user never interleave (the source
 * bound and dedup see a consistent store).
 */

export interface IngestDeps {
  sql: SqlStorage;
  sources: SourceIds;
  transaction<T>(fn: () => T): T;
}

/** `queued`: an outbox entry was written and must be flushed. */
export function ingestBatch(deps: IngestDeps, bodyText: string, meta: SyncMeta): { outcome: SyncOutcome; queued: boolean } {
  const { sql, sources } = deps;
  const started = performance.now();
  const now = meta.now ?? Date.now();
  const runId = crypto.randomUUID();
  // Checked before parsing: parsing is what would take the memory.
  const complex = tooManyContainers(bodyText);
  if (complex !== null) return { outcome: { ok: false, status: 413, detail: complex }, queued: false };
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    return { outcome: { ok: false, status: 400, detail: `JSON decode error - ${(error as Error).message}` }, queued: false };
  }
  const result = normalizeEnvelope(body, { now, sources: sources.known() });
  if (!result.ok) {
    const raw = (body as { provider?: unknown } | null)?.provider;
    const provider = typeof raw === "string" && raw.length <= LIMITS.providerEcho ? raw.toLowerCase() : "unknown";
    const message = `${capitalize(provider)} batch failed`;
    const error = `Validation failed: ${result.detail}`;
    deps.transaction(() => {
      recordRun(sql, {
        runId, provider, sdkVersion: null, auth: meta.auth, startedAt: now, endedAt: Date.now(),
        durationMs: performance.now() - started, status: "failed", message, error, fingerprint: null, counts: {}, rejected: [],
      });
      if (meta.wantEvents) addToOutbox(sql, runId, meta.userId, meta.appId ?? null, { provider, result: { kind: "failed", message, error } }, now);
    });
    return { outcome: result, queued: meta.wantEvents === true };
  }

  const batch = result.batch;
  const fingerprint = batchFingerprint(batch);
  const written: Written | undefined = meta.wantEvents ? { samples: [], workouts: [], sleep: [] } : undefined;
  const dropped = batch.droppedCount;
  const counts = guarded(sources, () => deps.transaction(() => {
    const firstForProvider = !sources.hasProvider(batch.provider);
    const stored = storeBatch(sql, sources, batch, now, written);
    const counts = countsOf(batch, stored);
    const repeats = recordRun(sql, {
      runId, provider: batch.provider, sdkVersion: batch.sdkVersion, auth: meta.auth, startedAt: now, endedAt: Date.now(),
      durationMs: performance.now() - started, status: dropped > 0 ? "partial" : "success",
      message: `${capitalize(batch.provider)} batch saved${dropped ? ` (${dropped} item(s) dropped by validation)` : ""}`,
      error: null, fingerprint, counts, rejected: batch.rejected,
    });
    if (written) {
      addToOutbox(sql, runId, meta.userId, meta.appId ?? null, storedEntry(batch.provider, written, (key) => sources.idOf(key), {
        status: dropped > 0 ? "partial" : "success",
        message: `${capitalize(batch.provider)} batch saved`,
        itemsProcessed: counts.records_saved + counts.workouts_saved + counts.sleep_saved,
        connection: firstForProvider && batch.samples.length + batch.workouts.length + batch.sleepStages.length > 0,
      }), now);
    }
    return { ...counts, repeats };
  }));
  if (Math.random() < 0.01) deps.transaction(() => pruneRuns(sql, now));

  return {
    queued: written !== undefined,
    outcome: {
      ok: true,
      runId,
      provider: batch.provider,
      body: {
        status_code: 202,
        response: "Sync batch stored",
        user_id: meta.userId,
        dropped_count: counts.dropped_count,
        records_saved: counts.records_saved,
        workouts_saved: counts.workouts_saved,
        sleep_saved: counts.sleep_saved,
        // Additive fields: what the reference never told clients.
        batch_id: runId,
        duplicates: counts.duplicates,
        sleep_sessions_updated: counts.sleep_sessions_updated,
        received: counts.received,
        rejected: batch.rejected.map(({ collection, index, id, reason, message }) => ({ collection, index, id, reason, message })),
        rejected_truncated: dropped > batch.rejected.length,
        unknown_types: counts.unknown_types,
        repeat_of_earlier_batches: counts.repeats,
      },
    },
  };
}

/** A failed transaction rolled back rows the source cache already knew: it reloads on next use. */
function guarded<T>(sources: SourceIds, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    sources.forget();
    throw error;
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
