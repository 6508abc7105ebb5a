import type { KeyValueStore } from "../ports/storage";

/**
 * Per-user sync state. Everything that must change together (committed anchors, session progress, the
 * pending chunk's identity) lives in ONE key, so each commit is a single atomic write. The pending chunk's
 * bytes live in a separate outbox key written before the state points at it.
 */
export interface PendingChunk {
  id: string;
  /** Anchors to commit once the server acknowledged this chunk. */
  anchors: Record<string, string>;
  /** Read keys that are caught up once this chunk is acknowledged. */
  completes: string[];
  itemCount: number;
  perKey: Record<string, number>;
  /** Set when the chunk was read by the newest-first walk: `anchors` then holds walk cursors of that phase. */
  phase?: WalkPhase;
  /** Earliest sample start per key in this chunk (progress of the walk). */
  oldest?: Record<string, number>;
}

/** The first sync walks each type newest-first: the last 24 h of every type, then the rest, then catch-up. */
export type WalkPhase = "recent" | "history";

export interface WalkKey {
  /** Change-log position captured before the walk's first read: the walk covers what is at or before it, the
   * anchored catch-up everything after it, so late writes are neither skipped nor sent twice. */
  head: string;
  /** Newest-first position after the last acknowledged chunk. */
  cursor: string | null;
  /** `done`: walked down to the floor; the type's anchor is `head` and anchored reads take over. */
  stage: WalkPhase | "done";
  /** Earliest sample start acknowledged so far. */
  reached: number | null;
}

export interface WalkState {
  /** Start of the "recent" window (24 h before the session started, never below the floor). */
  recentFloor: number;
  keys: Record<string, WalkKey>;
}

export interface SessionProgress {
  createdAt: number;
  fullExport: boolean;
  sentCount: number;
  perKey: Record<string, { sentCount: number; complete: boolean }>;
  /** Newest-first first sync (absent: change-order export, or a store without newest-first reads). */
  walk?: WalkState;
  /** Telemetry: the type-end events already reported for this session. */
  reported?: string[];
}

export interface UserSyncState {
  v: 1;
  userId: string;
  anchors: Record<string, string>;
  initialExportDone: boolean;
  session: SessionProgress | null;
  pending: PendingChunk | null;
  deadLettered: number;
  implausible: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  chunkSeq: number;
}

/** Key layout: user ids are server UUIDs; they are escaped anyway so a key can never cross users. */
const enc = (userId: string) => encodeURIComponent(userId);
export const stateKey = (userId: string) => `ow.sync.${enc(userId)}.state`;
export const outboxPrefix = (userId: string) => `ow.sync.${enc(userId)}.outbox.`;
export const outboxKey = (userId: string, chunkId: string) => `${outboxPrefix(userId)}${chunkId}`;

export const emptyState = (userId: string): UserSyncState => ({
  v: 1, userId, anchors: {}, initialExportDone: false, session: null, pending: null,
  deadLettered: 0, implausible: 0, lastSuccessAt: null, lastError: null, chunkSeq: 0,
});

export class SyncStateStore {
  constructor(private readonly kv: KeyValueStore) {}

  async load(userId: string): Promise<UserSyncState> {
    const raw = await this.kv.get(stateKey(userId));
    if (!raw) return emptyState(userId);
    try {
      const parsed = JSON.parse(raw) as UserSyncState;
      // A state file that is not this user's is never used (state isolation, §2.7).
      if (parsed.v !== 1 || parsed.userId !== userId) return emptyState(userId);
      return parsed;
    } catch {
      return emptyState(userId);
    }
  }

  save(state: UserSyncState): Promise<void> {
    return this.kv.set(stateKey(state.userId), JSON.stringify(state));
  }

  /** Outbox entries no state points at (a crash between writing the chunk and recording it). */
  async removeOrphans(state: UserSyncState): Promise<void> {
    for (const key of await this.kv.keys(outboxPrefix(state.userId))) {
      if (!state.pending || key !== outboxKey(state.userId, state.pending.id)) await this.kv.delete(key);
    }
  }

  async wipe(userId: string): Promise<void> {
    for (const key of await this.kv.keys(outboxPrefix(userId))) await this.kv.delete(key);
    await this.kv.delete(stateKey(userId));
  }
}
