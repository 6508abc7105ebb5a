/**
 * Token mint and refresh against the local Worker (wrangler dev on workerd, local D1), 50 concurrent clients.
 *   npm run bench:tokens            (= tsx bench/tokens.ts; options: --clients 50 --requests 40 --rounds 3)
 *
 * Each round: 50 clients, each with its own user, send a fixed number of requests back to back, so the run is
 * bounded and stops by itself.
 *   mint:    POST /api/v1/users/{id}/token with app_id + app_secret
 *   refresh: POST /api/v1/token/refresh, each client following its own rotation chain (always the newest refresh
 *            token, as a phone does), starting from its last minted token.
 * Reports latency p50/p99 and throughput (req/s) per round and the median over rounds, plus workerd CPU per
 * request (utime+stime of the workerd processes under wrangler dev, i.e. the Worker and wrangler's proxy Worker;
 * workerd's own clock does not advance during execution).
 */
import { startWorker, treeCpuMs } from "../scripts/local-worker.mjs";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CLIENTS = arg("clients", 50);
const REQUESTS = arg("requests", 40);
const ROUNDS = arg("rounds", 3);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r1 = (x: number) => Math.round(x * 10) / 10;

interface TokenPair { access_token: string; refresh_token: string }
interface PhaseResult { phase: string; requests: number; errors: number; p50_ms: number; p99_ms: number; max_ms: number; req_per_s: number; cpu_ms_per_req: number }

// snapshot: a bundle of the code as of the start, so other people's edits cannot restart the Worker mid-run.
// --log-level error: wrangler's per-request log lines cost its Node process ~1 ms of CPU per request on these two
// cores (a dev-server artifact, not the Worker's cost), which would otherwise compete with workerd.
const worker = await startWorker({ snapshot: true, args: ["--log-level", "error"] });
const admin = { "content-type": "application/json", "x-open-wearables-api-key": worker.adminKey };

async function post<T>(path: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }): Promise<{ status: number; json: T }> {
  const res = await fetch(`${worker.origin}/api/v1${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as T };
}

/** Runs `clients` loops of `requests` sequential calls at once; each call returns its HTTP status. */
async function phase(name: string, perClient: (client: number, i: number) => Promise<number>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let errors = 0;
  const cpu0 = treeCpuMs(worker.pid).total;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = 0; i < REQUESTS; i++) {
      const s = performance.now();
      const status = await perClient(c, i);
      latencies.push(performance.now() - s);
      if (status !== 200) errors++;
    }
  }));
  const wall = performance.now() - t0;
  const cpu = treeCpuMs(worker.pid).total - cpu0;
  latencies.sort((a, b) => a - b);
  return {
    phase: name, requests: latencies.length, errors, p50_ms: r1(pct(latencies, 50)), p99_ms: r1(pct(latencies, 99)),
    max_ms: r1(latencies[latencies.length - 1]!), req_per_s: Math.round(latencies.length / (wall / 1000)),
    cpu_ms_per_req: r1(cpu / latencies.length),
  };
}

async function round(k: number, app: { app_id: string; app_secret: string }) {
  const users: string[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const u = await post<{ id: string }>("/users", { external_user_id: `bench-${k}-${c}` }, admin);
    if (u.status !== 201) throw new Error(`create user: ${u.status} ${JSON.stringify(u.json)}`);
    users.push(u.json.id);
  }
  const newest: string[] = new Array(CLIENTS);
  const mint = await phase("mint", async (c) => {
    const r = await post<TokenPair>(`/users/${users[c]}/token`, app);
    if (r.status === 200) newest[c] = r.json.refresh_token;
    return r.status;
  });
  const refresh = await phase("refresh", async (c) => {
    const r = await post<TokenPair>("/token/refresh", { refresh_token: newest[c] });
    if (r.status === 200) newest[c] = r.json.refresh_token;
    return r.status;
  });
  return [mint, refresh];
}

try {
  const created = await post<{ app_id: string; app_secret: string }>("/applications", { name: "bench" }, admin);
  if (created.status !== 201) throw new Error(`create application: ${created.status}`);
  const app = { app_id: created.json.app_id, app_secret: created.json.app_secret };
  // Warm-up: the first requests compile the Worker's code paths and open D1.
  const warm = await post<{ id: string }>("/users", {}, admin);
  for (let i = 0; i < 20; i++) {
    const t = await post<TokenPair>(`/users/${warm.json.id}/token`, app);
    await post("/token/refresh", { refresh_token: t.json.refresh_token });
  }
  const all: PhaseResult[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    for (const r of await round(k, app)) {
      all.push(r);
      console.log(JSON.stringify({ bench: "tokens", round: k + 1, clients: CLIENTS, requests_per_client: REQUESTS, ...r }));
    }
  }
  for (const name of ["mint", "refresh"]) {
    const rs = all.filter((r) => r.phase === name);
    console.log(JSON.stringify({
      bench: "tokens", summary: `median of ${rs.length} rounds`, phase: name, clients: CLIENTS, requests_per_round: rs[0]!.requests,
      errors: rs.reduce((n, r) => n + r.errors, 0), p50_ms: median(rs.map((r) => r.p50_ms)), p99_ms: median(rs.map((r) => r.p99_ms)),
      req_per_s: median(rs.map((r) => r.req_per_s)), cpu_ms_per_req: median(rs.map((r) => r.cpu_ms_per_req)),
    }));
  }
} finally {
  await worker.stop();
}
