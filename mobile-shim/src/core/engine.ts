import type { HealthStorePort } from "../ports/health-store";
import type { Clock, Gzip } from "../ports/runtime";
import type { KeyValueStore } from "../ports/storage";
import type { AuthSession } from "./auth";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import { ChunkBuilder, type ChunkLimits } from "./chunk-builder";
import type { Logger } from "./events";
import { buildEnvelope, isoSeconds } from "./payload";
import { mappingFor } from "./platforms";
import { outboxKey, SyncStateStore, type UserSyncState } from "./state";
import type { SyncStatus } from "./types";
import { Uploader, type UploadStats } from "./uploader";

export interface EngineOptions {
  foreground: ChunkLimits;
  /** Background passes (BG task / WorkManager) get small chunks: little time, little memory (reference: 100). */
  background: ChunkLimits;
  backoff: BackoffPolicy;
  requestTimeoutMs: number;
  sdkVersion: string;
}
export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  foreground: { maxItems: 2_000, maxBytes: 1_000_000 },
  background: { maxItems: 500, maxBytes: 256_000 },
  backoff: DEFAULT_BACKOFF,
  requestTimeoutMs: 60_000,
  sdkVersion: "0.1.0-ts",
};

export interface PassRequest { userId: string; apiBase: string; readKeys: string[]; floor: number | null; background?: boolean }
export interface PassResult { status: "done" | "paused" | "authError" | "cancelled" | "skipped"; sent: number; chunks: number; retryInMs?: number; detail?: string }

/**
 * Runs sync passes. Invariants: anchors advance only in the same atomic write that records the server's
 * acknowledgement of the chunk that carried them; a chunk is written to the outbox before it is sent and is
 * re-sent byte-identical after a crash; one pass at a time (later callers share the running one).
 */
export class SyncEngine {
  private running: Promise<PassResult> | null = null;
  private cancelled = false;
  private wake: (() => void) | null = null;
  readonly states: SyncStateStore;
  readonly uploader: Uploader;

  constructor(
    private readonly health: HealthStorePort,
    private readonly kv: KeyValueStore,
    auth: AuthSession,
    private readonly clock: Clock,
    gzip: Gzip | null,
    private readonly logger: Logger,
    readonly options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
    random: () => number = Math.random,
  ) {
    this.states = new SyncStateStore(kv);
    this.uploader = new Uploader({ auth, clock, gzip, kv, logger, backoff: options.backoff, random,
      timeoutMs: options.requestTimeoutMs, isCancelled: () => this.cancelled, sleep: (ms) => this.sleep(ms) });
  }

  get isSyncing(): boolean { return this.running !== null; }
  get stats(): UploadStats { return this.uploader.stats; }

  /** Sleeps unless stopped meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      void this.clock.sleep(ms).then(() => resolve());
    });
  }

  runPass(req: PassRequest): Promise<PassResult> {
    if (this.running) return this.running;
    this.cancelled = false;
    this.running = this.pass(req).finally(() => { this.running = null; });
    return this.running;
  }

  /** Stops the running pass at its next step and waits for it (in-flight requests finish or time out). */
  async stop(): Promise<void> {
    this.cancelled = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
  }

  private async commit(state: UserSyncState): Promise<boolean> {
    if (this.cancelled) return false; // signOut may be wiping this user's state: never write after a stop
    await this.states.save(state);
    return true;
  }

