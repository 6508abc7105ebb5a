import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { expect, it } from "vitest";
import { emitUserEvents } from "../../src/webhooks/emit";
import { sleepCreated, timeseriesEvents } from "../../src/webhooks/events";
import { createApplication } from "../setup/harness";
import { attempts, createEndpoint, received, receiverName, receiverUrl, waitFor } from "./helpers";

it("routes by uploading application and event type, end to end", async () => {
  const user = crypto.randomUUID();
  const [appA, appB] = [await createApplication("A"), await createApplication("B")];
  const names = { a: receiverName("app-a"), b: receiverName("app-b"), all: receiverName("all"), sleep: receiverName("sleep") };
  await createEndpoint({ url: receiverUrl(names.a), app_id: appA.app_id, user_id: user });
  await createEndpoint({ url: receiverUrl(names.b), app_id: appB.app_id, user_id: user });
  await createEndpoint({ url: receiverUrl(names.all), user_id: user });
  await createEndpoint({ url: receiverUrl(names.sleep), user_id: user, filter_types: ["sleep.created"] });
  const sleep = sleepCreated({ id: "s1", userId: user, startTime: 0, endTime: 3_600_000, zoneOffset: null, durationSeconds: 3600,
    source: { provider: "apple", device: null }, isNap: false });
  await emitUserEvents(env, undefined, user, "org_default", appA.app_id, [sleep]);
  await waitFor(async () => Promise.all(Object.values(names).map(received)), (l) => l[0]!.length === 1 && l[2]!.length === 1 && l[3]!.length === 1, 10_000, "fan-out");
  await new Promise((r) => setTimeout(r, 300));
  expect((await received(names.b)).length).toBe(0);
});

it("delivers payloads larger than a queue message through D1, signed over the exact bytes", async () => {
  const user = crypto.randomUUID();
  const name = receiverName("big");
  const ep = await createEndpoint({ url: receiverUrl(name), user_id: user });
  const big = { type: "workout.created", id: "big-1", data: { user_id: user, notes: "é".repeat(80_000) } }; // 160 KB in UTF-8
  await emitUserEvents(env, undefined, user, "org_default", null, [big]);
  const [got] = await waitFor(() => received(name), (l) => l.length === 1, 10_000, "big delivery");
  expect(new Webhook(ep.secret).verify(got!.body, got!.headers as any)).toEqual({ type: big.type, data: big.data });
  await waitFor(() => attempts(ep.id), (a) => a.data[0]?.statusText === "success", 5000, "log");
});

it("delivers a full timeseries batch: every chunk, each id once", async () => {
  const user = crypto.randomUUID();
  const name = receiverName("series");
  const ep = await createEndpoint({ url: receiverUrl(name), user_id: user, filter_types: ["heart_rate.created"] });
  const samples = Array.from({ length: 3000 }, (_, i) => ({ timestamp: Date.UTC(2025, 0, 1) + i * 5000, zoneOffset: null,
    type: "HKQuantityTypeIdentifierHeartRate", value: 70, unit: "bpm", source: { provider: "apple", device: null }, isDailyTotal: null }));
  const events = timeseriesEvents(user, "apple", "heart_rate", samples);
  await emitUserEvents(env, undefined, user, "org_default", null, events);
  const groupIds = events.filter((e) => e.type === "heart_rate.created").map((e) => e.id);
  const log = await waitFor(() => received(name), (l) => l.length === groupIds.length, 10_000, "chunks");
  expect(log.map((r) => r.headers["webhook-id"]).sort()).toEqual(groupIds.sort());
  const total = log.reduce((n, r) => n + (new Webhook(ep.secret).verify(r.body, r.headers as any) as any).data.samples.length, 0);
  expect(total).toBe(3000);
});
