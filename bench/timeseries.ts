/**
 * Timeseries reads of one day of 1 Hz heart rate (86,400 samples) from the local Worker.
 *   npm run bench:timeseries        (= tsx bench/timeseries.ts; option: --reads 3)
 *
 * Stores the day for one user through the real sync endpoint (iOS-shaped heart-rate records, 2,000 per request,
 * one phone uploading in order), then reads it with an API key:
 *   raw:  GET /users/{id}/timeseries?…&types=heart_rate&resolution=raw&limit=10000, following next_cursor to the end
 *   1min: the same with resolution=1min (1,440 buckets, one page)
 * and reports, per resolution, total time, pages, items and response bytes (median over `reads` repetitions).
 */
import { startWorker } from "../scripts/local-worker.mjs";
import { IOS_SOURCES, isoSec, uuidFrom, type Item } from "../worker/test/ingest/fixtures";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const READS = arg("reads", 3);
const SAMPLES = 86_400;
const CHUNK = 2000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// A whole UTC day last year: in the past, so no sample is "in the future".
const day = Date.UTC(new Date().getUTCFullYear() - 1, 5, 1);

/** Heart rate as the iOS SDK sends it: one HKQuantitySample per second from the watch. */
function heartRate(i: number): Item {
  const t = day + i * 1000;
  return {
    id: uuidFrom(`hr-${i}`, true), type: "HKQuantityTypeIdentifierHeartRate", startDate: isoSec(t), endDate: isoSec(t),
    zoneOffset: null, source: IOS_SOURCES.watch, value: 60 + ((i * 7) % 50), unit: "bpm", parentId: null,
    metadata: { HKMetadataKeyHeartRateMotionContext: "1" },
  };
}

// snapshot: a bundle of the code as of the start, so other people's edits cannot restart the Worker mid-run.
// --log-level error: wrangler's per-request log lines cost its Node process CPU (a dev-server artifact).
const worker = await startWorker({ snapshot: true, args: ["--log-level", "error"] });
const headers = { "content-type": "application/json", "x-open-wearables-api-key": worker.adminKey };

try {
  const res = await fetch(`${worker.origin}/api/v1/users`, { method: "POST", headers, body: "{}" });
  const { id: userId } = (await res.json()) as { id: string };

  const t0 = performance.now();
  let saved = 0;
  for (let from = 0; from < SAMPLES; from += CHUNK) {
    const records = Array.from({ length: Math.min(CHUNK, SAMPLES - from) }, (_, k) => heartRate(from + k));
    const body = { provider: "apple", sdkVersion: "0.6.0", syncTimestamp: isoSec(day + 86_400_000), data: { records, sleep: [], workouts: [] } };
    const r = await fetch(`${worker.origin}/api/v1/sdk/users/${userId}/sync`, { method: "POST", headers, body: JSON.stringify(body) });
    if (r.status !== 202) throw new Error(`sync: ${r.status} ${await r.text()}`);
    saved += ((await r.json()) as { records_saved: number }).records_saved;
  }
  const uploadMs = performance.now() - t0;
  if (saved !== SAMPLES) throw new Error(`stored ${saved} of ${SAMPLES} samples`);
  console.log(JSON.stringify({ bench: "timeseries", stored: saved, upload_ms: Math.round(uploadMs), upload_records_per_s: Math.round(saved / (uploadMs / 1000)) }));

  const startTime = new Date(day).toISOString();
  const endTime = new Date(day + 86_400_000 - 1).toISOString();
  /** Reads the whole day at one resolution, page by page. */
  async function readAll(resolution: string) {
    let cursor: string | null = null;
    let pages = 0, items = 0, bytes = 0;
    const t = performance.now();
    do {
      const q = new URLSearchParams({ start_time: startTime, end_time: endTime, types: "heart_rate", resolution, limit: "10000" });
      if (cursor) q.set("cursor", cursor);
      const r = await fetch(`${worker.origin}/api/v1/users/${userId}/timeseries?${q}`, { headers });
      const text = await r.text();
      if (r.status !== 200) throw new Error(`timeseries ${resolution}: ${r.status} ${text}`);
      const page = JSON.parse(text) as { data: unknown[]; pagination: { next_cursor: string | null } };
      pages++;
      items += page.data.length;
      bytes += Buffer.byteLength(text);
      cursor = page.pagination.next_cursor;
    } while (cursor);
    return { resolution, ms: performance.now() - t, pages, items, bytes };
  }

  await readAll("1min"); // warm-up
  for (const resolution of ["raw", "1min"]) {
    const runs = [];
    for (let k = 0; k < READS; k++) runs.push(await readAll(resolution));
    const expected = resolution === "raw" ? SAMPLES : 1440;
    if (runs.some((r) => r.items !== expected)) throw new Error(`${resolution}: expected ${expected} items, got ${runs.map((r) => r.items)}`);
    console.log(JSON.stringify({
      bench: "timeseries", resolution, summary: `median of ${READS} reads`, items: runs[0]!.items, pages: runs[0]!.pages,
      total_ms: Math.round(median(runs.map((r) => r.ms))), all_ms: runs.map((r) => Math.round(r.ms)),
      response_bytes: runs[0]!.bytes, bytes_per_item: Math.round(runs[0]!.bytes / runs[0]!.items),
    }));
  }
} finally {
  await worker.stop();
}