  private async pass(req: PassRequest): Promise<PassResult> {
    const state = await this.states.load(req.userId);
    await this.states.removeOrphans(state);
    const mapping = mappingFor(this.health.platform());
    const url = `${req.apiBase}/sdk/users/${encodeURIComponent(req.userId)}/sync`;
    const limits = req.background ? this.options.background : this.options.foreground;
    const builder = new ChunkBuilder(this.health, mapping, () => this.clock.now());
    let sent = 0, chunks = 0;

    if (!state.session) {
      state.session = { createdAt: this.clock.now(), fullExport: !state.initialExportDone, sentCount: 0, perKey: {} };
      if (state.session.fullExport) this.logger.log(`Starting initial export of ${req.readKeys.length} types`);
    }
    const session = state.session;
    for (;;) {
      if (this.cancelled) return { status: "cancelled", sent, chunks };
      let pending = state.pending;
      let body = pending ? await this.kv.get(outboxKey(req.userId, pending.id)) : null;
      if (pending && body === null) { state.pending = pending = null; } // state written, body lost: rebuild from anchors
      if (!pending) {
        const keys = req.readKeys.filter((k) => !session.perKey[k]?.complete);
        if (!keys.length) break;
        const built = await builder.build(keys, state.anchors, req.floor, limits, state.chunkSeq);
        state.implausible += built.implausible;
        if (built.implausible) this.logger.log(`Skipped ${built.implausible} samples with implausible timestamps`);
        if (built.itemCount === 0) {
          // Nothing to send but cursors may have moved (e.g. past implausible samples): commit them directly.
          Object.assign(state.anchors, built.anchors);
          for (const k of keys) if (built.completes.includes(k)) (session.perKey[k] ??= { sentCount: 0, complete: false }).complete = true;
          if (!built.completes.length && !Object.keys(built.anchors).length) break; // defensive: no progress possible
          if (!(await this.commit(state))) return { status: "cancelled", sent, chunks };
          continue;
        }
        const id = `c${++state.chunkSeq}`;
        body = buildEnvelope(mapping.provider, this.options.sdkVersion, isoSeconds(this.clock.now()), built.items);
        pending = { id, anchors: built.anchors, completes: built.completes, itemCount: built.itemCount, perKey: built.perKey };
        await this.kv.set(outboxKey(req.userId, id), body);
        state.pending = pending;
        if (!(await this.commit(state))) return { status: "cancelled", sent, chunks };
      }
      const result = await this.uploader.deliver(url, body!);
      if (!result.ok) {
        state.lastError = result.detail;
        await this.commit(state);
        if (result.reason === "cancelled") return { status: "cancelled", sent, chunks };
        if (result.reason === "auth") return { status: "authError", sent, chunks, detail: result.detail };
        this.logger.log(`Sync paused (${result.detail}); progress is saved`);
        return { status: "paused", sent, chunks, retryInMs: result.retryInMs, detail: result.detail };
      }
      // Acknowledged: anchors, progress and "no pending chunk" become durable in one write.
      Object.assign(state.anchors, pending.anchors);
      for (const [k, n] of Object.entries(pending.perKey)) {
        const p = (session.perKey[k] ??= { sentCount: 0, complete: false });
        p.sentCount += n;
      }
      for (const k of pending.completes) (session.perKey[k] ??= { sentCount: 0, complete: false }).complete = true;
      session.sentCount += pending.itemCount;
      state.deadLettered += result.deadLettered;
      state.lastSuccessAt = this.clock.now();
      state.lastError = null;
      state.pending = null;
      if (!(await this.commit(state))) return { status: "cancelled", sent, chunks };
      await this.kv.delete(outboxKey(req.userId, pending.id));
      sent += pending.itemCount;
      chunks++;
      if (chunks % 25 === 0) this.logger.log(`Sync progress: ${session.sentCount} items sent`);
    }
    // Every type caught up: the session (and, the first time, the initial export) is complete.
    if (session.fullExport) this.logger.log(`Initial export complete: ${session.sentCount} items`);
    else if (sent) this.logger.log(`Incremental sync complete: ${sent} items`);
    state.initialExportDone = true;
    state.session = null;
    await this.commit(state);
    return { status: this.cancelled ? "cancelled" : "done", sent, chunks };
  }

  async status(userId: string | null, trackedKeys: number): Promise<SyncStatus> {
    const s = userId ? await this.states.load(userId) : null;
    const session = s?.session ?? null;
    const completed = session ? Object.values(session.perKey).filter((p) => p.complete).length : 0;
    return {
      hasResumableSession: !!session && (session.sentCount > 0 || completed > 0 || !!s?.pending),
      sentCount: session?.sentCount ?? 0,
      completedTypes: completed,
      isFullExport: session?.fullExport ?? false,
      createdAt: session ? isoSeconds(session.createdAt) : null,
      totalTypes: trackedKeys,
      initialExportDone: s?.initialExportDone ?? false,
      isSyncing: this.isSyncing,
      pendingChunk: !!s?.pending,
      deadLetteredCount: s?.deadLettered ?? 0,
      implausibleCount: s?.implausible ?? 0,
      lastSuccessAt: s?.lastSuccessAt ? isoSeconds(s.lastSuccessAt) : null,
      lastError: s?.lastError ?? null,
    };
  }

  /** Drops anchors, session and outbox for the user: the next pass is a full export again. */
  async resetAnchors(userId: string): Promise<void> {
    await this.stop();
    await this.states.wipe(userId);
  }
}
