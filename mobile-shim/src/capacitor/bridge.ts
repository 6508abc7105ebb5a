import { compressionStreamGzip } from "../adapters/web/gzip";
import { fetchHttpClient } from "../adapters/node/http";
import type { HealthStorePort, ReadResult } from "../ports/health-store";
import type { RawSample } from "../ports/raw-samples";
import type { Clock, Platform, Scheduler } from "../ports/runtime";
import type { KeyValueStore } from "../ports/storage";
import { validateRawSample } from "./contract";
import type { OpenWearablesHealthPlugin } from "./definitions";

/**
 * Adapts the native plugin to the ports. Usage in an app:
 *   import { registerPlugin } from "@capacitor/core";
 *   const native = registerPlugin<OpenWearablesHealthPlugin>("OpenWearablesHealth");
 *   OpenWearablesHealthSdk.install(await createCapacitorPlatform(native));
 */
export class CapacitorHealthStore implements HealthStorePort {
  /** Samples the native side sent that break the contract (counted, never fatal). */
  contractViolations = 0;
  constructor(private readonly plugin: OpenWearablesHealthPlugin, private current: Awaited<ReturnType<OpenWearablesHealthPlugin["getPlatform"]>>["platform"]) {}
  platform() { return this.current; }
  async getAvailableProviders() { return (await this.plugin.getAvailableProviders()).providers; }
  async setProvider(id: string) {
    const { ok } = await this.plugin.setProvider({ id });
    if (ok) this.current = (await this.plugin.getPlatform()).platform;
    return ok;
  }
  requestAuthorization(keys: string[]) { return this.plugin.requestAuthorization({ keys, background: true, history: true }); }
  async read(req: Parameters<HealthStorePort["read"]>[0]): Promise<ReadResult> {
    const res = await this.plugin.read(req);
    const samples: RawSample[] = [];
    for (const s of res.samples) {
      const v = validateRawSample(s);
      if (typeof v === "string") this.contractViolations++; else samples.push(v);
    }
    return { samples, anchor: res.anchor, hasMore: res.hasMore, anchorExpired: res.anchorExpired };
  }
  observe(keys: string[], onChange: () => void) {
    const handle = this.plugin.addListener("healthChanged", () => onChange());
    void this.plugin.startObserving({ keys });
    return () => { void handle.then((h) => h.remove()); void this.plugin.stopObserving(); };
  }
  deviceInfo() { return this.plugin.deviceInfo(); }
}

const pluginStore = (p: OpenWearablesHealthPlugin, secure: boolean): KeyValueStore => secure
  ? { get: async (key) => (await p.secureGet({ key })).value, set: (key, value) => p.secureSet({ key, value }), delete: (key) => p.secureDelete({ key }), keys: async (prefix) => (await p.secureKeys({ prefix })).keys }
  : { get: async (key) => (await p.prefsGet({ key })).value, set: (key, value) => p.prefsSet({ key, value }), delete: (key) => p.prefsDelete({ key }), keys: async (prefix) => (await p.prefsKeys({ prefix })).keys };

/** Periodic work is the OS's (BGTaskScheduler / WorkManager); one-off retries use JS timers while the app runs. */
class NativeScheduler implements Scheduler {
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private periodic: (() => Promise<void>) | null = null;
  constructor(private readonly plugin: OpenWearablesHealthPlugin) {
    void plugin.addListener("backgroundTask", async ({ taskId }) => {
      let success = true;
      try { await this.periodic?.(); } catch { success = false; }
      await plugin.completeBackgroundTask({ taskId, success });
    });
  }
  schedulePeriodic(_id: string, intervalMs: number, run: () => Promise<void>) {
    this.periodic = run;
    void this.plugin.scheduleBackground({ intervalMinutes: Math.max(15, Math.round(intervalMs / 60_000)) });
  }
  scheduleOnce(id: string, delayMs: number, run: () => Promise<void>) {
    this.cancel(id);
    this.timers.set(id, setTimeout(() => { this.timers.delete(id); void run(); }, delayMs));
  }
  cancel(id: string) {
    if (id.includes("periodic")) { this.periodic = null; void this.plugin.cancelBackground(); }
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }
  cancelAll() { for (const id of [...this.timers.keys()]) this.cancel(id); this.periodic = null; void this.plugin.cancelBackground(); }
}

const webClock: Clock = {
  now: () => Date.now(),
  utcOffsetMinutes: (at) => -new Date(at).getTimezoneOffset(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export async function createCapacitorPlatform(plugin: OpenWearablesHealthPlugin): Promise<Platform> {
  const [{ platform }, info] = await Promise.all([plugin.getPlatform(), plugin.deviceInfo()]);
  return {
    health: new CapacitorHealthStore(plugin, platform),
    kv: pluginStore(plugin, false),
    secure: pluginStore(plugin, true),
    http: fetchHttpClient, // fetch + AbortSignal.timeout exist in the WebView too
    clock: webClock,
    scheduler: new NativeScheduler(plugin),
    gzip: compressionStreamGzip(),
    print: (line) => console.log(line),
    isDebugBuild: info.isDebugBuild,
  };
}
