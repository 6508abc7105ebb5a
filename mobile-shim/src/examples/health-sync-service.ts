/**
 * The guide's "Complete Integration Example" (HealthSyncService) in TypeScript, line for line. `isAndroid` and
 * `prefs` stand in for `Platform.isAndroid` and SharedPreferences; `post` for package:http.
 */
import { OpenWearablesHealthSdkClient } from "../core/sdk";
import { AndroidHealthProvider, HealthDataType, OpenWearablesHealthSdkStatus, OWLogLevel } from "../core/types";
import type { KeyValueStore } from "../ports/storage";
import type { HealthStatus } from "./token-endpoint";

export interface ServiceEnv {
  sdk: OpenWearablesHealthSdkClient;
  host: string;
  isAndroid: boolean;
  prefs: KeyValueStore;
  post: (url: string, headers: Record<string, string>) => Promise<{ status: number; body: string }>;
  /** GET on YOUR backend (for `serverStatus`). */
  get?: (url: string, headers: Record<string, string>) => Promise<{ status: number; body: string }>;
  print?: (line: string) => void;
}

export class HealthSyncService {
  constructor(private readonly backendUrl: string, private readonly authToken: string, private readonly env: ServiceEnv) {}

  private get sdk() { return this.env.sdk; }
  private print(line: string) { (this.env.print ?? console.log)(line); }

  /** Initialize the health sync service */
  async initialize(): Promise<void> {
    this.sdk.logStream.listen((message) => this.print(`[HealthSync] ${message}`));
    this.sdk.authErrorStream.listen((error) => this.print(`[HealthSync] Auth error: ${error.statusCode}`));
    await this.sdk.configure({ host: this.env.host });
    // Enable logs in all builds for debugging (default is debug-only)
    await this.sdk.setLogLevel(OWLogLevel.always);
  }

  get status(): OpenWearablesHealthSdkStatus { return this.sdk.status; }
  get isConnected(): boolean { return this.sdk.isSignedIn; }
  get isSyncing(): boolean { return this.sdk.isSyncActive; }

  /** Connect health data for the current user */
  async connect(): Promise<void> {
    switch (this.sdk.status) {
      case OpenWearablesHealthSdkStatus.signedIn:
        if (!this.sdk.isSyncActive) await this.startSync();
        return;
      case OpenWearablesHealthSdkStatus.configured:
        await this.signIn();
        await this.startSync();
        return;
      case OpenWearablesHealthSdkStatus.notConfigured:
        throw new Error("SDK not configured. Call initialize() first.");
    }
  }

  private async signIn(): Promise<void> {
    // Call YOUR backend — not the Open Wearables API directly
    const response = await this.env.post(`${this.backendUrl}/api/health/connect`, {
      Authorization: `Bearer ${this.authToken}`, "Content-Type": "application/json",
    });
    if (response.status !== 200) throw new Error("Failed to get health credentials");
    const data = JSON.parse(response.body) as { userId: string; accessToken: string; refreshToken: string };
    await this.sdk.signIn({ userId: data.userId, accessToken: data.accessToken, refreshToken: data.refreshToken });
  }

  private async startSync(): Promise<void> {
    if (this.env.isAndroid) {
      const providers = (await this.sdk.getAvailableProviders()).filter((p) => p.isAvailable).map((p) => p.provider);
      const savedName = await this.env.prefs.get("health_provider");
      // Restore saved provider or pick the best available one
      let chosen: AndroidHealthProvider | null = null;
      if (savedName !== null) chosen = providers.find((p) => p?.name === savedName) ?? null;
      chosen ??= providers.includes(AndroidHealthProvider.healthConnect) ? AndroidHealthProvider.healthConnect
        : providers.includes(AndroidHealthProvider.samsungHealth) ? AndroidHealthProvider.samsungHealth : null;
      if (!chosen) throw new Error("No supported health provider available on this device. Please install Health Connect or Samsung Health.");
      await this.env.prefs.set("health_provider", chosen.name);
      await this.sdk.setProvider(chosen);
    }
    const authorized = await this.sdk.requestAuthorization({
      types: [HealthDataType.steps, HealthDataType.heartRate, HealthDataType.sleep, HealthDataType.workout, HealthDataType.activeEnergy],
    });
    if (!authorized) throw new Error("Health permissions not granted");
    await this.sdk.startBackgroundSync({ syncDaysBack: 90 });
  }

  /** Disconnect health data */
  async disconnect(): Promise<void> {
    await this.sdk.stopBackgroundSync();
    await this.sdk.signOut();
  }

  /** Check for interrupted sync sessions */
  async checkAndResumeSync(): Promise<void> {
    const status = await this.sdk.getSyncStatus();
    if (status.hasResumableSession === true) {
      this.print("Resuming interrupted sync...");
      this.print(`Already sent: ${status.sentCount} records`);
      await this.sdk.resumeSync();
    }
  }

  /**
   * What the server has (beyond the guide): YOUR backend reads it from Open Wearables with the typed client
   * (`GET /api/health/status` in token-endpoint.ts), so the app can show "connected, last synced at …".
   */
  async serverStatus(): Promise<HealthStatus> {
    if (!this.env.get) throw new Error("serverStatus needs env.get");
    const response = await this.env.get(`${this.backendUrl}/api/health/status`, { Authorization: `Bearer ${this.authToken}` });
    if (response.status !== 200) throw new Error("Failed to get health status");
    return JSON.parse(response.body) as HealthStatus;
  }

  /** Force a full re-sync of all data */
  async resyncAllData(): Promise<void> {
    await this.sdk.resetAnchors();
    await this.sdk.syncNow();
  }
}
