/**
 * Sync ingest throughput over HTTP into the local Worker, against a floor measured in the same run.
 *   npm run bench:ingest            (= tsx bench/ingest.ts; options: --users 4 --batches 20 --rounds 3)
 *
 * Load: `users` phones of different users upload in parallel, each sending `batches` batches one after another
 * (a phone's SDK uploads its chunks sequentially). Every batch is an SDK-sized chunk of 2,000 records plus
 * 2 workouts and 1 sleep night, built with the test fixtures (worker/test/ingest/fixtures.ts); platforms rotate
 * iOS → Health Connect → Samsung per batch, so every round has an even mix. Each batch advances `start` by 7 days
 * (more than a Samsung batch's ~6 days of hourly aggregates), so every batch is new data, never dedup.
 *
 * Floor: bench/floor (its own Worker and SQLite Durable Object per user) receives the same bytes with the same
 * concurrency and does JSON.parse + one raw row per item in one transaction.
 *
 * CPU: utime+stime of the workerd processes under each wrangler dev (both the user worker and wrangler's proxy
 * worker), read from /proc before and after each phase; workerd's own clock does not advance during execution.
 * Rounds alternate the order (floor first, then real first, ...); the summary is the median over rounds.
 */
import { gzipSync } from "node:zlib";
import { startWorker, treeCpuMs } from "../scripts/local-worker.mjs";
import { healthConnectBatch, iosBatch, samsungBatch, type SdkEnvelope } from "../worker/test/ingest/fixtures";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const USERS = arg("users", 4);
const BATCHES = arg("batches", 20);
const ROUNDS = arg("rounds", 3);
const RECORDS = 2000;
const DAY = 86_400_000;
const BUILDERS = [iosBatch, healthConnectBatch, samsungBatch] as const;
const PLATFORMS = ["ios", "health_connect", "samsung"];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

interface Upload { user: number; text: string; items: number; platform: string }
interface Saved { records_saved: number; workouts_saved: number; sleep_saved: number; duplicates: { records: number }; dropped_count: number; unknown_types: Record<string, number> }

// A far-enough past start: nothing is in the future, and (rounds + warm-up) × batches × 7 days fit before today.
const base = Date.UTC(new Date().getUTCFullYear() - 2, 0, 1);
/** The `slot`-th batch of a user (slot 0 = warm-up): new data, platform rotating per batch. */
function upload(user: number, slot: number): Upload {
  const build = BUILDERS[(user + slot) % 3]!;
  const body: SdkEnvelope = build({ start: base + slot * 7 * DAY, records: RECORDS, workouts: 2, sleepNights: 1, idSalt: `u${user}-s${slot}` });
  const items = body.data.records.length + body.data.workouts.length + body.data.sleep.length;
  return { user, text: JSON.stringify(body), items, platform: PLATFORMS[(user + slot) % 3]! };
}

