import type { Platform } from "../ports/runtime";
import { TransportError } from "../ports/http";
import { AuthSession, utf8 } from "./auth";
import { parseConnectLink } from "./deep-link";
import { SyncEngine, DEFAULT_ENGINE_OPTIONS, type EngineOptions, type PassResult } from "./engine";
import { ArgumentError, NoResumableSessionError, NotConfiguredException, NotSignedInException, SignInException } from "./errors";
import { EventStream, Logger } from "./events";
import { mappingFor } from "./platforms";
import { Telemetry } from "./telemetry";
import {
  androidProviderFromId, isHealthDataType, OpenWearablesHealthSdkStatus, OpenWearablesHealthSdkUser, type OWLogLevel,
  type AndroidHealthProvider, type AuthErrorEvent, type AvailableProvider, type HealthDataType,
  type OpenWearablesHealthSdkConfig, type SyncStatus,
} from "./types";

const C = { host: "ow.config.host", syncActive: "ow.config.syncActive", tracked: "ow.config.trackedTypes",
  daysBack: "ow.config.syncDaysBack", provider: "ow.config.provider", logLevel: "ow.config.logLevel" } as const;
const PERIODIC_ID = "ow.sync.periodic";
const RETRY_ID = "ow.sync.retry";
/** Phones cannot wake more often than this (BGAppRefreshTask, WorkManager minimum). */
export const PERIODIC_INTERVAL_MS = 15 * 60_000;

export interface SdkOptions {
  engine?: Partial<EngineOptions>; observeDebounceMs?: number; periodicIntervalMs?: number; random?: () => number;
  /** Send the official SDKs' `/logs` diagnostics during first syncs (default true). */
  telemetry?: boolean;
}

/**
 * The guide's `OpenWearablesHealthSdk`, one instance per app process (see `OpenWearablesHealthSdk` in
 * index.ts for the static form). Method names and argument names mirror the Dart API.
 */
export class OpenWearablesHealthSdkClient {
  private _config: OpenWearablesHealthSdkConfig | null = null;
  private _user: OpenWearablesHealthSdkUser | null = null;
  private _syncActive = false;
  private unobserve: (() => void) | null = null;
  private debounce: Promise<void> | null = null;
  readonly logger: Logger;
  readonly authErrorStream = new EventStream<AuthErrorEvent>();
  readonly auth: AuthSession;
  readonly engine: SyncEngine;
  readonly telemetry: Telemetry;
  private passInBackground = false;
  /** The pass running now (set synchronously, before the engine starts it). */
  private current: Promise<PassResult> | null = null;

  constructor(private readonly p: Platform, private readonly opts: SdkOptions = {}) {
    this.logger = new Logger(p.print, p.isDebugBuild);
    this.auth = new AuthSession(p.secure, p.http, p.clock, this.logger, this.authErrorStream, () => this.apiBase);
    const options = { ...DEFAULT_ENGINE_OPTIONS, sdkVersion: p.sdkVersion ?? DEFAULT_ENGINE_OPTIONS.sdkVersion, ...opts.engine };
    this.engine = new SyncEngine(p.health, p.kv, this.auth, p.clock, p.gzip, this.logger, options, opts.random);
    this.telemetry = new Telemetry({ auth: this.auth, clock: p.clock, logger: this.logger, sdkVersion: options.sdkVersion,
      url: () => (this._user && this._config ? `${this.apiBase}/sdk/users/${encodeURIComponent(this._user.userId)}/logs` : null),
      provider: () => mappingFor(p.health.platform()).provider, deviceState: p.deviceState });
    if (opts.telemetry !== false) this.telemetry.attach(this.engine.progress, () => this.passInBackground);
  }

  get logStream(): EventStream<string> { return this.logger.stream; }
  get config(): OpenWearablesHealthSdkConfig | null { return this._config; }
  get isConfigured(): boolean { return this._config !== null; }
  get isSignedIn(): boolean { return this._user !== null; }
  get currentUser(): OpenWearablesHealthSdkUser | null { return this._user; }
  get isSyncActive(): boolean { return this._syncActive; }
  get logLevel(): OWLogLevel { return this.logger.level; }
  get status(): OpenWearablesHealthSdkStatus {
    if (!this._config) return OpenWearablesHealthSdkStatus.notConfigured;
    return this._user ? OpenWearablesHealthSdkStatus.signedIn : OpenWearablesHealthSdkStatus.configured;
  }
  /** `{host}/api/v1`: the SDK adds the prefix (a host that already carries it is not doubled). */
  get apiBase(): string {
    if (!this._config) throw new NotConfiguredException();
    return `${this._config.host}/api/v1`;
  }

