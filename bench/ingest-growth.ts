/**
 * Ingest cost as one user's object grows: one phone uploads iOS batches of 2,000 records (+ 2 workouts and a night)
 * one after another, every batch new data, until the user has `--records` records (default 1,000,000); workerd CPU
 * per 1,000 records is reported per window of `--window` batches. Flat figures = cost independent of object size.
 *   npx tsx bench/ingest-growth.ts [--records 1000000 --window 50]
 * Same Worker and CPU method as bench/ingest.ts (wrangler dev snapshot, utime+stime of the workerd processes).
 */
import { startWorker, treeCpuMs } from "../scripts/local-worker.mjs";
import { iosBatch } from "../worker/test/ingest/fixtures";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TARGET = arg("records", 1_000_000);
const WINDOW = arg("window", 50);
const RECORDS = 2000;
const DAY = 86_400_000;
// 500 batches × 2 days of minute rounds: start far enough back that nothing is in the future.
const base = Date.UTC(new Date().getUTCFullYear() - 4, 0, 1);

const worker = await startWorker({ snapshot: true, args: ["--log-level", "error"] });
try {
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${worker.origin}/api/v1${path}`, {
      method, headers: { "content-type": "application/json", "x-open-wearables-api-key": worker.adminKey }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { app_id, app_secret } = await api<{ app_id: string; app_secret: string }>("POST", "/applications", { name: "bench-growth" });
  const { id: userId } = await api<{ id: string }>("POST", "/users", { external_user_id: "bench-growth" });
  let token = "";
  let tokenAt = 0;
  let saved = 0;
  let batch = 0;
  const t0 = performance.now();
  while (saved < TARGET) {
    let cpu = 0;
    let wall = 0;
    let records = 0;
    for (let k = 0; k < WINDOW && saved < TARGET; k++, batch++) {
      if (Date.now() - tokenAt > 10 * 60_000) {
        token = (await api<{ access_token: string }>("POST", `/users/${userId}/token`, { app_id, app_secret })).access_token;
        tokenAt = Date.now();
      }
      // Each iOS batch spans 2000/17 ≈ 118 minute rounds; 2 days apart keeps every batch new.
      const text = JSON.stringify(iosBatch({ start: base + batch * 2 * DAY, records: RECORDS, workouts: 2, sleepNights: 1, idSalt: `g${batch}` }));
      const c0 = treeCpuMs(worker.pid).total;
      const w0 = performance.now();
      const res = await fetch(`${worker.origin}/api/v1/sdk/users/${userId}/sync`, {
        method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: text,
      });
      const json = (await res.json()) as { records_saved: number; duplicates: { records: number } };
      if (res.status !== 202) throw new Error(`sync: ${res.status} ${JSON.stringify(json)}`);
      wall += performance.now() - w0;
      cpu += treeCpuMs(worker.pid).total - c0;
      saved += json.records_saved;
      records += RECORDS;
      if (json.duplicates.records !== 0) throw new Error("growth batches must be new data");
    }
    console.log(JSON.stringify({
      bench: "ingest-growth", batches: batch, records_stored: saved, cpu_ms_per_1k_records: Math.round((cpu / (records / 1000)) * 100) / 100,
      records_per_s_window: Math.round(records / (wall / 1000)), elapsed_s: Math.round((performance.now() - t0) / 1000),
    }));
  }
} finally {
  await worker.stop();
}
