/**
 * Where ingest CPU goes outside the store, per platform: JSON.parse vs normalizeEnvelope (validation +
 * normalization) vs the batch fingerprint, on the 2,000-record batches bench/ingest.ts sends. Node, not workerd
 * (workerd's clock does not advance during execution; bench/ingest-profile.ts gives the stages in workerd).
 *   npx tsx bench/ingest-split.ts
 */
import { iosBatch, healthConnectBatch, samsungBatch } from "../worker/test/ingest/fixtures";
import { normalizeEnvelope } from "../worker/src/ingest/index";
import { batchFingerprint } from "../worker/src/data/sync-runs";
const start = Date.UTC(2025, 0, 1);
const now = Date.now();
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const [name, build] of [["ios", iosBatch], ["health_connect", healthConnectBatch], ["samsung", samsungBatch]] as const) {
  const text = JSON.stringify(build({ start, records: 2000, workouts: 2, sleepNights: 1 }));
  const run = () => {
    const a = performance.now(); const body = JSON.parse(text); const b = performance.now();
    const r = normalizeEnvelope(body, { now }); const c = performance.now();
    if (!r.ok) throw new Error(r.detail);
    batchFingerprint(r.batch); const d = performance.now();
    return [b - a, c - b, d - c];
  };
  for (let w = 0; w < 30; w++) run();
  const parse: number[] = [], norm: number[] = [], fp: number[] = [];
  for (let k = 0; k < 60; k++) { const [p, n, f] = run(); parse.push(p!); norm.push(n!); fp.push(f!); }
  console.log(JSON.stringify({ platform: name, bytes: text.length, parse_ms: +med(parse).toFixed(2), normalize_ms: +med(norm).toFixed(2), fingerprint_ms: +med(fp).toFixed(2) }));
}
