/**
 * Mobile-shim backfill benchmark: a heavy user's history (minute-level heart rate + every other type) from
 * the simulated HealthKit store into a local Worker (wrangler dev on workerd), for 30 / 90 / 365 days.
 * Reports wall time, requests, bytes on the wire (gzip) and uncompressed, and the shim process's peak heap.
 *
 *   node --expose-gc --max-old-space-size=48 --import tsx bench/shim-backfill.ts [--days 30,90,365] [--platform ios|android|samsung]
 * (flags on this process only: NODE_OPTIONS would also reach wrangler)
 */
import { parseArgs } from "node:util";
import { createNodePlatform } from "../mobile-shim/src/adapters/node/platform";
import { OpenWearablesHealthSdkClient } from "../mobile-shim/src/core/sdk";
import { ALL_HEALTH_DATA_TYPES, AndroidHealthProvider, OWLogLevel } from "../mobile-shim/src/core/types";
import { SimulatedHealthStore, type SimDevice } from "../mobile-shim/src/simulator/simulated-store";
// @ts-expect-error plain ESM helper without types
import { startWorker } from "../scripts/local-worker.mjs";

const { values } = parseArgs({ options: { days: { type: "string", default: "30,90,365" }, platform: { type: "string", default: "ios" } } });
const device = values.platform as SimDevice;

const worker = (await startWorker({ args: ["--log-level", "error"] })) as { origin: string; adminKey: string; stop(): Promise<void> };
const admin = { "X-Open-Wearables-API-Key": worker.adminKey, "Content-Type": "application/json" };
const results: Record<string, unknown>[] = [];
try {
  for (const days of values.days!.split(",").map(Number)) {
    const user = (await (await fetch(`${worker.origin}/api/v1/users`, { method: "POST", headers: admin, body: "{}" })).json()) as { id: string };
    const tokens = (await (await fetch(`${worker.origin}/api/v1/users/${user.id}/token`, { method: "POST", headers: admin, body: "{}" })).json()) as { access_token: string; refresh_token: string };
    const store = new SimulatedHealthStore({ device, now: () => Date.now(), historyDays: days + 2, profile: "heavy", seed: 2026 });
    const sdk = new OpenWearablesHealthSdkClient(createNodePlatform({ health: store, print: () => undefined }));
    await sdk.setLogLevel(OWLogLevel.none);
    await sdk.configure({ host: worker.origin });
    await sdk.signIn({ userId: user.id, accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
    if (device === "samsung") await sdk.setProvider(AndroidHealthProvider.samsungHealth);
    await sdk.requestAuthorization({ types: [...ALL_HEALTH_DATA_TYPES] });
    await sdk.startBackgroundSync({ syncDaysBack: days });
    await sdk.stopBackgroundSync(); // keep the setting, run the pass in the foreground below
    await sdk.whenIdle(); // syncNow returns at once while the stopped pass is still winding down
    (globalThis as { gc?: () => void }).gc?.();
    const heapStart = process.memoryUsage().heapUsed;
    let peak = heapStart;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 20);
    // Live heap: a full GC every 500 ms, then heapUsed (needs --expose-gc; what the process really holds).
    const gc = (globalThis as { gc?: () => void }).gc;
    let livePeak = 0;
    const liveSampler = gc ? setInterval(() => { gc(); livePeak = Math.max(livePeak, process.memoryUsage().heapUsed); }, 500) : null;
    const t0 = performance.now();
    await sdk.syncNow();
    const wall = performance.now() - t0;
    clearInterval(sampler);
    if (liveSampler) clearInterval(liveSampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    const status = await sdk.getSyncStatus();
    const s = sdk.engine.stats;
    const row = { days, platform: device, rawSamples: store.reads.samples, wallSeconds: Math.round(wall / 100) / 10,
      requests: s.requests, retries: s.retries, uncompressedMB: +(s.rawBytes / 1e6).toFixed(1), gzipMB: +(s.wireBytes / 1e6).toFixed(1),
      samplesPerSecond: Math.round(store.reads.samples / (wall / 1000)), peakHeapMB: +(peak / 2 ** 20).toFixed(1),
      liveHeapPeakMB: gc ? +(livePeak / 2 ** 20).toFixed(1) : null, heapLimitMB: maxOldSpace(),
      heapAtStartMB: +(heapStart / 2 ** 20).toFixed(1), initialExportDone: status.initialExportDone, lastError: status.lastError };
    results.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await worker.stop();
}
console.log("\n| days | raw samples | wall (s) | requests | uncompressed (MB) | gzip on the wire (MB) | samples/s | peak heapUsed (MB) | peak live heap after GC (MB) |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) console.log(`| ${r.days} | ${r.rawSamples} | ${r.wallSeconds} | ${r.requests} | ${r.uncompressedMB} | ${r.gzipMB} | ${r.samplesPerSecond} | ${r.peakHeapMB} | ${r.liveHeapPeakMB} |`);

function maxOldSpace(): string | null {
  return /--max-old-space-size=(\d+)/.exec(`${process.env.NODE_OPTIONS ?? ""} ${process.execArgv.join(" ")}`)?.[1] ?? null;
}
