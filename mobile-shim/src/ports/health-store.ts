import type { RawSample } from "./raw-samples";

/**
 * The OS health database, as the sync engine needs it. Implemented natively (Capacitor plugin) and by the
 * simulator. The engine never sees OS objects: only the JSON of `raw-samples.ts`.
 */
export type StorePlatform = "healthkit" | "healthconnect" | "samsung";

export interface ProviderInfo { id: string; displayName: string; isAvailable: boolean }

export interface AuthorizationResult {
  /** Read keys the user granted; `null` when the OS does not reveal it (HealthKit never reports read denials). */
  granted: string[] | null;
  /** Health Connect only: background reads are allowed (`READ_HEALTH_DATA_IN_BACKGROUND`). */
  background?: boolean;
  /** Health Connect only: history older than 30 days may be read (`READ_HEALTH_DATA_HISTORY`). */
  history?: boolean;
}

export interface ReadRequest {
  /** A store read key: HealthKit type identifier, Health Connect record type or Samsung data type. */
  key: string;
  /** Opaque cursor from a previous read (HK anchor, HC changes token, Samsung update-time cursor); null = from the start. */
  anchor: string | null;
  /** Maximum raw samples to return. */
  limit: number;
  /** Only samples starting at or after this instant (epoch ms): the `syncDaysBack` floor. */
  startAtOrAfter: number | null;
}

export interface ReadResult {
  /** In change order (insertion order), never by timestamp: late-written samples with old timestamps still show up. */
  samples: RawSample[];
  /** Cursor just after the last returned sample. */
  anchor: string;
  hasMore: boolean;
  /** Health Connect changes token expired: restart from `null` (the store applies its catch-up window). */
  anchorExpired?: boolean;
}

/**
 * A newest-first read (first sync): samples ordered by (start, id) descending, strictly below `cursor`, only
 * those the store already held at `asOf` (a head anchor captured before the walk began). Everything written
 * after `asOf` is left to the anchored reads that continue from it, so the walk and the catch-up never overlap.
 */
export interface NewestReadRequest {
  key: string;
  /** Opaque position from a previous newest-first read; null = from the newest sample. */
  cursor: string | null;
  limit: number;
  startAtOrAfter: number | null;
  /** Head anchor from `headAnchor`: samples written after it are not part of the walk. */
  asOf: string;
}

export interface NewestReadResult {
  /** Newest first by start time (ties by id, descending). */
  samples: RawSample[];
  /** Position just below the last returned sample. */
  cursor: string;
  hasMore: boolean;
}

export interface HealthStorePort {
  /** Platform of the active provider (changes with `setProvider` on Android). */
  platform(): StorePlatform;
  getAvailableProviders(): Promise<ProviderInfo[]>;
  /** Android: select `google` (Health Connect) or `samsung`. Returns false if unavailable. iOS: no-op true. */
  setProvider(id: string): Promise<boolean>;
  requestAuthorization(keys: string[]): Promise<AuthorizationResult>;
  read(request: ReadRequest): Promise<ReadResult>;
  /**
   * Optional (newest-first first sync): an anchor at the current end of the change log of `key` — HC
   * `getChangesToken`, HK the anchor after paging an anchored query to its end. Stores without these two
   * methods get the oldest-first (change-order) first sync.
   */
  headAnchor?(key: string): Promise<string>;
  readNewest?(request: NewestReadRequest): Promise<NewestReadResult>;
  /** Calls `onChange` when any of `keys` may have new data (HKObserverQuery; polling elsewhere). */
  observe(keys: string[], onChange: () => void): () => void;
  /** Device facts for payload `source` fallbacks and telemetry. */
  deviceInfo(): Promise<{ manufacturer: string; model: string; osVersion: string }>;
}
