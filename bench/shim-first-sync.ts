/**
 * Mobile-shim first sync of a heavy user, newest first, against a local Worker (wrangler dev on workerd):
 *  - time from sign-in until the last 24 h of every granted type is readable through the read API;
 *  - the whole first sync vs. the server alone ingesting the very same request bodies (replayed, same order, one
 *    at a time, to a fresh user) in the same run: the ratio is the client's overhead, the machine's noise cancels;
 *  - where the client's time goes (store reads, mapping + JSON, gzip, waiting for the server);
 *  - the shim process's peak heap (sampled) and live heap (after forced GCs).
 *
 *   node --expose-gc --max-old-space-size=64 --import tsx bench/shim-first-sync.ts [--days 90,365] [--platform ios|android|samsung]
 * (flags on this process only: NODE_OPTIONS would also reach wrangler). Reads, gzip and waiting overlap (the next
 * chunk is prepared while one is on the wire), so they do not add up to the wall time; `cpu` is this process's
 * CPU (main thread + gzip threads) during the sync.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fetchHttpClient } from "../mobile-shim/src/adapters/node/http";
import { createNodePlatform } from "../mobile-shim/src/adapters/node/platform";
import { nodeGzip } from "../mobile-shim/src/adapters/node/runtime";
import type { ProgressEvent } from "../mobile-shim/src/core/progress";
import { OpenWearablesHealthSdkClient } from "../mobile-shim/src/core/sdk";
import { ALL_HEALTH_DATA_TYPES, AndroidHealthProvider, OWLogLevel } from "../mobile-shim/src/core/types";
import type { HttpClient } from "../mobile-shim/src/ports/http";
import type { SimDevice } from "../mobile-shim/src/simulator/simulated-store";
import { StoreInThread } from "./lib/store-in-thread";
// @ts-expect-error plain ESM helper without types
import { startWorker } from "../scripts/local-worker.mjs";

const { values } = parseArgs({ options: { days: { type: "string", default: "90,365" }, platform: { type: "string", default: "ios" },
  "chunk-items": { type: "string" }, "chunk-bytes": { type: "string" } } });
const foreground = values["chunk-items"] ? { maxItems: Number(values["chunk-items"]), maxBytes: Number(values["chunk-bytes"] ?? 1_000_000) } : undefined;
const device = values.platform as SimDevice;
const HOUR = 3_600_000;
/** Heart-rate record types on the wire: HealthKit's, and Health Connect's / Samsung Health's (one record per sample). */
const HEART_RATE_TYPES = new Set(["HKQuantityTypeIdentifierHeartRate", "HEART_RATE"]);

const worker = (await startWorker({ args: ["--log-level", "error"], snapshot: true })) as { origin: string; adminKey: string; stop(): Promise<void> };
const admin = { "X-Open-Wearables-API-Key": worker.adminKey, "Content-Type": "application/json" };
const gc = (globalThis as { gc?: () => void }).gc;
const ms = (n: number) => Math.round(n);

async function newUser() {
  const user = (await (await fetch(`${worker.origin}/api/v1/users`, { method: "POST", headers: admin, body: "{}" })).json()) as { id: string };
  const tokens = (await (await fetch(`${worker.origin}/api/v1/users/${user.id}/token`, { method: "POST", headers: admin, body: "{}" })).json()) as { access_token: string; refresh_token: string };
  return { id: user.id, ...tokens };
}

async function readApi(path: string) {
  const res = await fetch(`${worker.origin}/api/v1${path}`, { headers: admin });
  return (await res.json()) as any;
}

