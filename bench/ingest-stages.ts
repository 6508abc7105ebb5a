/**
 * Ingest CPU per stage and per platform, in workerd: the real modules (worker/src/ingest, worker/src/data) run in
 * the bench floor Worker's StageStore up to a stage, and the workerd CPU per 1,000 records of each stage minus the
 * one before is that stage's cost. Same bodies as bench/ingest.ts (2,000 records + 2 workouts + a night).
 *   npx tsx bench/ingest-stages.ts [--batches 10 --rounds 2]
 *
 * Stages: 0 JSON.parse (plus the HTTP request and the RPC into the object, the same for all), 1 + normalizeEnvelope,
 * 2 + batch fingerprint, 3 + storeBatch in one transaction, 4 the whole ingestBatch (body scan, sync-run row).
 * The raw floor (`/floor`: parse + one raw row per item) is measured alongside. Rounds alternate the stage order.
 */
import { startWorker, treeCpuMs } from "../scripts/local-worker.mjs";
import { healthConnectBatch, iosBatch, samsungBatch } from "../worker/test/ingest/fixtures";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const BATCHES = arg("batches", 10);
const ROUNDS = arg("rounds", 2);
const RECORDS = 2000;
const DAY = 86_400_000;
const PLATFORMS = { ios: iosBatch, health_connect: healthConnectBatch, samsung: samsungBatch } as const;
const STAGES = ["parse", "normalize", "fingerprint", "store", "ingestBatch", "floor"] as const;
const base = Date.UTC(new Date().getUTCFullYear() - 2, 0, 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r2 = (x: number) => Math.round(x * 100) / 100;

const floor = await startWorker({ config: "bench/floor/wrangler.toml", snapshot: true, args: ["--log-level", "error"] });
try {
  let slot = 0;
  const results: Record<string, Record<string, number[]>> = {};
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [...STAGES] : [...STAGES].reverse();
    for (const [platform, build] of Object.entries(PLATFORMS)) {
      for (const stage of order) {
        // New data for every request (7 days apart), a user per (platform, stage), built before timing.
        const texts = Array.from({ length: BATCHES }, () => JSON.stringify(build({ start: base + slot++ * 7 * DAY, records: RECORDS, workouts: 2, sleepNights: 1, idSalt: `s${slot}` })));
        const path = stage === "floor" ? `/floor/${platform}-floor` : `/stage/${STAGES.indexOf(stage)}/${platform}-${stage}`;
        // One warm-up request per (platform, stage) in the first round: compiles, creates the object.
        if (round === 0) await (await fetch(`${floor.origin}${path}`, { method: "POST", body: texts[0] })).arrayBuffer();
        const cpu0 = treeCpuMs(floor.pid).total;
        for (const t of texts) {
          const res = await fetch(`${floor.origin}${path}`, { method: "POST", body: t });
          if (res.status !== 202) throw new Error(`${path}: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        }
        const cpu = treeCpuMs(floor.pid).total - cpu0;
        ((results[platform] ??= {})[stage] ??= []).push(cpu / ((BATCHES * RECORDS) / 1000));
      }
    }
  }
  for (const [platform, byStage] of Object.entries(results)) {
    const med = Object.fromEntries(STAGES.map((s) => [s, r2(median(byStage[s]!))]));
    const delta = {
      parse_and_request: med.parse,
      normalize: r2(med.normalize! - med.parse!),
      fingerprint: r2(med.fingerprint! - med.normalize!),
      store: r2(med.store! - med.fingerprint!),
      run_row_and_rest: r2(med.ingestBatch! - med.store!),
    };
    console.log(JSON.stringify({ bench: "ingest-stages", platform, cpu_ms_per_1k_cumulative: med, cpu_ms_per_1k_by_stage: delta, ratio_ingestBatch_to_floor: r2(med.ingestBatch! / med.floor!) }));
  }
} finally {
  await floor.stop();
}
