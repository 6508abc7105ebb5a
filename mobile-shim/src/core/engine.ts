import type { HealthStorePort } from "../ports/health-store";
import type { Clock, Gzip } from "../ports/runtime";
import type { KeyValueStore } from "../ports/storage";
import type { AuthSession } from "./auth";
import { DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff";
import { ChunkBuilder, type BuiltChunk, type ChunkLimits, type ReadMode } from "./chunk-builder";
import { EventStream, type Logger } from "./events";
import { buildEnvelope, isoSeconds } from "./payload";
import { mappingFor } from "./platforms";
import { fractionDone, phaseOf, reachedBack, type ProgressEvent } from "./progress";
import { outboxKey, SyncStateStore, type PendingChunk, type SessionProgress, type UserSyncState, type WalkPhase } from "./state";
import type { SyncStatus } from "./types";
import { Uploader, type UploadStats } from "./uploader";

export interface EngineOptions {
  foreground: ChunkLimits;
  /** Background passes (BG task / WorkManager) get small chunks: little time, little memory (reference: 100). */
  background: ChunkLimits;
  backoff: BackoffPolicy;
  requestTimeoutMs: number;
  sdkVersion: string;
  /**
   * First sync newest-first (the last 24 h of every type, then older data, then what was written meanwhile),
   * when the health store supports newest-first reads. false: change order, oldest first.
   */
  newestFirst: boolean;
}
export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  foreground: { maxItems: 2_000, maxBytes: 1_000_000 },
  background: { maxItems: 500, maxBytes: 256_000 },
  backoff: DEFAULT_BACKOFF,
  requestTimeoutMs: 60_000,
  sdkVersion: "0.1.0-ts",
  newestFirst: true,
};

/** The first window of the newest-first walk: what a person who just connected wants to see first. */
export const RECENT_WINDOW_MS = 24 * 3_600_000;

