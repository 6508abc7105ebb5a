/**
 * CPU profile of the real sync path in workerd, per platform: V8's sampling profiler through the inspector that
 * `wrangler dev` exposes, while one phone uploads 2,000-record batches (same bodies as bench/ingest.ts). Self time
 * is grouped into stages by the nearest named function on each sample's stack (STAGE_OF). The profile covers the
 * Worker's isolate (route and the user's object run in it locally); SQLite's work is inside `exec`.
 *   npx tsx bench/ingest-profile.ts [--batches 15]
 */
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { startWorker } from "../scripts/local-worker.mjs";
import { healthConnectBatch, iosBatch, samsungBatch } from "../worker/test/ingest/fixtures";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const BATCHES = arg("batches", 15);
const DAY = 86_400_000;
const base = Date.UTC(new Date().getUTCFullYear() - 2, 0, 1);
const PLATFORMS = { ios: iosBatch, health_connect: healthConnectBatch, samsung: samsungBatch } as const;

/**
 * Stage of a sample: the nearest function on its stack (itself first, then its callers) named here. So `exec` under
 * storeBatch is the store, JSON.parse inside ingestBatch is the parse, a closure inside normalizeEnvelope is
 * normalization. Samples under none of these are the runtime (HTTP, RPC, Hono, the proxy glue).
 */
const STAGE_OF: Record<string, string> = {
  tooManyContainers: "body scan",
  normalizeEnvelope: "normalize (validation, units, keys, sources)",
  batchFingerprint: "fingerprint",
  storeBatch: "store (samples, workouts, sleep stages + sessions)",
  recordRun: "sync-run row",
  pruneRuns: "sync-run row",
  addToOutbox: "outbox",
  ingestBatch: "JSON.parse (+ ingestBatch glue)",
  ingest: "object: access check, last sync",
  verifyAccessToken: "auth (JWT)",
  requireSdkAuth: "auth (JWT)",
  readBodyText: "read body",
  hasListeners: "route",
};
// Helpers named too: a sample's stack is sometimes cut short above an optimized frame.
for (const fn of ["normalizeRecord", "normalizeWorkout", "normalizeSleepItem", "checkWindow", "checkLengths", "parseZoneOffset",
  "parseTimestamp", "parseIsoUtc", "parseIsoGeneral", "parseNumber", "lookupUnit", "conversionFor", "sameSource", "contentKey"]) {
  STAGE_OF[fn] = STAGE_OF.normalizeEnvelope!;
}
for (const fn of ["mix", "fmix", "hashString"]) STAGE_OF[fn] = STAGE_OF.batchFingerprint!;
for (const fn of ["rebuildSleep", "buildSleepSessions", "stableId"]) STAGE_OF[fn] = STAGE_OF.storeBatch!;

function stageOf(nodeId: number, nodes: Map<number, { callFrame: { functionName: string } }>, parent: Map<number, number>): string {
  for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
    const fn = nodes.get(id)!.callFrame.functionName;
    if (fn === "(garbage collector)") return "gc";
    if (fn === "(program)") return "runtime (program)";
    const st = STAGE_OF[fn];
    if (st) return st;
  }
  return "runtime (HTTP, RPC, routing)";
}

const worker = await startWorker({ snapshot: true, args: ["--log-level", "error"] });
try {
  const cmd = readFileSync(`/proc/${worker.pid}/cmdline`, "utf8").split("\0");
  const port = cmd[cmd.indexOf("--inspector-port") + 1];
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string; title?: string }[];
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((r, j) => { ws.once("open", r); ws.once("error", j); });
  let seq = 0;
  const pending = new Map<number, (v: unknown) => void>();
  ws.on("message", (m) => {
    const msg = JSON.parse(String(m)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<any>((r) => { const id = ++seq; pending.set(id, r); ws.send(JSON.stringify({ id, method, params })); });

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${worker.origin}/api/v1${path}`, {
      method, headers: { "content-type": "application/json", "x-open-wearables-api-key": worker.adminKey }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { app_id, app_secret } = await api<{ app_id: string; app_secret: string }>("POST", "/applications", { name: "bench-profile" });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  let slot = 0;
  for (const [platform, build] of Object.entries(PLATFORMS)) {
    const { id } = await api<{ id: string }>("POST", "/users", { external_user_id: `profile-${platform}` });
    const { access_token } = await api<{ access_token: string }>("POST", `/users/${id}/token`, { app_id, app_secret });
    const texts = Array.from({ length: BATCHES + 2 }, () => JSON.stringify(build({ start: base + slot++ * 7 * DAY, records: 2000, workouts: 2, sleepNights: 1, idSalt: `p${slot}` })));
    const sendOne = async (t: string) => {
      const res = await fetch(`${worker.origin}/api/v1/sdk/users/${id}/sync`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${access_token}` }, body: t });
      if (res.status !== 202) throw new Error(`sync ${res.status}`);
      await res.arrayBuffer();
    };
    for (const t of texts.slice(0, 2)) await sendOne(t); // warm-up
    await send("Profiler.start");
    for (const t of texts.slice(2)) await sendOne(t);
    const { profile } = await send("Profiler.stop");
    const nodes = new Map<number, { callFrame: { functionName: string; url: string } }>(profile.nodes.map((n: any) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes as { id: number; children?: number[] }[]) for (const c of n.children ?? []) parent.set(c, n.id);
    const counts = new Map<number, number>();
    for (const s of profile.samples as number[]) counts.set(s, (counts.get(s) ?? 0) + 1);
    const byStage = new Map<string, number>();
    const byFn = new Map<string, number>();
    let total = 0;
    for (const [nodeId, c] of counts) {
      const { functionName, url } = nodes.get(nodeId)!.callFrame;
      if (functionName === "(idle)") continue;
      total += c;
      const st = stageOf(nodeId, nodes, parent);
      byStage.set(st, (byStage.get(st) ?? 0) + c);
      const key = `${functionName || "(anonymous)"} ${url.split("/").pop()}`;
      byFn.set(key, (byFn.get(key) ?? 0) + c);
    }
    if (process.argv.includes("--debug")) {
      for (const [nodeId] of counts) {
        if (nodes.get(nodeId)!.callFrame.functionName !== "normalizeRecord") continue;
        const chain: string[] = [];
        for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) chain.push(nodes.get(id)!.callFrame.functionName || "(anon)");
        console.log(chain.join(" < "));
        break;
      }
    }
    const pct = (m: Map<string, number>, n: number) =>
      Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Math.round((1000 * v) / total) / 10]));
    console.log(JSON.stringify({ bench: "ingest-profile", platform, batches: BATCHES, samples: total, percent_by_stage: pct(byStage, 16), top_functions: pct(byFn, 14) }));
  }
  ws.close();
} finally {
  await worker.stop();
}
