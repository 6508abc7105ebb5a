import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { emitUserEvents } from "../../src/webhooks/emit";
import { workoutCreated } from "../../src/webhooks/events";
import { attempts, createEndpoint, getEndpoint, received, receiverName, receiverUrl, script, waitFor } from "./helpers";

const USER = "5f0e3a52-8a34-4c39-9a53-1f4f7f0d2a10";

const workout = (id: string) => workoutCreated({
  id, userId: USER, type: "running", startTime: "2025-12-19T07:30:00Z", endTime: "2025-12-19T08:00:00Z", zoneOffset: "+01:00",
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
    const ep = await createEndpoint({ url: receiverUrl(name) });
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await emitUserEvents(env, undefined, USER, null, [workout("w-1")]);
    const [got] = await waitFor(() => received(name), (l) => l.length >= 1, 10_000, "delivery");
    expect(verify(ep.secret, got!)).toEqual({ type: "workout.created", data: expect.objectContaining({ id: "w-1", user_id: USER, start_time: "2025-12-19T07:30:00+00:00", avg_pace_sec_per_km: 312 }) });
    expect(got!.headers["webhook-id"]).toBe("workout.created.w-1");
    expect(got!.headers["svix-signature"]).toBe(got!.headers["webhook-signature"]);
    expect(() => new Webhook("whsec_" + btoa("wrong-secret-wrong-secret-012345")).verify(got!.body, got!.headers as any)).toThrow();
    const log = await waitFor(() => attempts(ep.id), (l) => l.data[0]?.statusText === "success", 5000, "log");
    expect(log.data[0]).toMatchObject({ msgId: "workout.created.w-1", eventType: "workout.created", status: 0, attempts: 1, responseStatusCode: 200, lastError: null });
  });
});
