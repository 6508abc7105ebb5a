/**
 * Webhook benchmark (not part of the test suite). Runs in workerd with the Worker's own test setup:
 *   cd worker && npx vitest run --dir .. bench/webhooks.bench.test.ts
 * Prints: the ingest time of a realistic 2,000-record iOS batch, the cost of emitUserEvents for the events that
 * batch produces, and events per second from emission to signed delivery at a real loopback receiver.
 */
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { expect, it } from "vitest";
import { emitUserEvents, type OutgoingEvent } from "../worker/src/webhooks/emit";
import { workoutCreated } from "../worker/src/webhooks/events";
import { eventsForStoredBatch } from "../worker/src/webhooks/from-batch";
import { iosBatch, normalized } from "../worker/test/ingest/fixtures";
import { upload } from "../worker/test/sync/sync-helpers";
import { signedInUser } from "../worker/test/setup/harness";
import { createEndpoint, received, receiverName, receiverUrl, waitFor } from "../worker/test/webhooks/helpers";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const DAY = 86_400_000;

it("ingest vs. emitUserEvents on the ingest path", async () => {
  const { app, user, tokens } = await signedInUser();
  const name = receiverName("bench-ingest");
  await createEndpoint({ url: receiverUrl(name), app_id: app.app_id, user_id: user.id });
  const runs = 12;
  const ingestMs: number[] = [];
  const emitAwaitMs: number[] = [];
  const emitWaitUntilMs: number[] = [];
  let eventCount = 0;
  const start0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < runs + 2; i++) {
    // New data every round (a different day), so every run stores 2,000 records as a real sync would.
    const body = iosBatch({ start: start0 + i * 3 * DAY, records: 2000, workouts: 2, sleepNights: 1 });
    const t0 = performance.now();
    const res = await upload(user.id, tokens, body);
    const t1 = performance.now();
    expect(res.status).toBe(202);
    // The events this batch produces: every stored sample, workout and night, plus sync.completed.
    const batch = normalized(body, Date.now());
    const events: OutgoingEvent[] = eventsForStoredBatch({
      userId: user.id, provider: batch.provider, runId: res.json.batch_id, samples: batch.samples,
      workouts: batch.workouts.map((workout, k) => ({ id: `${res.json.batch_id}-w${k}`, workout })),
      sleep: [], itemsProcessed: res.json.records_saved, status: "success",
    });
    eventCount = events.length;
    const t2 = performance.now();
    await emitUserEvents(env, undefined, user.id, app.app_id, events);
    const t3 = performance.now();
    const pending: Promise<unknown>[] = [];
    await emitUserEvents(env, { waitUntil: (p) => pending.push(p) }, user.id, app.app_id, events.map((e) => ({ ...e, id: `${e.id}.wu` })));
    const t4 = performance.now();
    await Promise.all(pending);
    if (i < 2) continue; // warm-up
    ingestMs.push(t1 - t0);
    emitAwaitMs.push(t3 - t2);
    emitWaitUntilMs.push(t4 - t3);
  }
  const ingest = median(ingestMs);
  console.log(JSON.stringify({
    bench: "ingest-path", runs, records_per_batch: 2000, events_per_batch: eventCount,
    ingest_ms: { median: +ingest.toFixed(1), p90: +p90(ingestMs).toFixed(1) },
    emit_awaited_ms: { median: +median(emitAwaitMs).toFixed(2), p90: +p90(emitAwaitMs).toFixed(2) },
    emit_waituntil_ms: { median: +median(emitWaitUntilMs).toFixed(2), p90: +p90(emitWaitUntilMs).toFixed(2) },
    added_pct_awaited: +((median(emitAwaitMs) / ingest) * 100).toFixed(2),
    added_pct_waituntil: +((median(emitWaitUntilMs) / ingest) * 100).toFixed(2),
  }));
  const noEndpointMs: number[] = [];
  const other = crypto.randomUUID(); // no endpoint matches this user: the common case for most uploads
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await emitUserEvents(env, undefined, other, app.app_id, [workoutCreated({ id: `n${i}`, userId: other, type: "running", startTime: 0, endTime: 1, zoneOffset: null, durationSeconds: 1, source: { provider: "apple", device: null } })]);
    noEndpointMs.push(performance.now() - t);
  }
  console.log(JSON.stringify({ bench: "emit-no-matching-endpoint", median_ms: +median(noEndpointMs).toFixed(3) }));
}, 300_000);

it("events per second, emission to signed delivery", async () => {
  for (const total of [1000, 3000]) {
    const user = crypto.randomUUID();
    const name = receiverName("bench-throughput");
    const ep = await createEndpoint({ url: receiverUrl(name), user_id: user });
    const events = Array.from({ length: total }, (_, i) => workoutCreated({
      id: `t${i}`, userId: user, type: "running", startTime: i * 1000, endTime: i * 1000 + 600_000, zoneOffset: "+01:00",
      durationSeconds: 600, source: { provider: "apple", device: "Apple Watch" }, caloriesKcal: 120, averageSpeed: 3,
    }));
    const t0 = performance.now();
    // As ingest would: a few hundred events per call.
    for (let i = 0; i < total; i += 250) await emitUserEvents(env, undefined, user, null, events.slice(i, i + 250));
    const t1 = performance.now();
    const log = await waitFor(() => received(name), (l) => l.length >= total, 240_000, "all deliveries");
    const t2 = performance.now();
    const ids = new Set(log.map((r) => r.headers["webhook-id"]));
    expect(ids.size).toBe(total);
    const wh = new Webhook(ep.secret);
    for (const r of log.filter((_, k) => k % 50 === 0)) wh.verify(r.body, r.headers as any);
    const firstAt = Math.min(...log.map((r) => r.at));
    const lastAt = Math.max(...log.map((r) => r.at));
    console.log(JSON.stringify({
      bench: "throughput", events: total, endpoints: 1, enqueue_ms: Math.round(t1 - t0), end_to_end_ms: Math.round(t2 - t0),
      events_per_s_end_to_end: Math.round(total / ((t2 - t0) / 1000)),
      events_per_s_delivery_window: Math.round(total / Math.max(1, (lastAt - firstAt) / 1000)),
      duplicates_at_receiver: log.length - ids.size,
    }));
  }
}, 600_000);