const rows: Record<string, unknown>[] = [];
try {
  for (const days of values.days!.split(",").map(Number)) {
    const user = await newUser();
    const dir = mkdtempSync(join(tmpdir(), "ow-bodies-"));
    const bodies: { file: string; headers: Record<string, string> }[] = [];
    const t = { read: 0, gzip: 0, http: 0 };
    // The phone's ports, timed. Request bodies are kept on disk for the replay (not in this process's heap).
    const http: HttpClient = async (req) => {
      if (req.url.endsWith("/sync") && req.body) {
        const file = join(dir, `${bodies.length}.bin`);
        writeFileSync(file, req.body);
        bodies.push({ file, headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "Authorization")) });
      }
      const s = performance.now();
      try { return await fetchHttpClient(req); } finally { if (req.url.endsWith("/sync")) t.http += performance.now() - s; }
    };
    // The simulated phone database runs in its own thread (own heap), as HealthKit runs outside the app on a phone.
    const store = new StoreInThread({ device, historyDays: days + 2, profile: "heavy", seed: 2026 });
    for (const m of ["read", "readNewest", "headAnchor"] as const) {
      const inner = (store[m] as (...a: unknown[]) => Promise<unknown>).bind(store);
      (store as unknown as Record<string, unknown>)[m] = async (...a: unknown[]) => { const s = performance.now(); try { return await inner(...a); } finally { t.read += performance.now() - s; } };
    }
    const platform = createNodePlatform({ health: store, http, print: () => undefined });
    platform.gzip = async (d) => { const s = performance.now(); try { return await nodeGzip(d); } finally { t.gzip += performance.now() - s; } };
    const sdk = new OpenWearablesHealthSdkClient(platform, { telemetry: true, engine: foreground ? { foreground } : {} });
    await sdk.setLogLevel(OWLogLevel.none);
    await sdk.configure({ host: worker.origin });
    if (device === "samsung") await sdk.setProvider(AndroidHealthProvider.samsungHealth);

    gc?.();
    const heapStart = process.memoryUsage().heapUsed;
    let peak = heapStart, livePeak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 20);
    const liveSampler = gc ? setInterval(() => { gc(); livePeak = Math.max(livePeak, process.memoryUsage().heapUsed); }, 3_000) : null;

    // Sign-in is t0: the person just connected.
    const t0 = performance.now();
    const cpu0 = (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
    await sdk.signIn({ userId: user.id, accessToken: user.access_token, refreshToken: user.refresh_token });
    await sdk.requestAuthorization({ types: [...ALL_HEALTH_DATA_TYPES] });
    const signedAt = Date.now();
    let recentAcked: number | null = null, recentHr = 0;
    type Poll = { at: number; heartRate: number; steps: number; sleep: number };
    // The customer's backend reads the last 24 h while the sync goes on: from the moment the recent phase is
    // acknowledged, every 250 ms for up to 10 s (or until the sync ends). Which poll first held all of it is decided
    // after the sync, against what the shim actually sent.
    const polls: Poll[] = [];
    let polling: Promise<void> | null = null;
    let syncEnded = false;
    const readWindow = async (): Promise<Poll> => {
      // The 24 h before sign-in: what the phone held when the person connected (minutes recorded during the sync come
      // later, with the catch-up, as they should).
      const from = new Date(signedAt - 24 * HOUR).toISOString(), to = new Date(signedAt).toISOString();
      const [hr, steps, sleep] = await Promise.all([
        readApi(`/users/${user.id}/timeseries?types=heart_rate&limit=10000&start_time=${from}&end_time=${to}`),
        readApi(`/users/${user.id}/timeseries?types=steps&limit=10000&start_time=${from}&end_time=${to}`),
        readApi(`/users/${user.id}/events/sleep?start_date=${from}&end_date=${to}&limit=10`),
      ]);
      return { at: performance.now() - t0, heartRate: hr.data.length, steps: steps.data.length, sleep: sleep.data.length };
    };
    sdk.engine.progress.listen((e: ProgressEvent) => {
      if (e.kind !== "chunk" || e.phase === "recent" || recentAcked !== null) return;
      recentAcked = performance.now() - t0;
      polling = (async () => {
        const stop = performance.now() + 10_000;
        for (;;) {
          polls.push(await readWindow());
          if (syncEnded || performance.now() > stop) return;
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
    });
    await sdk.startBackgroundSync({ syncDaysBack: days });
    await sdk.whenIdle();
    const wall = performance.now() - t0;
    syncEnded = true;
    const cpuSync = (process.cpuUsage().user + process.cpuUsage().system) / 1e6 - cpu0;
    clearInterval(sampler);
    if (liveSampler) clearInterval(liveSampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    await sdk.stopBackgroundSync();
    await sdk.telemetry.idle();
    const status = await sdk.getSyncStatus();
    await polling;
    // Ground truth for "readable": the heart-rate samples of the 24 h before sign-in that the phone held at sign-in
    // (asked of the simulated store), and, as a check, how many of those times the shim sent in any request.
    const from = signedAt - 24 * HOUR;
    recentHr = await store.heartRateHeldAt(signedAt, from);
    let sentInWindow = 0;
    const { gunzipSync } = await import("node:zlib");
    for (const b of bodies) {
      const json = JSON.parse(gunzipSync(readFileSync(b.file)).toString("utf8"));
      sentInWindow += json.data.records.filter((r: any) => HEART_RATE_TYPES.has(r.type) && Date.parse(r.startDate) >= from && Date.parse(r.startDate) < signedAt).length;
    }
    const first = polls[0];
    const complete = polls.find((p) => p.heartRate >= recentHr && p.steps > 0 && p.sleep > 0);

    // The server alone: the same bodies, same order, one at a time, to a fresh user (new data, as the first time).
    const replayUser = await newUser();
    const r0 = performance.now();
    for (const b of bodies) {
      const res = await fetch(`${worker.origin}/api/v1/sdk/users/${replayUser.id}/sync`, { method: "POST",
        headers: { ...b.headers, Authorization: `Bearer ${replayUser.access_token}` }, body: readFileSync(b.file) });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`replay answered ${res.status}`);
    }
    const serverAlone = performance.now() - r0;
    rmSync(dir, { recursive: true, force: true });
    await store.stop();

    const s = sdk.engine.stats;
    const row = {
      days, platform: device, requests: s.requests, rawSamples: store.reads.samples,
      gzipMB: +(s.wireBytes / 1e6).toFixed(1), uncompressedMB: +(s.rawBytes / 1e6).toFixed(1),
      last24hAckedMs: recentAcked === null ? null : ms(recentAcked),
      last24hReadableMs: complete ? ms(complete.at) : null, // null: not all of it within 10 s of the recent phase's ack
      firstReadMs: first ? ms(first.at) : null, firstReadHeartRate: first?.heartRate ?? null,
      last24hHeartRateReadable: complete?.heartRate ?? null, last24hHeartRateHeld: recentHr, heartRateSentForWindow: sentInWindow, last24hSteps: complete?.steps ?? null, lastNightSleep: complete?.sleep ?? null, polls: polls.length,
      wallS: +(wall / 1000).toFixed(1), serverAloneS: +(serverAlone / 1000).toFixed(1), ratio: +(wall / serverAlone).toFixed(2),
      clientReadS: +(t.read / 1000).toFixed(1), clientGzipS: +(t.gzip / 1000).toFixed(1), waitingForServerS: +(t.http / 1000).toFixed(1),
      cpuS: +cpuSync.toFixed(1),
      baseHeapMB: +(heapStart / 2 ** 20).toFixed(1), peakHeapMB: +(peak / 2 ** 20).toFixed(1), liveHeapPeakMB: gc ? +(livePeak / 2 ** 20).toFixed(1) : null,
      initialExportDone: status.initialExportDone, lastError: status.lastError, telemetrySent: sdk.telemetry.stats.sent,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await worker.stop();
}
console.log("\n| days | requests | gzip MB | last 24 h acked (ms) | last 24 h readable (ms) | whole sync (s) | server alone (s) | ratio | store reads (s) | gzip (s) | waiting for server (s) | shim CPU (s) | peak heap (MB) | live heap (MB) |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.days} | ${r.requests} | ${r.gzipMB} | ${r.last24hAckedMs} | ${r.last24hReadableMs} | ${r.wallS} | ${r.serverAloneS} | ${r.ratio} | ${r.clientReadS} | ${r.clientGzipS} | ${r.waitingForServerS} | ${r.cpuS} | ${r.peakHeapMB} | ${r.liveHeapPeakMB} |`);
