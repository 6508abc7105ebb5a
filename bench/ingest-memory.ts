/**
 * Peak memory of the local Worker while it ingests the largest bodies, by body shape and size.
 *   npx tsx bench/ingest-memory.ts [--sizes 4,8,16] [--repeat 2]
 *
 * Method: the workerd process under `wrangler dev` runs both the Worker and the user's Durable Object (one isolate
 * per script locally), so its resident memory covers both. Before each upload the process's peak-RSS counter is
 * reset (`echo 5 > /proc/<pid>/clear_refs`), and after the 202/413 the peak (`VmHWM`) minus the resident size just
 * before (`VmRSS`) is the growth this one request caused: body buffers, the text, its copy into the object, the
 * parsed JSON, the normalized batch and SQLite's pages. It is an upper bound for the Worker and for the object
 * alone (each holds only part of it). Every measurement runs in a fresh Worker after one warm-up upload (a heap grown
 * by an earlier request would hide the next one's peak); with `repeat` > 1 the largest is kept.
 *
 * Shapes (each filled up to the target size):
 *   tiny-objects  records of `{}` (counted as unknown type "(none)"): the most JS objects per byte
 *   tiny-invalid  records of `0` (each rejected: not_an_object): the most rejections per byte
 *   minimal-valid the smallest valid heart-rate records, all distinct: the most stored rows per byte
 *   tiny-arrays   records of `[]` (rejected): empty arrays
 *   tiny-strings  records of short distinct strings (rejected): string objects
 *   minimal-valid-at-bound  the same, as many as the container bound admits
 *   sdk-ios       the iOS SDK's records (fixtures), ~470 bytes each: a real large upload
 *   large-items   records with 1 MB `metadata` strings (not stored): few, large items
 */
import { readFileSync, writeFileSync } from "node:fs";
import { startWorker, treeCpuMs } from "../scripts/local-worker.mjs";
import { iosBatch } from "../worker/test/ingest/fixtures";
import { MAX_JSON_CONTAINERS } from "../worker/src/ingest/limits";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const SIZES_MB = arg("sizes", "1,4").split(",").map(Number);
const REPEAT = Number(arg("repeat", "1"));
const MB = 1024 * 1024;
const base = Date.UTC(new Date().getUTCFullYear() - 1, 0, 1);

/** Fills `data.records` with `item(i)` until the JSON reaches `bytes` (just under it). */
function fill(bytes: number, item: (i: number) => string): string {
  const head = `{"provider":"apple","sdkVersion":"0.14.0","syncTimestamp":"2026-01-01T00:00:00Z","data":{"workouts":[],"sleep":[],"records":[`;
  const tail = "]}}";
  const parts: string[] = [];
  let size = head.length + tail.length;
  for (let i = 0; ; i++) {
    const it = item(i);
    if (size + it.length + 1 > bytes) break;
    parts.push(it);
    size += it.length + 1;
  }
  return head + parts.join(",") + tail;
}

