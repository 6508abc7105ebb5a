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
}

export interface SessionProgress {
  createdAt: number;
  fullExport: boolean;
  sentCount: number;
  perKey: Record<string, { sentCount: number; complete: boolean }>;
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
