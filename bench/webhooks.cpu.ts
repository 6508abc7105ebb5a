/**
 * CPU cost of the synchronous part of emission (building events and queue messages) for one 2,000-record batch,
 * measured in Node because workerd's clock does not advance during pure computation.
 *   npx esbuild bench/webhooks.cpu.ts --bundle --platform=node --format=esm --outfile=/tmp/webhooks-cpu.mjs && node /tmp/webhooks-cpu.mjs
 */
import { buildMessages, chunkForSendBatch, matchEndpoints } from "../worker/src/webhooks/emit";
import { eventsForStoredBatch } from "../worker/src/webhooks/from-batch";
import { iosBatch, normalized } from "../worker/test/ingest/fixtures";
import { normalizeEnvelope } from "../worker/src/ingest/index";

const start = Date.UTC(2026, 0, 1);
const body = iosBatch({ start, records: 2000, workouts: 2, sleepNights: 1 });
const text = JSON.stringify(body);
const user = "5f0e3a52-8a34-4c39-9a53-1f4f7f0d2a10";
const routes = [{ id: "ep1", app_id: null, user_id: null, filter: null }];

async function once() {
  const batch = normalized(body, start + 5 * 86_400_000);
  const t0 = performance.now();
  const events = eventsForStoredBatch({ userId: user, provider: batch.provider, runId: "run", samples: batch.samples,
    workouts: batch.workouts.map((workout, k) => ({ id: `w${k}`, workout })), sleep: [], itemsProcessed: 2000, status: "success" });
  const pairs = events.map((event) => ({ event, endpoints: matchEndpoints(routes, user, null, event.type).map((r) => r.id) }));
  const { messages } = await buildMessages(user, pairs);
  const batches = chunkForSendBatch(messages);
  const t1 = performance.now();
  return { ms: t1 - t0, events: events.length, messages: messages.length, sendBatches: batches.length,
    bytes: messages.reduce((n, m) => n + (m.message.body?.length ?? 0), 0) };
}

function normalizeMs() {
  const t0 = performance.now();
  normalizeEnvelope(JSON.parse(text), { now: start + 5 * 86_400_000 });
  return performance.now() - t0;
}

for (let i = 0; i < 10; i++) { await once(); normalizeMs(); }
const runs = [];
const norm = [];
for (let i = 0; i < 30; i++) { runs.push(await once()); norm.push(normalizeMs()); }
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(JSON.stringify({
  bench: "emit-cpu", events: runs[0]!.events, messages: runs[0]!.messages, send_batch_calls: runs[0]!.sendBatches,
  payload_kb: Math.round(runs[0]!.bytes / 1024), build_ms_median: +med(runs.map((r) => r.ms)).toFixed(2),
  parse_and_normalize_ms_median: +med(norm).toFixed(2),
}));