const iosTemplate = iosBatch({ start: base, records: 1_000 }).data.records.map((r) => JSON.stringify(r));
const MEGA = "m".repeat(MB);
const SHAPES: Record<string, (bytes: number) => string> = {
  "tiny-objects": (b) => fill(b, () => "{}"),
  "tiny-invalid": (b) => fill(b, () => "0"),
  "tiny-arrays": (b) => fill(b, () => "[]"),
  "tiny-strings": (b) => fill(b, (i) => `"${i.toString(36)}"`),
  "minimal-valid": (b) => fill(b, (i) => `{"type":"HEART_RATE","startDate":${(base + i * 1000) / 1000},"endDate":${(base + i * 1000) / 1000},"value":60}`),
  // As many of them as the container bound allows (MAX_JSON_CONTAINERS, ingest/limits.ts), whatever the size.
  "minimal-valid-at-bound": (b) => fill(Math.min(b, (MAX_JSON_CONTAINERS - 10) * 77), (i) => `{"type":"HEART_RATE","startDate":${(base + i * 1000) / 1000},"endDate":${(base + i * 1000) / 1000},"value":60}`),
  "sdk-ios": (b) => fill(b, (i) => {
    // The fixture's records with timestamps moved on per copy, so every record is new data.
    const t = iosTemplate[i % iosTemplate.length]!;
    const shift = Math.floor(i / iosTemplate.length);
    return shift === 0 ? t : t.replace(/"(20\d\d-\d\d-\d\dT[^"]+)"/g, (_, d: string) => `"${new Date(Date.parse(d) + shift * 86_400_000).toISOString().replace(".000Z", "Z")}"`);
  }),
  "large-items": (b) => fill(b, (i) => `{"id":"L${i}","type":"HKQuantityTypeIdentifierHeartRate","startDate":${(base + i * 1000) / 1000},"endDate":${(base + i * 1000) / 1000},"value":61,"unit":"bpm","metadata":{"blob":"${MEGA}"}}`),
};

const status = (pid: number) => {
  const s = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
};

const QUIET = ["--log-level", "error"];
const post = (origin: string, key: string, user: string, body: string) =>
  fetch(`${origin}/api/v1/sdk/users/${user}/sync`, { method: "POST", headers: { "content-type": "application/json", "x-open-wearables-api-key": key }, body });

/** One fresh Worker per measurement: a heap grown by an earlier request would hide this one's peak. */
async function measure(shape: string, body: string) {
  const worker = await startWorker({ args: QUIET });
  try {
    const workerd = treeCpuMs(worker.pid).processes.map((p) => p.pid);
    if (workerd.length === 0) throw new Error("no workerd process found");
    const newUser = async (name: string) => {
      const res = await fetch(`${worker.origin}/api/v1/users`, {
        method: "POST", headers: { "content-type": "application/json", "x-open-wearables-api-key": worker.adminKey }, body: JSON.stringify({ external_user_id: name }),
      });
      return ((await res.json()) as { id: string }).id;
    };
    // Warm-up: code compiled, an object created and written, so the baseline includes the running Worker.
    await (await post(worker.origin, worker.adminKey, await newUser("warm"), SHAPES["sdk-ios"]!(MB))).arrayBuffer();
    const user = await newUser("measured");
    const rssBefore = workerd.reduce((n, p) => n + status(p).rss, 0);
    for (const p of workerd) writeFileSync(`/proc/${p}/clear_refs`, "5");
    const res = await post(worker.origin, worker.adminKey, user, body);
    const json = (await res.json()) as { records_saved?: number; dropped_count?: number; detail?: string };
    const hwm = workerd.reduce((n, p) => n + status(p).hwm, 0);
    return {
      shape, bytes: body.length, status: res.status,
      result: res.status === 202 ? `saved ${json.records_saved}, dropped ${json.dropped_count}` : String(json.detail).slice(0, 70),
      rss_before_mb: Math.round(rssBefore), peak_growth_mb: Math.round(hwm - rssBefore),
    };
  } finally {
    await worker.stop();
  }
}

const only = arg("shapes", Object.keys(SHAPES).join(",")).split(",");
const rows: { peak_growth_mb: number }[] = [];
for (const mb of SIZES_MB) {
  for (const shape of only) {
    const body = SHAPES[shape]!(mb * MB - 1024);
    let worst: Awaited<ReturnType<typeof measure>> | null = null;
    for (let r = 0; r < REPEAT; r++) {
      const m = await measure(shape, body);
      if (!worst || m.peak_growth_mb > worst.peak_growth_mb) worst = m;
    }
    rows.push(worst!);
    console.log(JSON.stringify({ body_mb: mb, ...worst }));
  }
}
console.log(JSON.stringify({ bench: "ingest-memory", max_peak_growth_mb: Math.max(...rows.map((r) => r.peak_growth_mb)) }));
