/**
 * Not a test: measures per-item validation strategies for the figures in src/ingest/validate.ts.
 * Run: cd worker && npx esbuild test/ingest/bench-validate.ts --bundle --platform=node --format=esm \
 *        --outfile=/tmp/bench-validate.mjs && node /tmp/bench-validate.mjs
 */
import { z } from "zod";
import { normalizeEnvelope } from "../../src/ingest/index";
import { MetricRecordSchema } from "../../src/ingest/schema";
import { parseTimestamp, parseZoneOffset, parseNumber } from "../../src/ingest/primitives";
import { checkWindow } from "../../src/ingest/validate";
import { iosBatch } from "./fixtures";

const start = Date.UTC(2026, 1, 20);
const now = start + 10 * 86_400_000;
const batch = iosBatch({ start, records: 2000 });
const records = batch.data.records;

// zod with the same refinements the hand-written checks apply (dates, window, zone, numeric value).
const Refined = MetricRecordSchema.superRefine((r, ctx) => {
  const s = parseTimestamp(r.startDate);
  const e = parseTimestamp(r.endDate);
  if (Number.isNaN(s) || Number.isNaN(e)) ctx.addIssue({ code: "custom", message: "invalid_timestamp" });
  else if (e < s) ctx.addIssue({ code: "custom", message: "end_before_start" });
  if (parseZoneOffset(r.zoneOffset) === undefined) ctx.addIssue({ code: "custom", message: "invalid_zone_offset" });
  if (!parseNumber(r.value).ok) ctx.addIssue({ code: "custom", message: "non_numeric_value" });
});

function measure(name: string, fn: () => void): void {
  for (let i = 0; i < 20; i++) fn();
  const runs: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  const median = runs[runs.length >> 1]!;
  console.log(`${name}: ${median.toFixed(2)} ms / 2,000 records = ${Math.round(2000 / (median / 1000)).toLocaleString("en")} records/s`);
}

let sink = 0;
measure("normalizeEnvelope (hand-written)", () => {
  const r = normalizeEnvelope(batch, { now });
  if (r.ok) sink += r.batch.samples.length;
});
const w = { start: 0, end: 0, zoneOffset: null as string | null };
measure("hand-written checks per item (same checks as the refined zod schema)", () => {
  for (const r of records) {
    if (typeof r !== "object" || r === null) continue;
    if (checkWindow(r, now, w) === null && parseNumber(r.value).ok) sink++;
  }
});
measure("zod safeParse per item (shape only)", () => {
  for (const r of records) if (MetricRecordSchema.safeParse(r).success) sink++;
});
measure("zod safeParse per item (with refinements)", () => {
  for (const r of records) if (Refined.safeParse(r).success) sink++;
});
measure("zod safeParse whole array (shape only)", () => {
  if (z.array(MetricRecordSchema).safeParse(records).success) sink++;
});
console.log(sink > 0 ? "" : "?");
