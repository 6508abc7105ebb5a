import type { AuthorizationResult, ProviderInfo, StorePlatform } from "../ports/health-store";

/**
 * The Capacitor plugin `OpenWearablesHealth` as seen from JavaScript: what ios/ (Swift) and android/ (Kotlin)
 * implement. Everything crossing the bridge is plain JSON; samples follow ports/raw-samples.ts.
 */
export interface PluginListenerHandle { remove(): Promise<void> }

export interface OpenWearablesHealthPlugin {
  getPlatform(): Promise<{ platform: StorePlatform }>;
  getAvailableProviders(): Promise<{ providers: ProviderInfo[] }>;
  setProvider(options: { id: string }): Promise<{ ok: boolean }>;
  /** Health Connect also asks READ_HEALTH_DATA_IN_BACKGROUND and READ_HEALTH_DATA_HISTORY when `background`/`history`. */
  requestAuthorization(options: { keys: string[]; background?: boolean; history?: boolean }): Promise<AuthorizationResult>;
  /** HK: HKAnchoredObjectQuery; HC: getChanges(token) (getChangesToken + readRecords on first use); Samsung: update-time cursor. */
  read(options: { key: string; anchor: string | null; limit: number; startAtOrAfter: number | null }): Promise<{ samples: unknown[]; anchor: string; hasMore: boolean; anchorExpired?: boolean }>;
  /** HKObserverQuery + enableBackgroundDelivery(.immediate); Android: no-op (WorkManager polls). */
  startObserving(options: { keys: string[] }): Promise<void>;
  stopObserving(): Promise<void>;
  /** BGAppRefreshTask/BGProcessingTask (ids com.openwearables.healthsdk.task.refresh / .process); WorkManager `health_sync_periodic`. */
  scheduleBackground(options: { intervalMinutes: number }): Promise<void>;
  cancelBackground(): Promise<void>;
  /** Ends the OS task (BGTask.setTaskCompleted / observer completion handler / Worker result). */
  completeBackgroundTask(options: { taskId: string; success: boolean }): Promise<void>;
  /** Keychain (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly) / EncryptedSharedPreferences. */
  secureGet(options: { key: string }): Promise<{ value: string | null }>;
  secureSet(options: { key: string; value: string }): Promise<void>;
  secureDelete(options: { key: string }): Promise<void>;
  secureKeys(options: { prefix: string }): Promise<{ keys: string[] }>;
  /** App-private files, atomic replace per key (sync state and outbox). */
  prefsGet(options: { key: string }): Promise<{ value: string | null }>;
  prefsSet(options: { key: string; value: string }): Promise<void>;
  prefsDelete(options: { key: string }): Promise<void>;
  prefsKeys(options: { prefix: string }): Promise<{ keys: string[] }>;
  deviceInfo(): Promise<{ manufacturer: string; model: string; osVersion: string; isDebugBuild: boolean }>;
  addListener(event: "healthChanged", cb: (e: { keys: string[]; taskId?: string }) => void): Promise<PluginListenerHandle>;
  addListener(event: "backgroundTask", cb: (e: { taskId: string; kind: "refresh" | "processing" | "periodic" }) => void): Promise<PluginListenerHandle>;
}
