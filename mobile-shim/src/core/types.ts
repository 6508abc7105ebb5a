/** Public value types of the SDK, named and valued exactly as in the Flutter SDK (guide + SDK reference §1.2). */

export { ALL_HEALTH_DATA_TYPES, HealthDataType, isHealthDataType } from "@ow/contract";

/** Android providers; `id` is what the payload's `provider` field carries. */
export const AndroidHealthProvider = {
  healthConnect: { name: "healthConnect", id: "google", displayName: "Health Connect" },
  samsungHealth: { name: "samsungHealth", id: "samsung", displayName: "Samsung Health" },
} as const;
export type AndroidHealthProvider = (typeof AndroidHealthProvider)[keyof typeof AndroidHealthProvider];
export const androidProviderFromId = (id: string): AndroidHealthProvider | null =>
  Object.values(AndroidHealthProvider).find((p) => p.id === id || p.name === id) ?? null;

export interface AvailableProvider {
  id: string;
  displayName: string;
  isAvailable: boolean;
  /** The enum value, or null for a provider this SDK version does not know. */
  provider: AndroidHealthProvider | null;
}

/** Same numeric values as every official SDK. */
export enum OWLogLevel { none = 0, always = 1, debug = 2 }

export enum OpenWearablesHealthSdkStatus { notConfigured = "notConfigured", configured = "configured", signedIn = "signedIn" }

export interface OpenWearablesHealthSdkConfig { readonly host: string }

export class OpenWearablesHealthSdkUser {
  constructor(readonly userId: string) {}
  equals(other: OpenWearablesHealthSdkUser | null | undefined): boolean { return other?.userId === this.userId; }
}

export type { PayloadProvider } from "@ow/contract";

/** `getSyncStatus()` keys of the official SDKs (§1.2.6) plus additive diagnostics. */
export interface SyncStatus {
  hasResumableSession: boolean;
  sentCount: number;
  completedTypes: number;
  isFullExport: boolean;
  createdAt: string | null;
  totalTypes: number;
  initialExportDone: boolean;
  isSyncing: boolean;
  /** Additive: a chunk is persisted and waiting to be (re)sent. */
  pendingChunk: boolean;
  /** Additive: items the server or the shim refused for good (kept out of the retry loop). */
  deadLetteredCount: number;
  /** Additive: samples dropped before upload because their timestamps are implausible. */
  implausibleCount: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  [key: string]: unknown;
}

export interface AuthErrorEvent { statusCode: number; message: string }
