import { OpenWearablesHealthSdkClient, type SdkOptions } from "./core/sdk";
import type { Platform } from "./ports/runtime";
import type { EventStream } from "./core/events";
import type { AndroidHealthProvider, AuthErrorEvent, HealthDataType, OWLogLevel } from "./core/types";

export * from "./core/types";
export * from "./core/errors";
export { OpenWearablesHealthSdkClient, type SdkOptions } from "./core/sdk";
export { parseConnectLink } from "./core/deep-link";
export type { Platform, Clock, Scheduler, Gzip } from "./ports/runtime";
export type { HealthStorePort } from "./ports/health-store";
export type { KeyValueStore, SecureStore } from "./ports/storage";
export type { HttpClient, HttpRequest, HttpResponse } from "./ports/http";
export { TransportError } from "./ports/http";
export type * from "./ports/raw-samples";

let instance: OpenWearablesHealthSdkClient | null = null;
const sdk = (): OpenWearablesHealthSdkClient => {
  if (!instance) throw new Error("No platform installed: call OpenWearablesHealthSdk.install(platform) (the Capacitor plugin does this)");
  return instance;
};

/**
 * The guide's static API. The host runtime installs its platform once (Capacitor: `installCapacitorPlatform()`;
 * Node: `createNodePlatform()`), then the app calls exactly what the guide shows.
 */
export class OpenWearablesHealthSdk {
  static install(platform: Platform, options?: SdkOptions): OpenWearablesHealthSdkClient {
    instance = new OpenWearablesHealthSdkClient(platform, options);
    return instance;
  }
  static get instance(): OpenWearablesHealthSdkClient { return sdk(); }
  static configure(args: { host: string }) { return sdk().configure(args); }
  static get config() { return sdk().config; }
  static get status() { return sdk().status; }
  static get isConfigured() { return sdk().isConfigured; }
  static get isSignedIn() { return sdk().isSignedIn; }
  static get currentUser() { return sdk().currentUser; }
  static get isSyncActive() { return sdk().isSyncActive; }
  static get logLevel() { return sdk().logLevel; }
  static signIn(args: { userId: string; accessToken?: string | null; refreshToken?: string | null; apiKey?: string | null }) { return sdk().signIn(args); }
  static signOut() { return sdk().signOut(); }
  static updateTokens(args: { accessToken: string; refreshToken?: string | null }) { return sdk().updateTokens(args); }
  static requestAuthorization(args: { types: HealthDataType[] }) { return sdk().requestAuthorization(args); }
  static getAvailableProviders() { return sdk().getAvailableProviders(); }
  static setProvider(provider: AndroidHealthProvider) { return sdk().setProvider(provider); }
  static startBackgroundSync(args?: { syncDaysBack?: number | null }) { return sdk().startBackgroundSync(args); }
  static stopBackgroundSync() { return sdk().stopBackgroundSync(); }
  static syncNow() { return sdk().syncNow(); }
  /** Additive: resolves once no sync pass is running (e.g. the first sync that `startBackgroundSync` began). */
  static whenIdle() { return sdk().whenIdle(); }
  static resumeSync() { return sdk().resumeSync(); }
  static resetAnchors() { return sdk().resetAnchors(); }
  static getSyncStatus() { return sdk().getSyncStatus(); }
  static setLogLevel(level: OWLogLevel) { return sdk().setLogLevel(level); }
  static handleDeepLink(url: string) { return sdk().handleDeepLink(url); }
  static get logStream(): EventStream<string> { return sdk().logStream; }
  static get authErrorStream(): EventStream<AuthErrorEvent> { return sdk().authErrorStream; }
}

/** The guide reads the streams from `MethodChannelOpenWearablesHealthSdk`; same streams here. */
export const MethodChannelOpenWearablesHealthSdk = {
  get logStream(): EventStream<string> { return sdk().logStream; },
  get authErrorStream(): EventStream<AuthErrorEvent> { return sdk().authErrorStream; },
};
