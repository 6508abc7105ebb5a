/** Time, timers and compression: the remaining OS services the core needs. */
export interface Clock {
  now(): number;
  /** The device's UTC offset in minutes at `epochMs` (e.g. +60 in Berlin winter), for local-midnight floors. */
  utcOffsetMinutes(epochMs: number): number;
  sleep(ms: number): Promise<void>;
}

/** Background scheduling: BGTaskScheduler / WorkManager on phones, timers in Node. */
export interface Scheduler {
  /** Periodic wake-ups while background sync is active (≥ 15 min on phones). Replaces an earlier one with the same id. */
  schedulePeriodic(id: string, intervalMs: number, run: () => Promise<void>): void;
  /** One wake-up after `delayMs` (retry after backoff). Replaces an earlier one with the same id. */
  scheduleOnce(id: string, delayMs: number, run: () => Promise<void>): void;
  cancel(id: string): void;
  cancelAll(): void;
}

/** Device facts for the SDK's `device_state` telemetry (all optional: unknown stays null). */
export interface DeviceState {
  /** 0..1 */
  batteryLevel?: number | null;
  batteryState?: string | null;
  isLowPowerMode?: boolean | null;
  thermalState?: string | null;
  availableRamBytes?: number | null;
  totalRamBytes?: number | null;
}

export type Gzip = (data: Uint8Array) => Promise<Uint8Array>;

/** Everything the SDK needs from its host, bundled. */
export interface Platform {
  health: import("./health-store").HealthStorePort;
  kv: import("./storage").KeyValueStore;
  secure: import("./storage").SecureStore;
  http: import("./http").HttpClient;
  clock: Clock;
  scheduler: Scheduler;
  gzip: Gzip | null;
  /** Where log lines go when the log level allows (console, os_log, Logcat). */
  print: (line: string) => void;
  /** `OWLogLevel.debug` prints only in debug builds. */
  isDebugBuild: boolean;
  sdkVersion?: string;
  /** Battery, thermal and memory state for telemetry; omitted = unknown. */
  deviceState?: () => Promise<DeviceState>;
}
