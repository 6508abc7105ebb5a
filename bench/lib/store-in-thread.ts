import { Worker } from "node:worker_threads";
import type { AuthorizationResult, HealthStorePort, NewestReadRequest, NewestReadResult, ProviderInfo, ReadRequest, ReadResult, StorePlatform } from "../../mobile-shim/src/ports/health-store";
import type { SimulatedStoreOptions } from "../../mobile-shim/src/simulator/simulated-store";

/**
 * A `HealthStorePort` whose simulated store runs in a worker thread (see store-worker.ts): the benchmark's heap
 * figures are then the shim's, not the simulated phone database's.
 */
export class StoreInThread implements HealthStorePort {
  readonly reads = { calls: 0, samples: 0 };
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<() => void>();
  /** The store's platform, mirrored from each answer (platform() is synchronous on the port). */
  private active: StorePlatform;

  constructor(options: Omit<SimulatedStoreOptions, "now">) {
    this.active = options.device === "ios" ? "healthkit" : "healthconnect";
    this.worker = new Worker(new URL("./store-worker.ts", import.meta.url), { workerData: options, execArgv: ["--import", "tsx"] }); // the worker loads TypeScript as this process does
    this.worker.on("message", (m: { id?: number; event?: string; value?: unknown; error?: string; reads?: { calls: number; samples: number }; platform?: StorePlatform }) => {
      if (m.event === "change") { for (const l of this.listeners) l(); return; }
      const p = this.pending.get(m.id!);
      if (!p) return;
      this.pending.delete(m.id!);
      if (m.reads) Object.assign(this.reads, m.reads);
      if (m.platform) this.active = m.platform;
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
    this.worker.on("error", (e) => { for (const p of this.pending.values()) p.reject(e); this.pending.clear(); });
  }

  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  platform(): StorePlatform { return this.active; }
  getAvailableProviders() { return this.call<ProviderInfo[]>("getAvailableProviders"); }
  setProvider(id: string) { return this.call<boolean>("setProvider", id); }
  requestAuthorization(keys: string[]) { return this.call<AuthorizationResult>("requestAuthorization", keys); }
  read(request: ReadRequest) { return this.call<ReadResult>("read", request); }
  headAnchor(key: string) { return this.call<string>("headAnchor", key); }
  readNewest(request: NewestReadRequest) { return this.call<NewestReadResult>("readNewest", request); }
  deviceInfo() { return this.call<{ manufacturer: string; model: string; osVersion: string }>("deviceInfo"); }
  observe(keys: string[], onChange: () => void): () => void {
    this.listeners.add(onChange);
    this.worker.postMessage({ method: "observe", args: [keys] });
    return () => this.listeners.delete(onChange);
  }
  /** Bench ground truth: heart-rate samples timed in [from, asOf) that the phone held at `asOf` (see store-worker.ts). */
  heartRateHeldAt(asOf: number, from: number) { return this.call<number>("heartRateHeldAt", asOf, from); }
  stop() { return this.worker.terminate(); }
}
