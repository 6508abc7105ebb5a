/**
 * Where ingest CPU goes outside the store: JSON.parse vs normalizeEnvelope (validation + normalization) of the same
 * three 2,000-record batches bench/ingest.ts sends, measured in Node (workerd's clock does not advance).
 *   npx tsx bench/ingest-split.ts
 */
import { iosBatch, healthConnectBatch, samsungBatch } from "../worker/test/ingest/fixtures";
import { normalizeEnvelope } from "../worker/src/ingest/index";
const start = Date.UTC(2025, 0, 1);
const texts = [iosBatch, healthConnectBatch, samsungBatch].map((b, i) => JSON.stringify(b({ start: start + i * 7 * 86400000, records: 2000, workouts: 2, sleepNights: 1 })));
const now = Date.now();
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (let w = 0; w < 20; w++) for (const t of texts) normalizeEnvelope(JSON.parse(t), { now });
const parse: number[] = [], norm: number[] = [];
for (let k = 0; k < 30; k++) for (const t of texts) {
  const a = performance.now(); const body = JSON.parse(t); const b = performance.now();
  normalizeEnvelope(body, { now }); const c = performance.now();
  parse.push(b - a); norm.push(c - b);
}
console.log(JSON.stringify({ bytes: texts.map((t) => t.length), parse_ms_per_batch: +med(parse).toFixed(2), normalize_ms_per_batch: +med(norm).toFixed(2) }));