// snapshot: a bundle of the code as of the start, so other people's edits cannot restart the Worker mid-run.
// --log-level error: wrangler's per-request log lines cost its Node process CPU (a dev-server artifact).
const QUIET = ["--log-level", "error"];
const [real, floor] = await Promise.all([startWorker({ snapshot: true, args: QUIET }), startWorker({ config: "bench/floor/wrangler.toml", snapshot: true, args: QUIET })]);

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${real.origin}/api/v1${path}`, {
    method, headers: { "content-type": "application/json", "x-open-wearables-api-key": real.adminKey }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

// Under heavy load wrangler dev's proxy now and then closes a kept-alive connection as a request starts ("other side
// closed"). Such a request is sent again (at most twice) and counted; a replay stores nothing new (natural keys).
let retried = 0;
async function post(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= 2 || (error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw error;
      retried++;
    }
  }
}

interface Phase { name: string; requests: number; records: number; items: number; wall_ms: number; cpu_ms: number; records_per_s: number; cpu_ms_per_1k_records: number }

/** Sends every user's uploads, users in parallel, each user's in order; `send` returns the parsed response. */
async function run(name: string, pid: number, uploads: Upload[][], send: (u: Upload) => Promise<void>): Promise<Phase> {
  const cpu0 = treeCpuMs(pid).total;
  const t0 = performance.now();
  await Promise.all(uploads.map(async (mine) => { for (const u of mine) await send(u); }));
  const wall = performance.now() - t0;
  const cpu = treeCpuMs(pid).total - cpu0;
  const requests = uploads.reduce((n, m) => n + m.length, 0);
  const records = requests * RECORDS;
  return {
    name, requests, records, items: uploads.flat().reduce((n, u) => n + u.items, 0), wall_ms: Math.round(wall), cpu_ms: Math.round(cpu),
    records_per_s: Math.round(records / (wall / 1000)), cpu_ms_per_1k_records: r2(cpu / (records / 1000)),
  };
}

try {
  const { app_id, app_secret } = await api<{ app_id: string; app_secret: string }>("POST", "/applications", { name: "bench-ingest" });
  const users: { id: string; token: string }[] = [];
  for (let u = 0; u < USERS; u++) {
    const { id } = await api<{ id: string }>("POST", "/users", { external_user_id: `bench-ingest-${u}` });
    // Phones authenticate with SDK tokens (15-minute JWTs; a run takes a few minutes).
    const t = await api<{ access_token: string }>("POST", `/users/${id}/token`, { app_id, app_secret });
    users.push({ id, token: t.access_token });
  }
  const stored = { records_saved: 0, duplicates: 0, dropped: 0, unknown: 0, workouts_saved: 0, sleep_saved: 0 };
  const sendReal = async (u: Upload) => {
    const res = await post(`${real.origin}/api/v1/sdk/users/${users[u.user]!.id}/sync`, {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${users[u.user]!.token}` }, body: u.text,
    });
    if (res.status !== 202) throw new Error(`sync ${u.platform}: ${res.status} ${await res.text()}`);
    const s = (await res.json()) as Saved;
    stored.records_saved += s.records_saved;
    stored.workouts_saved += s.workouts_saved;
    stored.sleep_saved += s.sleep_saved;
    stored.duplicates += s.duplicates.records;
    stored.dropped += s.dropped_count;
    stored.unknown += Object.values(s.unknown_types).reduce((n, k) => n + k, 0);
  };
  const sendFloor = async (u: Upload) => {
    const res = await post(`${floor.origin}/floor/${users[u.user]!.id}`, { method: "POST", headers: { "content-type": "application/json" }, body: u.text });
    if (res.status !== 202) throw new Error(`floor: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };

  // Warm-up: one batch per user on each Worker (compiles code paths, creates the objects and their schemas).
  const warm = Array.from({ length: USERS }, (_, u) => [upload(u, 0)]);
  await run("warm-real", real.pid, warm, sendReal);
  await run("warm-floor", floor.pid, warm, sendFloor);
  Object.keys(stored).forEach((k) => (stored[k as keyof typeof stored] = 0));

  const rounds: { real: Phase; floor: Phase }[] = [];
  let bytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    // Built before timing so the client's JSON work does not compete with the server for the two cores.
    const uploads = Array.from({ length: USERS }, (_, u) => Array.from({ length: BATCHES }, (_, b) => upload(u, 1 + r * BATCHES + b)));
    bytes = uploads.flat().reduce((n, u) => n + u.text.length, 0);
    const order = r % 2 === 0 ? ["floor", "real"] : ["real", "floor"];
    const result: Partial<{ real: Phase; floor: Phase }> = {};
    for (const which of order) {
      result[which as "real" | "floor"] = which === "real"
        ? await run("real", real.pid, uploads, sendReal)
        : await run("floor", floor.pid, uploads, sendFloor);
    }
    const { real: re, floor: fl } = result as { real: Phase; floor: Phase };
    rounds.push({ real: re, floor: fl });
    console.log(JSON.stringify({ bench: "ingest", round: r + 1, order: order.join(","), real: re, floor: fl,
      ratio_cpu: r2(re.cpu_ms_per_1k_records / fl.cpu_ms_per_1k_records), ratio_throughput: r2(fl.records_per_s / re.records_per_s) }));
  }
  const med = (f: (x: { real: Phase; floor: Phase }) => number) => median(rounds.map(f));
  const summary = {
    bench: "ingest", summary: `median of ${ROUNDS} rounds`, users: USERS, batches_per_user: BATCHES, records_per_batch: RECORDS,
    items_per_round: rounds[0]!.real.items, mb_per_round: r1(bytes / 1e6), gzip_ratio_one_batch: r2(gzipSync(upload(0, 99).text).length / upload(0, 99).text.length),
    real_records_per_s: med((x) => x.real.records_per_s), real_cpu_ms_per_1k: med((x) => x.real.cpu_ms_per_1k_records),
    floor_records_per_s: med((x) => x.floor.records_per_s), floor_cpu_ms_per_1k: med((x) => x.floor.cpu_ms_per_1k_records),
    ratio_cpu: med((x) => r2(x.real.cpu_ms_per_1k_records / x.floor.cpu_ms_per_1k_records)),
    ratio_throughput: med((x) => r2(x.floor.records_per_s / x.real.records_per_s)),
    stored_totals: stored,
    ratio_cpu_range: [Math.min(...rounds.map((x) => r2(x.real.cpu_ms_per_1k_records / x.floor.cpu_ms_per_1k_records))), Math.max(...rounds.map((x) => r2(x.real.cpu_ms_per_1k_records / x.floor.cpu_ms_per_1k_records)))],
    retried_requests: retried,
  };
  console.log(JSON.stringify(summary));
  console.log(`targets: CPU within 1.3x of floor (median ratio ${summary.ratio_cpu}, range ${summary.ratio_cpu_range.join("-")}); ` +
    `>= 20,000 records/s (${summary.real_records_per_s})`);
} finally {
  await Promise.all([real.stop(), floor.stop()]);
}