  private ensureSignedIn(): string {
    if (!this._config) throw new NotConfiguredException();
    if (!this._user) throw new NotSignedInException();
    return this._user.userId;
  }

  /** Stores the host and restores a saved session; re-arms background sync if it was active. Never throws for "no session". */
  async configure({ host }: { host: string }): Promise<void> {
    const normalized = host.trim().replace(/\/+$/, "").replace(/\/api\/v1$/, "");
    if (!/^https?:\/\/[^/\s]+/i.test(normalized)) throw new ArgumentError("host must be an http(s) origin, e.g. https://api.example.com");
    this._config = { host: normalized };
    await this.p.kv.set(C.host, normalized);
    const level = await this.p.kv.get(C.logLevel);
    if (level !== null) this.logger.level = Number(level) as OWLogLevel;
    const creds = await this.auth.load();
    this._user = creds ? new OpenWearablesHealthSdkUser(creds.userId) : null;
    const provider = await this.p.kv.get(C.provider);
    if (provider) await this.p.health.setProvider(provider);
    this._syncActive = this._user !== null && (await this.p.kv.get(C.syncActive)) === "1";
    if (this._syncActive && (await this.trackedTypes()).length) {
      this.logger.log("Session restored; resuming background sync");
      this.arm();
      const s = await this.getSyncStatus();
      if (s.hasResumableSession || !s.initialExportDone) void this.runPass("restore");
    }
  }

  async signIn(args: { userId: string; accessToken?: string | null; refreshToken?: string | null; apiKey?: string | null }): Promise<OpenWearablesHealthSdkUser> {
    if (!this._config) throw new NotConfiguredException();
    const { userId, accessToken, refreshToken, apiKey } = args;
    if (!userId?.trim()) throw new ArgumentError("userId is required");
    if (!((accessToken && refreshToken) || apiKey)) throw new ArgumentError("Provide accessToken and refreshToken, or apiKey");
    const previous = this._user?.userId;
    if (previous && previous !== userId) {
      // Another user's progress must never leak into this one's: drop it with their credentials.
      await this.stopBackgroundSync();
      await this.engine.states.wipe(previous);
      this.telemetry.reset();
    }
    try {
      await this.auth.save({ userId, accessToken: accessToken ?? null, refreshToken: refreshToken ?? null, apiKey: apiKey ?? null });
    } catch (e) {
      throw new SignInException(`Could not store credentials: ${(e as Error).message}`);
    }
    this._user = new OpenWearablesHealthSdkUser(userId);
    this.logger.log(apiKey && !accessToken ? "Signed in with API key" : "Signed in with tokens");
    return this._user;
  }

  async updateTokens({ accessToken, refreshToken }: { accessToken: string; refreshToken?: string | null }): Promise<void> {
    this.ensureSignedIn();
    await this.auth.updateTokens(accessToken, refreshToken ?? null);
    // Like iOS: pending uploads are retried with the new credentials.
    if (this._syncActive) void this.runPass("tokens");
  }

  /**
   * Redeems the one-time code of a PWA hand-off link and signs in. The code and tokens are never logged or
   * put anywhere but the secure store.
   */
  async handleDeepLink(url: string): Promise<OpenWearablesHealthSdkUser> {
    const link = parseConnectLink(url);
    if (!link) throw new SignInException("Not an Open Wearables connect link");
    if (!this._config || this._config.host !== link.host.replace(/\/+$/, "")) await this.configure({ host: link.host });
    let res;
    try {
      res = await this.p.http({ method: "POST", url: `${this.apiBase}/invitation-code/redeem`, timeoutMs: 30_000,
        headers: { "Content-Type": "application/json", Accept: "application/json" }, body: utf8(JSON.stringify({ code: link.code })) });
    } catch (e) {
      if (e instanceof TransportError) throw new SignInException("Could not reach the server to redeem the code");
      throw e;
    }
    let body: Record<string, unknown> = {};
    try { body = JSON.parse(res.body) as Record<string, unknown>; } catch { /* handled below */ }
    if (res.status !== 200 || typeof body.access_token !== "string" || typeof body.user_id !== "string") {
      const detail = typeof body.detail === "string" ? body.detail : `Code could not be redeemed (HTTP ${res.status})`;
      throw new SignInException(detail, res.status);
    }
    this.logger.log("Invitation code redeemed");
    return this.signIn({ userId: body.user_id, accessToken: body.access_token, refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : null });
  }

