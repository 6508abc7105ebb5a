import type { PayloadProvider } from "./providers";

/** Type aliases, not interfaces: the Worker checks at compile time that its loose zod schema accepts them. */

/** The unified health payload of the official SDKs (SDK reference §2.3): every key present, nulls explicit. */

export type PayloadSource = {
  appId: string | null;
  deviceId: string | null;
  deviceName: string | null;
  deviceManufacturer: string | null;
  deviceModel: string | null;
  deviceType: string | null;
  recordingMethod: string | null;
  deviceHardwareVersion?: string | null;
  deviceSoftwareVersion?: string | null;
  operatingSystemVersion?: { majorVersion: number; minorVersion: number; patchVersion: number } | null;
};

export type PayloadRecord = {
  id: string; type: string; startDate: string; endDate: string; zoneOffset: string | null;
  source: PayloadSource | null; value: number; unit: string | null; parentId: string | null;
  metadata: Record<string, unknown> | null;
};
export type PayloadSleep = {
  id: string; parentId: string | null; stage: string; startDate: string; endDate: string; zoneOffset: string | null;
  source: PayloadSource | null; values: { type: string; value: number; unit: string }[] | null;
  metadata: Record<string, unknown> | null;
};
export type PayloadWorkout = {
  id: string; parentId: string | null; type: string; startDate: string; endDate: string; zoneOffset: string | null;
  source: PayloadSource | null; title: string | null; notes: string | null;
  values: { type: string; value: number; unit: string }[] | null;
  segments: unknown[] | null; laps: unknown[] | null; route: unknown[] | null; samples: unknown[] | null;
  metadata: Record<string, unknown> | null;
};

/** The body of `POST /api/v1/sdk/users/{user_id}/sync` as the SDKs (and the shim) send it. */
export type SyncEnvelope = {
  provider: PayloadProvider;
  sdkVersion: string;
  syncTimestamp: string;
  data: { records: PayloadRecord[]; workouts: PayloadWorkout[]; sleep: PayloadSleep[] };
};
