import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { isoZ } from "../lib/time";
import { migrate } from "./schema";
import { SourceIds } from "./store-batch";
import { ingestBatch } from "./ingest-batch";
import { enqueueUserEvents } from "../webhooks/emit";
import { deferEntry, dueEntries, eventsForEntry, nextDue, removeEntry } from "./webhook-outbox";
import { listRuns, listRunsPage, recentEvents, runsAfter } from "./sync-runs";
import { connectionIds, disconnect, listConnections, purgeProvider } from "./connections";
import { dataSummary } from "./data-summary";
import { listHealthScores } from "./health-scores";
import type { Priorities } from "../control/priorities";
import { readTimeseries, type TimeseriesQuery } from "./timeseries";
import { deleteEvent, listEvents, type EventCategory, type EventsQuery } from "./events";
import { activitySummaries, bodySummary, sleepSummaries } from "./summaries";
import { firstSyncProgress, type FirstSyncProgress } from "./sync-progress";
import { DATA_SOURCES_DEFAULT_LIMIT, listDataSources } from "./source-metadata";
import { checkAccess, markSynced, readState, registerUser, writeTombstone, type Access } from "./user-state";
import {
  codeRedeemedAt, importFamily, newSessionToken, refreshSession, revokeAll, revokeByToken, revokeFamily, startSession,
  type ImportedFamily, type RefreshResult, type SessionStart,
} from "./sessions";
import { copyLastSync } from "../control/users";

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
  /** The caller's organization when it is an API key: another organization's user is answered as missing. */
  orgId?: string | null;
  /** Queue outgoing webhook events for what this batch newly wrote (only when an endpoint listens). */
  wantEvents?: boolean;
  now?: number;
}