  private async trackedTypes(): Promise<HealthDataType[]> {
    try { return (JSON.parse((await this.p.kv.get(C.tracked)) ?? "[]") as unknown[]).filter(isHealthDataType); } catch { return []; }
  }
  private async readKeys(): Promise<string[]> {
    return mappingFor(this.p.health.platform()).readKeys(await this.trackedTypes());
  }

  /**
   * Asks the OS for read access. Tracked types are saved even if denied (later passes still try them).
   * Returns true iff every requested type is granted; HealthKit never reveals read denials, so on iOS true
   * means "the sheet was handled" and denied types simply deliver nothing.
   */
  async requestAuthorization({ types }: { types: HealthDataType[] }): Promise<boolean> {
    this.ensureSignedIn();
    const known = types.filter(isHealthDataType);
    const merged = [...new Set([...(await this.trackedTypes()), ...known])];
    await this.p.kv.set(C.tracked, JSON.stringify(merged));
    const keys = mappingFor(this.p.health.platform()).readKeys(known);
    if (!keys.length) return false;
    const result = await this.p.health.requestAuthorization(keys);
    if (result.granted === null) return true;
    const granted = keys.filter((k) => result.granted!.includes(k));
    this.logger.log(`Authorization: ${granted.length}/${keys.length} types granted`);
    return granted.length === keys.length;
  }

  async getAvailableProviders(): Promise<AvailableProvider[]> {
    if (this.p.health.platform() === "healthkit") return [];
    return (await this.p.health.getAvailableProviders())
      .map((p) => ({ ...p, provider: androidProviderFromId(p.id) }));
  }

  async setProvider(provider: AndroidHealthProvider): Promise<boolean> {
    const ok = await this.p.health.setProvider(provider.id);
    if (ok) await this.p.kv.set(C.provider, provider.id);
    return ok;
  }

  /** `syncDaysBack`: null/undefined keeps the stored value, ≤ 0 means all history; persisted for later passes. */
  async startBackgroundSync({ syncDaysBack }: { syncDaysBack?: number | null } = {}): Promise<boolean> {
    this.ensureSignedIn();
    if (syncDaysBack !== undefined && syncDaysBack !== null) await this.p.kv.set(C.daysBack, String(Math.max(0, Math.floor(syncDaysBack))));
    if (!(await this.readKeys()).length) { this.logger.log("No authorized types to sync"); return false; }
    await this.p.kv.set(C.syncActive, "1");
    this._syncActive = true;
    this.arm();
    void this.runPass("start");
    return true;
  }

  async stopBackgroundSync(): Promise<void> {
    this._syncActive = false;
    this.p.scheduler.cancel(PERIODIC_ID);
    this.p.scheduler.cancel(RETRY_ID);
    this.unobserve?.();
    this.unobserve = null;
    await this.p.kv.set(C.syncActive, "0");
    await this.engine.stop();
  }

  /**
   * As the official SDKs: if a pass is already running, returns at once (that pass carries on; nothing is
   * queued). Otherwise runs a pass now and resolves when it has ended (done, paused with a retry scheduled, or
   * stopped). `whenIdle()` waits for a running pass.
   */
  async syncNow(): Promise<void> {
    this.ensureSignedIn();
    if (this.current) { this.logger.log("Sync already in progress"); return; }
    await this.runPass("manual");
  }

  /** Additive: resolves once no pass is running (e.g. after `startBackgroundSync` kicked one off). */
  async whenIdle(): Promise<void> {
    while (this.current) await this.current.catch(() => undefined);
    await this.engine.idle();
  }

  async resumeSync(): Promise<void> {
    this.ensureSignedIn();
    if (!(await this.getSyncStatus()).hasResumableSession) throw new NoResumableSessionError();
    await this.runPass("resume");
  }