interface Plan { keys: string[]; positions: Record<string, string | null>; floor: number | null; mode: ReadMode; phase?: WalkPhase }
interface Prepared { plan: Plan; built: BuiltChunk; body: string | null; wire: Promise<Uint8Array> | null }

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
  /** Progress of running passes (listeners must not throw; they are isolated anyway). */
  readonly progress = new EventStream<ProgressEvent>();

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

  /** Resolves when no pass is running (never rejects). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }
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

  private emit(kind: ProgressEvent["kind"], session: SessionProgress, req: PassRequest, newSession: boolean, extra: Partial<ProgressEvent> = {}): void {
    const keys = req.readKeys;
    this.progress.emit({
      kind, newSession, fullExport: session.fullExport, phase: phaseOf(session, keys), sentCount: session.sentCount,
      typesTotal: keys.length, typesDone: keys.filter((k) => session.perKey[k]?.complete).length,
      fraction: fractionDone(session, keys, req.floor), reachedBack: reachedBack(session), startedAt: session.createdAt, floor: req.floor,
      perKey: JSON.parse(JSON.stringify(session.perKey)) as SessionProgress["perKey"], keys, ...extra,
    });
  }

  /**
   * Makes an acknowledged (or empty) chunk's effects part of the state: anchors or walk cursors, per-type
   * progress, completions. The caller commits the state in one write.
   */
  private apply(state: UserSyncState, session: SessionProgress, p: Pick<PendingChunk, "anchors" | "completes" | "perKey" | "phase" | "oldest">): string[] {
    const walk = session.walk;
    if (p.phase && walk) {
      for (const [k, cursor] of Object.entries(p.anchors)) if (walk.keys[k]) walk.keys[k].cursor = cursor;
      for (const [k, t] of Object.entries(p.oldest ?? {})) {
        const w = walk.keys[k];
        if (w && (w.reached === null || t < w.reached)) w.reached = t;
      }
      for (const k of p.completes) {
        const w = walk.keys[k];
        if (!w) continue;
        if (p.phase === "recent") w.stage = "history";
        else { w.stage = "done"; state.anchors[k] = w.head; } // from here on: anchored reads from the head
      }
    } else {
      Object.assign(state.anchors, p.anchors);
    }
    for (const [k, n] of Object.entries(p.perKey)) (session.perKey[k] ??= { sentCount: 0, complete: false }).sentCount += n;
    const finished: string[] = [];
    if (!p.phase) {
      for (const k of p.completes) {
        const e = (session.perKey[k] ??= { sentCount: 0, complete: false });
        if (!e.complete) finished.push(k);
        e.complete = true;
      }
    }
    return finished;
  }

  private async pass(req: PassRequest): Promise<PassResult> {
    const state = await this.states.load(req.userId);
    await this.states.removeOrphans(state);
    const mapping = mappingFor(this.health.platform());
    const url = `${req.apiBase}/sdk/users/${encodeURIComponent(req.userId)}/sync`;
    const limits = req.background ? this.options.background : this.options.foreground;
    const builder = new ChunkBuilder(this.health, mapping, () => this.clock.now());
    let sent = 0, chunks = 0;
    const canWalk = this.options.newestFirst && !!this.health.readNewest && !!this.health.headAnchor;

    const newSession = !state.session;
    if (!state.session) {
      const now = this.clock.now();
      state.session = { createdAt: now, fullExport: !state.initialExportDone, sentCount: 0, perKey: {} };
      if (state.session.fullExport && canWalk) {
        state.session.walk = { recentFloor: Math.max(req.floor ?? -Infinity, now - RECENT_WINDOW_MS), keys: {} };
      }
      if (state.session.fullExport) this.logger.log(`Starting initial export of ${req.readKeys.length} types${state.session.walk ? " (newest first)" : ""}`);
    }
    const session = state.session;
    this.emit("start", session, req, newSession);
    const result = await this.loop(req, state, session, builder, url, limits, canWalk, newSession);
    sent = result.sent; chunks = result.chunks;
    if (result.status !== "done") {
      this.emit("end", session, req, newSession, { status: result.status });
      return result;
    }
    // Every type caught up: the session (and, the first time, the initial export) is complete.
    if (session.fullExport) this.logger.log(`Initial export complete: ${session.sentCount} items`);
    else if (sent) this.logger.log(`Incremental sync complete: ${sent} items`);
    state.initialExportDone = true;
    state.session = null;
    await this.commit(state);
    const status = this.cancelled ? "cancelled" : "done";
    this.emit("end", session, req, newSession, { status });
    return { status, sent, chunks };
  }

  /**
   * Which types the next chunk reads, from where and how. Null when a type still needs its head anchor (the
   * caller captures and commits it first) or when every type is complete.
   */
  private plan(req: PassRequest, state: UserSyncState, session: SessionProgress, canWalk: boolean): Plan | "fresh" | null {
    const keys = req.readKeys.filter((k) => !session.perKey[k]?.complete);
    if (!keys.length) return null;
    const walk = canWalk ? session.walk : undefined;
    if (!walk) return { keys, positions: state.anchors, floor: req.floor, mode: { kind: "anchored" } };
    if (keys.some((k) => !walk.keys[k] && state.anchors[k] === undefined)) return "fresh";
    const recent = keys.filter((k) => walk.keys[k]?.stage === "recent");
    const history = keys.filter((k) => walk.keys[k]?.stage === "history");
    const walked = keys.filter((k) => !walk.keys[k] || walk.keys[k]!.stage === "done");
    // The last 24 h of every type first; then a type whose walk reached the floor catches up from its head at
    // once (usually nothing to send), so it is complete — and reported — without waiting for the others.
    if (!recent.length && walked.length) return { keys: walked, positions: state.anchors, floor: req.floor, mode: { kind: "anchored" } };
    const phase: WalkPhase = recent.length ? "recent" : "history";
    const buildKeys = recent.length ? recent : history;
    return {
      keys: buildKeys, phase, floor: phase === "recent" ? walk.recentFloor : req.floor,
      positions: Object.fromEntries(buildKeys.map((k) => [k, walk.keys[k]!.cursor])),
      mode: { kind: "newest", heads: Object.fromEntries(buildKeys.map((k) => [k, walk.keys[k]!.head])) },
    };
  }

  /** Reads, maps, serializes and compresses one chunk; nothing is written. Null when the chunk would be empty. */
  private async prepare(p: Plan, builder: ChunkBuilder, limits: ChunkLimits, seq: number): Promise<Prepared> {
    const built = await builder.build(p.keys, p.positions, p.floor, limits, seq, p.mode);
    if (built.itemCount === 0) return { plan: p, built, body: null, wire: null };
    const body = buildEnvelope(mappingFor(this.health.platform()).provider, this.options.sdkVersion, isoSeconds(this.clock.now()), built.items);
    built.items = { records: [], sleep: [], workouts: [] }; // the body holds them now
    return { plan: p, built, body, wire: this.uploader.precompress(body) };
  }

  private async loop(req: PassRequest, state: UserSyncState, session: SessionProgress, builder: ChunkBuilder, url: string,
    limits: ChunkLimits, canWalk: boolean, newSession: boolean): Promise<PassResult> {
    let sent = 0, chunks = 0;
    const typeDone = (keys: string[]) => {
      for (const k of keys) this.emit("typeDone", session, req, newSession, { key: k, keyCount: session.perKey[k]?.sentCount ?? 0 });
    };
    // The next chunk, prepared while the current one is on the wire (reads, JSON and gzip overlap the server's
    // work). It is built from a copy of the state as if the current chunk were acknowledged, and is only
    // written to the outbox after that acknowledgement; if anything else happens it is thrown away.
    let ahead: Promise<Prepared | null> | null = null;
    const discardAhead = () => { ahead?.catch(() => undefined); ahead = null; };
    for (;;) {
      if (this.cancelled) { discardAhead(); return { status: "cancelled", sent, chunks }; }
      let pending = state.pending;
      let body = pending ? await this.kv.get(outboxKey(req.userId, pending.id)) : null;
      let wire: Promise<Uint8Array> | null = null;
      if (pending && body === null) { state.pending = pending = null; } // state written, body lost: rebuild from anchors
      if (!pending) {
        let prepared = ahead ? await ahead : null;
        ahead = null;
        if (!prepared) {
          const p = this.plan(req, state, session, canWalk);
          if (p === null) break;
          if (p === "fresh") {
            // A type joins the walk with its head anchor committed before any of its samples is read.
            const walk = session.walk!;
            for (const k of req.readKeys) {
              if (!session.perKey[k]?.complete && !walk.keys[k] && state.anchors[k] === undefined) {
                walk.keys[k] = { head: await this.health.headAnchor!(k), cursor: null, stage: "recent", reached: null };
              }
            }
            if (!(await this.commit(state))) return { status: "cancelled", sent, chunks };
            continue;
          }
          prepared = await this.prepare(p, builder, limits, state.chunkSeq);
        }
        const { built, plan: p } = prepared;
        state.implausible += built.implausible;
        if (built.implausible) this.logger.log(`Skipped ${built.implausible} samples with implausible timestamps`);
        if (prepared.body === null) {
          // Nothing to send but cursors may have moved (e.g. past implausible samples): commit them directly.
          if (!built.completes.length && !Object.keys(built.anchors).length) break; // defensive: no progress possible
          const finished = this.apply(state, session, { anchors: built.anchors, completes: built.completes, perKey: {}, phase: p.phase, oldest: built.oldest });
          if (!(await this.commit(state))) return { status: "cancelled", sent, chunks };
          typeDone(finished);
          continue;
        }
        const id = `c${++state.chunkSeq}`;
        body = prepared.body;
        wire = prepared.wire;
        pending = { id, anchors: built.anchors, completes: built.completes, itemCount: built.itemCount, perKey: built.perKey,
          ...(p.phase ? { phase: p.phase, oldest: built.oldest } : {}) };
        await this.kv.set(outboxKey(req.userId, id), body);
        state.pending = pending;
        if (!(await this.commit(state))) { wire?.catch(() => undefined); return { status: "cancelled", sent, chunks }; }
      }
      // Prepare the next chunk from the state this one leads to, while it travels.
      const after = JSON.parse(JSON.stringify(state)) as UserSyncState;
      this.apply(after, after.session!, pending);
      after.pending = null;
      const next = this.plan(req, after, after.session!, canWalk);
      ahead = next && next !== "fresh" ? this.prepare(next, builder, limits, after.chunkSeq) : null;

      const result = await this.uploader.deliver(url, body!, wire ?? undefined);
      if (!result.ok) {
        discardAhead();
        state.lastError = result.detail;
        await this.commit(state);
        if (result.reason === "cancelled") return { status: "cancelled", sent, chunks };
        if (result.reason === "auth") return { status: "authError", sent, chunks, detail: result.detail };
        this.logger.log(`Sync paused (${result.detail}); progress is saved`);
        return { status: "paused", sent, chunks, retryInMs: result.retryInMs, detail: result.detail };
      }
      // Acknowledged: anchors (or walk cursors), progress and "no pending chunk" become durable in one write.
      const finished = this.apply(state, session, pending);
      session.sentCount += pending.itemCount;
      state.deadLettered += result.deadLettered;
      state.lastSuccessAt = this.clock.now();
      state.lastError = null;
      state.pending = null;
      if (!(await this.commit(state))) { discardAhead(); return { status: "cancelled", sent, chunks }; }
      await this.kv.delete(outboxKey(req.userId, pending.id));
      sent += pending.itemCount;
      chunks++;
      this.emit("chunk", session, req, newSession);
      typeDone(finished);
      if (chunks % 25 === 0) this.logger.log(`Sync progress: ${session.sentCount} items sent`);
    }
    discardAhead();
    return { status: "done", sent, chunks };
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
