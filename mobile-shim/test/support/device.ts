import { MemoryKeyValueStore } from "../../src/adapters/memory";
import { fetchHttpClient } from "../../src/adapters/node/http";
import { nodeGzip } from "../../src/adapters/node/runtime";
import { OpenWearablesHealthSdkClient, type SdkOptions } from "../../src/core/sdk";
import type { KeyValueStore } from "../../src/ports/storage";
import type { Platform } from "../../src/ports/runtime";
import { SimulatedHealthStore, type SimDevice } from "../../src/simulator/simulated-store";
import { FakeClock, ManualScheduler } from "./fakes";
import { FaultyNet, WireTap, type Fault } from "./net";
import { origin } from "./server";

export interface DeviceOptions {
  device?: SimDevice; historyDays?: number; profile?: "typical" | "heavy"; seed?: number; deny?: string[];
  faults?: Fault[]; kv?: KeyValueStore; secure?: KeyValueStore; clock?: FakeClock; store?: SimulatedHealthStore;
  sdk?: SdkOptions; gzip?: boolean; tap?: WireTap;
}

/**
 * The phone's "now": the latest 15:00 UTC that has passed. History is counted from the start of the day, so a
 * clock at the real time of day would make the amount of data (and the tests) depend on when they run.
 */
export function stableNow(real = Date.now()): number {
  const day = 86_400_000;
  const at15 = Math.floor(real / day) * day + 15 * 3_600_000;
  return at15 <= real ? at15 : at15 - day;
}

/** A simulated phone: real Worker over real fetch, virtual time, in-memory "disk" that survives `restart()`. */
export function makeDevice(o: DeviceOptions = {}) {
  const clock = o.clock ?? new FakeClock(stableNow());
  const store = o.store ?? new SimulatedHealthStore({ device: o.device ?? "ios", historyDays: o.historyDays ?? 3, profile: o.profile ?? "typical",
    seed: o.seed ?? 7, now: () => clock.now(), deny: o.deny });
  const tap = o.tap ?? new WireTap();
  const net = new FaultyNet(fetchHttpClient, o.faults ?? [], tap);
  const kv = o.kv ?? new MemoryKeyValueStore();
  const secure = o.secure ?? new MemoryKeyValueStore();
  const scheduler = new ManualScheduler();
  const logs: string[] = [];
  const platform: Platform = { health: store, kv, secure, http: net.client, clock, scheduler, gzip: o.gzip === false ? null : nodeGzip,
    print: (l) => logs.push(l), isDebugBuild: true };
  const options: SdkOptions = { random: () => 0.5, ...o.sdk, engine: { backoff: { baseMs: 100, maxMs: 2_000, maxAttemptsPerPass: 4 }, ...o.sdk?.engine } };
  const sdk = new OpenWearablesHealthSdkClient(platform, options);
  return { sdk, store, clock, tap, net, kv, secure, scheduler, logs, platform, host: origin(),
    /** A new process on the same disk and phone (after a kill). */
    restart: (extra: Partial<DeviceOptions> = {}) => makeDevice({ ...o, kv, secure, clock, store, tap, ...extra }),
  };
}
