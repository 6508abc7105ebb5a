import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { emitUserEvents } from "../../src/webhooks/emit";
import { workoutCreated } from "../../src/webhooks/events";
import { attempts, createEndpoint, getEndpoint, received, receiverName, receiverUrl, script, waitFor } from "./helpers";

// Each test uses its own user and an endpoint filtered to that user, so tests in this file never see each other's events.
const workout = (id: string, user: string) => workoutCreated({
  id, userId: user, type: "running", startTime: "2025-12-19T07:30:00Z", endTime: "2025-12-19T08:00:00Z", zoneOffset: "+01:00",
  durationSeconds: 1800, source: { provider: "apple", device: "Apple Watch" }, caloriesKcal: 300, averageSpeed: 3.2,
});

/** Verifies exactly as a receiver would: raw body + the three headers, with the endpoint's secret. */
const verify = (secret: string, r: { headers: Record<string, string>; body: string }) =>
  new Webhook(secret).verify(r.body, {
    "webhook-id": r.headers["webhook-id"]!, "webhook-timestamp": r.headers["webhook-timestamp"]!, "webhook-signature": r.headers["webhook-signature"]!,
  });

describe("delivery", () => {
  it("delivers a signed event that standardwebhooks verifies", async () => {
    const name = receiverName("sig");
    const user = crypto.randomUUID();
    const ep = await createEndpoint({ url: receiverUrl(name), user_id: user });
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await emitUserEvents(env, undefined, user, "org_default", null, [workout("w-1", user)]);
    const [got] = await waitFor(() => received(name), (l) => l.length >= 1, 10_000, "delivery");
    expect(verify(ep.secret, got!)).toEqual({ type: "workout.created", data: expect.objectContaining({ id: "w-1", user_id: user, start_time: "2025-12-19T07:30:00+00:00", avg_pace_sec_per_km: 312 }) });
    expect(got!.headers["webhook-id"]).toBe("workout.created.w-1");
    expect(got!.headers["svix-signature"]).toBe(got!.headers["webhook-signature"]);
    expect(() => new Webhook(`whsec_${btoa("wrong-secret-wrong-secret-012345")}`).verify(got!.body, got!.headers as any)).toThrow();
    const log = await waitFor(() => attempts(ep.id), (l) => l.data[0]?.statusText === "success", 5000, "log");
    expect(log.data[0]).toMatchObject({ msgId: "workout.created.w-1", eventType: "workout.created", status: 0, attempts: 1, responseStatusCode: 200, lastError: null });
  });
});