export type SyncOutcome =
  | { ok: true; runId: string; provider: string; body: Record<string, unknown> }
  | { ok: false; status: 400 | 413; detail: string }
  | { ok: false; status: 404; reason: "unregistered" | "not_found" };

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

  // ---- Who the user is (data/user-state.ts) ----------------------------------------------------------------------

  /** Whether a caller (in `orgId`, when given) may act on this user. */
  access(orgId: string | null): Access {
    return checkAccess(readState(this.sql), orgId);
  }

  /** Records the user's organization (on create, or once for users created before objects knew it). */
  register(userId: string, orgId: string, callerOrgId: string | null): Access {
    const state = this.ctx.storage.transactionSync(() => registerUser(this.sql, userId, orgId, Date.now()));
    return checkAccess(state, callerOrgId);
  }

  state() {
    return readState(this.sql);
  }

  /**
   * Erases the user: every sample, event, run, log, outbox entry and session, then leaves a tombstone so an upload
   * or sign-in that arrives later is refused instead of writing data nobody can reach. The object is the single
   * writer, so an upload racing this either committed before (and is erased here) or runs after (and is refused).
   */
  async erase(userId: string, orgId: string): Promise<void> {
    // No other call may run between wiping the storage and writing the tombstone: it would find no tables (500), or
    // an empty, unmarked object it could write into.
    await this.ctx.blockConcurrencyWhile(async () => {
      const known = readState(this.sql);
      await this.ctx.storage.deleteAll();
      await this.ctx.storage.deleteAlarm();
      this.sources.forget();
      migrate(this.sql);
      writeTombstone(this.sql, userId, known?.orgId ?? orgId, Date.now());
    });
  }


  // ---- Sessions (data/sessions.ts) --------------------------------------------------------------------------------

  async startSession(userId: string, start: SessionStart, orgId: string | null): Promise<{ ok: true; refreshToken: string } | Access> {
    // The token is made first (hashing is async); the check and the write then run with no await between them, so an
    // erase can never slip in and leave a session behind its tombstone.
    const token = await newSessionToken(userId);
    return this.ctx.storage.transactionSync(() => {
      const access = checkAccess(readState(this.sql), orgId);
      if (!access.ok) return access;
      startSession(this.sql, token, start, Date.now());
      return { ok: true as const, refreshToken: token.token };
    });
  }

  async refreshSession(userId: string, presented: string): Promise<RefreshResult> {
    if (!checkAccess(readState(this.sql)).ok) return { ok: false, reason: "revoked" };
    return refreshSession(this.sql, (fn) => this.ctx.storage.transactionSync(fn), userId, presented, Date.now());
  }

  async revokeSession(presented: string): Promise<boolean> {
    return revokeByToken(this.sql, presented, Date.now());
  }

  revokeFamily(familyId: string, reason: string): boolean {
    return revokeFamily(this.sql, familyId, reason, Date.now());
  }

  revokeAllSessions(reason: string): number {
    return revokeAll(this.sql, reason, Date.now());
  }

  importLegacyFamily(family: ImportedFamily): void {
    this.ctx.storage.transactionSync(() => importFamily(this.sql, family));
  }

  /** What the onboarding status page may know: when the code started a session here, and counts. */
  async connectStatus(codeId: string): Promise<{ redeemedAt: number | null; stats: UserDataStats; firstSync: FirstSyncProgress | null }> {
    return { redeemedAt: codeRedeemedAt(this.sql, codeId), stats: await this.stats(), firstSync: await this.firstSync() };
  }

  // ---- Uploads ------------------------------------------------------------------------------------------------------

  /** Validates, normalizes and stores one SDK batch (the raw JSON text of the request body). */
  async ingest(bodyText: string, meta: SyncMeta): Promise<SyncOutcome> {
    const access = checkAccess(readState(this.sql), meta.orgId);
    if (!access.ok) return { ok: false, status: 404, reason: access.reason };
    const deps = { sql: this.sql, sources: this.sources, transaction: <T>(fn: () => T) => this.ctx.storage.transactionSync(fn) };
    const { outcome, queued } = ingestBatch(deps, bodyText, meta);
    if (queued) await this.scheduleFlush();
    const now = meta.now ?? Date.now();
    if (outcome.ok && markSynced(this.sql, outcome.provider, now)) {
      // The directory's copy for list sorting, at most once a UTC day; never awaited by the upload.
      this.ctx.waitUntil(copyLastSync(this.env.DB, meta.userId, outcome.provider, now).catch((error) =>
        console.error("last-sync copy to the directory failed", (error as Error).message)));
    }
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
            const orgId = readState(this.sql)?.orgId ?? null;
            await enqueueUserEvents(this.env, row.user_id, orgId, row.app_id, eventsForEntry(this.sql, row));
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
  async storeLogs(sdkVersion: string, provider: string, events: { eventType: string }[], orgId: string | null): Promise<Access> {
    const access = checkAccess(readState(this.sql), orgId);
    if (!access.ok) return access;
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const e of events) {
        this.sql.exec(`INSERT INTO sdk_logs (received_at, sdk_version, provider, event_type, event) VALUES (?, ?, ?, ?, ?)`,
          now, sdkVersion, provider, e.eventType, JSON.stringify(e));
      }
      this.sql.exec(`DELETE FROM sdk_logs WHERE id <= (SELECT id FROM sdk_logs ORDER BY id DESC LIMIT 1 OFFSET 1000)`);
    });
    return access;
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

  async activity(fromDay: string, toDay: string, priorities: Priorities | null) {
    return activitySummaries(this.sql, fromDay, toDay, priorities);
  }

  async sleep(fromDay: string, toDay: string, priorities: Priorities | null) {
    return sleepSummaries(this.sql, fromDay, toDay, priorities);
  }

  async dataSummary(range: { start: number | null; end: number | null }) {
    return dataSummary(this.sql, range);
  }

  async healthScores(q: { start: number | null; end: number | null; limit: number; offset: number }) {
    return listHealthScores(this.sql, q);
  }

  async connections(userId: string) {
    return listConnections(this.sql, userId);
  }

  async disconnect(provider: string): Promise<boolean> {
    return this.ctx.storage.transactionSync(() => disconnect(this.sql, provider, Date.now()));
  }

  /** Revokes the provider and deletes its data; null when the user never synced it. */
  async purgeProvider(provider: string) {
    const result = this.ctx.storage.transactionSync(() => purgeProvider(this.sql, provider, Date.now()));
    if (result) this.sources.forget();
    return result;
  }

  async body(periodDays: number, latestWindowHours: number) {
    return bodySummary(this.sql, Date.now(), periodDays, latestWindowHours);
  }

  async dataSources(userId: string, page: { afterId: number; limit: number } = { afterId: 0, limit: DATA_SOURCES_DEFAULT_LIMIT }) {
    return listDataSources(this.sql, userId, page, connectionIds(this.sql));
  }

  async syncRuns(userId: string, limit: number) {
    return listRuns(this.sql, userId, limit);
  }

  async syncRunsPage(userId: string, cursor: string | null, limit: number) {
    return listRunsPage(this.sql, userId, cursor, limit);
  }

  async syncRunsAfter(userId: string, after: { at: number; runId: string } | null, limit: number) {
    return runsAfter(this.sql, userId, after, limit);
  }

  async syncRecent(userId: string, limit: number) {
    return recentEvents(this.sql, userId, limit);
  }

  /** First-sync progress derived from the SDK's telemetry (null when it never reported one). */
  async firstSync(): Promise<FirstSyncProgress | null> {
    const lastUpload = this.sql.exec<{ n: number | null }>(`SELECT MAX(ended_at) AS n FROM sync_runs`).one().n;
    return firstSyncProgress(this.sql, Date.now(), lastUpload);
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
}
