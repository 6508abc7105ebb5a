import { freemem, totalmem } from "node:os";
import { join } from "node:path";
import type { HealthStorePort } from "../../ports/health-store";
import type { HttpClient } from "../../ports/http";
import type { Clock, Platform } from "../../ports/runtime";
import { MemoryKeyValueStore } from "../memory";
import { FileKeyValueStore } from "./file-store";
import { fetchHttpClient } from "./http";
import { nodeGzip, systemClock, TimerScheduler } from "./runtime";

export interface NodePlatformOptions {
  health: HealthStorePort;
  /** Directory for the "app sandbox"; omit for in-memory storage. */
  dataDir?: string;
  http?: HttpClient;
  clock?: Clock;
  gzip?: boolean;
  print?: (line: string) => void;
  isDebugBuild?: boolean;
}

/** A Node process acting as the phone: files for Keychain/UserDefaults, fetch, zlib, timers. */
export function createNodePlatform(o: NodePlatformOptions): Platform {
  return {
    health: o.health,
    kv: o.dataDir ? new FileKeyValueStore(join(o.dataDir, "prefs")) : new MemoryKeyValueStore(),
    secure: o.dataDir ? new FileKeyValueStore(join(o.dataDir, "secure"), 0o600) : new MemoryKeyValueStore(),
    http: o.http ?? fetchHttpClient,
    clock: o.clock ?? systemClock,
    scheduler: new TimerScheduler(),
    gzip: o.gzip === false ? null : nodeGzip,
    print: o.print ?? ((line) => console.log(line)),
    isDebugBuild: o.isDebugBuild ?? process.env.NODE_ENV !== "production",
    // A laptop has no battery API in Node: memory only.
    deviceState: async () => ({ availableRamBytes: freemem(), totalRamBytes: totalmem() }),
  };
}
