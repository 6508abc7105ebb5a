import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { isoZ } from "../lib/time";
import { migrate } from "./schema";
import { SourceIds } from "./store-batch";
import { ingestBatch } from "./ingest-batch";
import { enqueueUserEvents } from "../webhooks/emit";
import { deferEntry, dueEntries, eventsForEntry, nextDue, removeEntry } from "./webhook-outbox";
import { listRuns, recentEvents } from "./sync-runs";
import { readTimeseries, type TimeseriesQuery } from "./timeseries";
import { deleteEvent, listEvents, type EventCategory, type EventsQuery } from "./events";
import { activitySummaries, bodySummary, sleepSummaries } from "./summaries";
import { DATA_SOURCES_DEFAULT_LIMIT, listDataSources } from "./source-metadata";

/** Totals shown by the onboarding status page: counts only, never health values. */
export interface UserDataStats {
  total_records: number;
  total_workouts: number;
  total_sleep_sessions: number;
  first_data_at: string | null;
  last_sync_at: string | null;
}

export interface SyncMeta {
  userId: string;
  auth: string;
  /** The uploading session's app_id claim (routes webhook events); null for API keys. */
  appId?: string | null;
  /** Queue outgoing webhook events for what this batch newly wrote (only when an endpoint listens). */
  wantEvents?: boolean;
  now?: number;
}

export type SyncOutcome =
  | { ok: true; runId: string; provider: string; body: Record<string, unknown> }
  | { ok: false; status: 400 | 413; detail: string };

// If the object is evicted before it has handed a batch's events to the queue, its alarm does it.
const OUTBOX_SAFETY_MS = 30_000;

/**
 * One user's health data. As the single writer for the user it makes dedup and upserts safe; a batch is
 * committed in one transaction before the HTTP response is sent.
 */
export class UserDataStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly sources: SourceIds;
  private flushing: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sources = new SourceIds(this.sql);
    ctx.blockConcurrencyWhile(async () => migrate(this.sql));
  }

  /** Validates, normalizes and stores one SDK batch (the raw JSON text of the request body). */
  async ingest(bodyText: string, meta: SyncMeta): Promise<SyncOutcome> {
    const deps = { sql: this.sql, sources: this.sources, transaction: <T>(fn: () => T) => this.ctx.storage.transactionSync(fn) };
    const { outcome, queued } = ingestBatch(deps, bodyText, meta);
    if (queued) await this.scheduleFlush();
    return outcome;
  }

  /** Hands owed webhook events to the queue now, without making the upload wait; the alarm is the safety net. */
  private async scheduleFlush(): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + OUTBOX_SAFETY_MS);
    // Start only after this call has answered: building the events must not delay the upload's response.
    this.ctx.waitUntil(new Promise<void>((resolve) => setTimeout(() => void this.flushOutbox().finally(resolve), 0)));
  }

  /** Sends due outbox entries, one batch at a time; failures wait with backoff. Never runs twice at once. */
  async flushOutbox(): Promise<void> {
    if (this.flushing) return this.flushing;
    const run = async () => {
      for (let due = dueEntries(this.sql, Date.now()); due.length; due = dueEntries(this.sql, Date.now())) {
        for (const row of due) {
          try {
            await enqueueUserEvents(this.env, row.user_id, row.app_id, eventsForEntry(this.sql, row));
            removeEntry(this.sql, row.run_id);
          } catch (error) {
            console.error("webhook outbox: enqueue failed, will retry", (error as Error).message);
            deferEntry(this.sql, row.run_id, row.attempts, Date.now());
          }
        }
      }
    };
    this.flushing = run().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  override async alarm(): Promise<void> {
    await this.flushOutbox();
    const next = nextDue(this.sql);
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 1_000));
  }

  /** Stores SDK diagnostics, keeping the newest 1,000 events. */
  async storeLogs(sdkVersion: string, provider: string, events: { eventType: string }[]): Promise<void> {
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const e of events) {
        this.sql.exec(`INSERT INTO sdk_logs (received_at, sdk_version, provider, event_type, event) VALUES (?, ?, ?, ?, ?)`,
          now, sdkVersion, provider, e.eventType, JSON.stringify(e));
      }
      this.sql.exec(`DELETE FROM sdk_logs WHERE id <= (SELECT id FROM sdk_logs ORDER BY id DESC LIMIT 1 OFFSET 1000)`);
    });
  }

  async timeseries(q: TimeseriesQuery) {
    return readTimeseries(this.sql, q);
  }

  async events(category: EventCategory, q: EventsQuery) {
    return listEvents(this.sql, category, q);
  }

  async deleteEvent(category: EventCategory, id: string): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => deleteEvent(this.sql, category, id));
  }

  async activity(fromDay: string, toDay: string) {
    return activitySummaries(this.sql, fromDay, toDay);
  }

  async sleep(fromDay: string, toDay: string) {
    return sleepSummaries(this.sql, fromDay, toDay);
  }

  async body(periodDays: number, latestWindowHours: number) {
    return bodySummary(this.sql, Date.now(), periodDays, latestWindowHours);
  }

  async dataSources(userId: string, page: { afterId: number; limit: number } = { afterId: 0, limit: DATA_SOURCES_DEFAULT_LIMIT }) {
    return listDataSources(this.sql, userId, page);
  }

  async syncRuns(userId: string, limit: number) {
    return listRuns(this.sql, userId, limit);
  }

  async syncRecent(userId: string, limit: number) {
    return recentEvents(this.sql, userId, limit);
  }

  async stats(): Promise<UserDataStats> {
    const one = (q: string) => this.sql.exec<{ n: number | null }>(q).one().n;
    const first = one(`SELECT MIN(first_seen) AS n FROM sources`);
    const last = one(`SELECT MAX(ended_at) AS n FROM sync_runs WHERE status != 'failed'`);
    return {
      total_records: one(`SELECT COUNT(*) AS n FROM samples`) ?? 0,
      total_workouts: one(`SELECT COUNT(*) AS n FROM events WHERE category = 'workout'`) ?? 0,
      total_sleep_sessions: one(`SELECT COUNT(*) AS n FROM events WHERE category = 'sleep'`) ?? 0,
      first_data_at: first === null ? null : isoZ(first),
      last_sync_at: last === null ? null : isoZ(last),
    };
  }

  /** Removes everything this user ever uploaded. */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.sources.forget();
    migrate(this.sql);
  }
}