  async resetAnchors(): Promise<void> {
    if (!this._user) return;
    await this.engine.resetAnchors(this._user.userId);
    if (this._syncActive) void this.runPass("reset");
  }

  async getSyncStatus(): Promise<SyncStatus> {
    const status = await this.engine.status(this._user?.userId ?? null, this._user ? (await this.readKeys()).length : 0);
    return { ...status, isSyncing: status.isSyncing || this.current !== null };
  }

  async setLogLevel(level: OWLogLevel): Promise<void> {
    this.logger.level = level;
    await this.p.kv.set(C.logLevel, String(level));
  }

  /** Stops sync, revokes the refresh token on the server (best effort), then wipes this user's local state. */
  async signOut(): Promise<void> {
    const user = this._user;
    if (!user) return;
    try {
      await this.stopBackgroundSync();
      const refreshToken = this.auth.credentials?.refreshToken;
      if (refreshToken && this._config) {
        try {
          const res = await this.p.http({ method: "POST", url: `${this.apiBase}/token/revoke`, timeoutMs: 10_000,
            headers: { "Content-Type": "application/json" }, body: utf8(JSON.stringify({ refresh_token: refreshToken })) });
          this.logger.log(res.status === 204 ? "Session revoked on the server" : `Session revoke answered HTTP ${res.status}`);
        } catch {
          this.logger.log("Could not reach the server to revoke the session; signing out locally");
        }
      }
    } finally {
      await this.engine.states.wipe(user.userId);
      this.telemetry.reset();
      await this.auth.clear();
      for (const k of [C.syncActive, C.tracked, C.daysBack, C.provider]) await this.p.kv.delete(k);
      this._user = null;
      this._syncActive = false;
      this.logger.log("Signed out");
    }
  }

  /** Local midnight of (today − N days) in the device's zone, or null for all history. */
  async syncFloor(): Promise<number | null> {
    const days = Number((await this.p.kv.get(C.daysBack)) ?? "0");
    if (!(days > 0)) return null;
    const now = this.p.clock.now();
    const offsetMs = this.p.clock.utcOffsetMinutes(now) * 60_000;
    const localMidnight = Math.floor((now + offsetMs) / 86_400_000) * 86_400_000 - days * 86_400_000;
    return localMidnight - this.p.clock.utcOffsetMinutes(localMidnight - offsetMs) * 60_000;
  }

  private arm(): void {
    this.p.scheduler.schedulePeriodic(PERIODIC_ID, this.opts.periodicIntervalMs ?? PERIODIC_INTERVAL_MS, () => this.runPass("periodic").then(() => undefined));
    this.unobserve?.();
    void this.readKeys().then((keys) => {
      if (!this._syncActive) return;
      this.unobserve = this.p.health.observe(keys, () => this.onStoreChange());
    });
  }

  /** HealthKit observers fire in bursts: coalesce them into one pass. */
  private onStoreChange(): void {
    if (this.debounce) return;
    this.debounce = this.p.clock.sleep(this.opts.observeDebounceMs ?? 2_000).then(async () => {
      this.debounce = null;
      if (this._syncActive) await this.runPass("observer");
    });
  }

  /** One pass for the signed-in user; callers while one runs share it. Schedules its own retry when paused by backoff. */
  runPass(reason: string, background = false): Promise<PassResult> {
    if (this.current) return this.current;
    const run = this.pass(reason, background).finally(() => { if (this.current === run) this.current = null; });
    this.current = run;
    return run;
  }

  private async pass(reason: string, background: boolean): Promise<PassResult> {
    const user = this._user;
    if (!user || !this._config) return { status: "skipped", sent: 0, chunks: 0 };
    if (this.auth.authFailed) return { status: "authError", sent: 0, chunks: 0 };
    const readKeys = await this.readKeys();
    if (!readKeys.length) return { status: "skipped", sent: 0, chunks: 0 };
    this.logger.log(`Sync pass (${reason})`);
    this.passInBackground = background;
    const result = await this.engine.runPass({ userId: user.userId, apiBase: this.apiBase, readKeys, floor: await this.syncFloor(), background });
    if (result.status === "paused" && this._syncActive) {
      this.p.scheduler.scheduleOnce(RETRY_ID, result.retryInMs ?? 60_000, () => this.runPass("retry").then(() => undefined));
    }
    return result;
  }
}