describe("failures", () => {
  it("retries after a 500 and after a timeout, then delivers once; the log shows the attempts", async () => {
    const name = receiverName("retry");
    await script(name, ["500", "hang"]);
    const user = crypto.randomUUID();
    const ep = await createEndpoint({ url: receiverUrl(name), user_id: user });
    await emitUserEvents(env, undefined, user, "org_default", null, [workout("w-retry", user)]);
    const log = await waitFor(() => received(name), (l) => l.some((r) => r.action === "ok"), 15_000, "third attempt");
    expect(log.map((r) => r.action)).toEqual(["500", "hang", "ok"]);
    expect(new Set(log.map((r) => r.headers["webhook-id"]))).toEqual(new Set(["workout.created.w-retry"]));
    for (const r of log) expect(verify(ep.secret, r)).toMatchObject({ type: "workout.created" });
    const row = (await waitFor(() => attempts(ep.id), (a) => a.data[0]?.statusText === "success", 5000, "log")).data[0];
    expect(row).toMatchObject({ attempts: 3, status: 0, responseStatusCode: 200 });
    expect(await getEndpoint(ep.id)).toMatchObject({ enabled: true, consecutive_failures: 0 });
  });

  it("dead-letters after the retries run out and records the final failure", async () => {
    const name = receiverName("dlq");
    const user = crypto.randomUUID();
    const ep = await createEndpoint({ url: receiverUrl(name), user_id: user });
    await script(name, [], "503");
    await emitUserEvents(env, undefined, user, "org_default", null, [workout("w-dead", user)]);
    // maxRetries = 3 in the test config: 4 attempts, then the dead-letter consumer writes the final state.
    const log = await waitFor(() => attempts(ep.id), (a) => a.data[0]?.deadLetteredAt !== null && a.data[0] !== undefined, 15_000, "dead letter");
    expect(log.data[0]).toMatchObject({ msgId: "workout.created.w-dead", status: 2, statusText: "failed", attempts: 4, responseStatusCode: 503 });
    expect(log.data[0].lastError).toMatch(/^Retries exhausted; last error: HTTP 503/);
    expect((await received(name)).length).toBe(4);
    // 4 failures stay under the disable threshold (6): one dead letter does not switch an endpoint off.
    expect(await getEndpoint(ep.id)).toMatchObject({ enabled: true, consecutive_failures: 4 });
    const failed = await attempts(ep.id, "?status=2");
    expect(failed.data).toHaveLength(1);
  });

  it("disables an endpoint after sustained failure and stops sending to it", async () => {
    const name = receiverName("disable");
    const user = crypto.randomUUID();
    const ep = await createEndpoint({ url: receiverUrl(name), user_id: user });
    await script(name, [], "500");
    await emitUserEvents(env, undefined, user, "org_default", null, [workout("d-1", user), workout("d-2", user), workout("d-3", user)]);
    const disabled = await waitFor(() => getEndpoint(ep.id), (e) => e.enabled === false, 15_000, "disable");
    expect(disabled.disabled_reason).toMatch(/consecutive failed deliveries/);
    // Wait for in-flight retries to settle; once disabled, nothing more reaches the receiver.
    await waitFor(() => attempts(ep.id), (a) => a.data.length === 3 && a.data.every((d: any) => d.statusText === "failed"), 15_000, "settled");
    const count = (await received(name)).length;
    await emitUserEvents(env, undefined, user, "org_default", null, [workout("d-4", user)]);
    await new Promise((r) => setTimeout(r, 500));
    expect((await received(name)).length).toBe(count);
    // Re-enabling through the API resets the counters and delivery resumes.
    await script(name, [], "ok");
    const { api, ADMIN } = await import("../setup/harness");
    const res = await api.patch(`/webhooks/endpoints/${ep.id}`, { headers: ADMIN, body: { enabled: true } });
    expect(res.json).toMatchObject({ enabled: true, consecutive_failures: 0, disabled_reason: null });
    await emitUserEvents(env, undefined, user, "org_default", null, [workout("d-5", user)]);
    await waitFor(() => received(name), (l) => l.some((r) => r.action === "ok" && r.headers["webhook-id"] === "workout.created.d-5"), 10_000, "resumed");
  });

  it("loses no event while the receiver is down, and delivers each id exactly once when it comes back", async () => {
    const name = receiverName("outage");
    const user = crypto.randomUUID();
    const ep = await createEndpoint({ url: receiverUrl(name), user_id: user });
    // Down for the first 8 requests (mix of errors and hangs), then back.
    await script(name, ["502", "hang", "500", "503", "502", "500", "hang", "500"], "ok");
    const events = Array.from({ length: 5 }, (_, i) => workout(`o-${i}`, user));
    await emitUserEvents(env, undefined, user, "org_default", null, events);
    // A replayed batch (same content → same ids) must not produce new deliveries once delivered.
    const log = await waitFor(() => received(name), (l) => new Set(l.filter((r) => r.action === "ok").map((r) => r.headers["webhook-id"])).size === 5, 20_000, "all delivered");
    await emitUserEvents(env, undefined, user, "org_default", null, events);
    await new Promise((r) => setTimeout(r, 700));
    const ok = (await received(name)).filter((r) => r.action === "ok");
    expect(ok.map((r) => r.headers["webhook-id"]).sort()).toEqual(events.map((e) => e.id).sort());
    for (const r of ok) verify(ep.secret, r);
    expect(log.length).toBeGreaterThanOrEqual(13);
    const rows = (await attempts(ep.id)).data;
    expect(rows.map((d: any) => d.statusText)).toEqual(Array(5).fill("success"));
  });
});

describe("an endpoint deleted while its delivery is in flight", () => {
  it("writes no log row for it and does not fail the other endpoints' records", async () => {
    const { recordAttempt } = await import("../../src/webhooks/deliveries");
    const live = await createEndpoint({ url: receiverUrl(receiverName("live")) });
    const outcome = (endpointId: string) => ({
      endpointId, eventId: crypto.randomUUID(), eventType: "sync.completed", userId: null, status: "success" as const,
      attempts: 1, statusCode: 200, error: null, durationMs: 5, at: Date.now(), nextAttemptAt: null,
    });
    const ok = outcome(live.id);
    await env.DB.batch([recordAttempt(env.DB, outcome(crypto.randomUUID())), recordAttempt(env.DB, ok)]);
    const rows = await env.DB.prepare(`SELECT endpoint_id, status FROM webhook_deliveries WHERE event_id = ?`).bind(ok.eventId).all();
    expect(rows.results).toEqual([{ endpoint_id: live.id, status: "success" }]);
  });
});
