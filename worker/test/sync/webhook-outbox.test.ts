import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { signedInUser } from "../setup/harness";
import { createEndpoint, received, receiverName, receiverUrl, waitFor } from "../webhooks/helpers";
import { upload } from "./sync-helpers";

const START = Date.UTC(2026, 10, 1, 6, 0, 0);
const stubOf = (userId: string) => env.USER_DATA.get(env.USER_DATA.idFromName(userId));
const outboxSize = (userId: string) =>
  runInDurableObject(stubOf(userId), (_instance, state) =>
    state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM webhook_outbox").one().n);

describe("webhook outbox in the user's object", () => {
  it("keeps a batch's events when the queue is down and delivers them from the alarm once it is back", async () => {
    const { app, user, tokens } = await signedInUser();
    const name = receiverName("outbox");
    await createEndpoint({ url: receiverUrl(name), app_id: app.app_id, filter_types: ["workout.created", "sync.completed"] });
    const stub = stubOf(user.id);
    // Fault injection: the object's queue producer fails, as during a Queues outage.
    await runInDurableObject(stub, (instance) => {
      const real = (instance as unknown as { env: typeof env }).env;
      (instance as unknown as { env: unknown }).env = {
        ...real, WEBHOOKS: { sendBatch: async () => { throw new Error("queue unavailable"); }, send: async () => { throw new Error("queue unavailable"); } },
      };
    });
    const res = await upload(user.id, tokens, iosBatch({ start: START, records: 10, workouts: 1 }));
    expect(res.status).toBe(202);
    await waitFor(() => outboxSize(user.id), (n) => n === 1, 5_000, "the batch's events kept in the outbox");
    expect(await received(name)).toHaveLength(0);

    // The queue is back; the retry is due; the alarm hands the events over.
    await runInDurableObject(stub, (instance, state) => {
      (instance as unknown as { env: unknown }).env = env;
      state.storage.sql.exec("UPDATE webhook_outbox SET next_at = 0");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const log = await waitFor(() => received(name), (l) => l.filter((r) => r.action === "ok").length >= 2, 15_000, "delivery after outage");
    expect(log.map((r) => JSON.parse(r.body).type).sort()).toEqual(["sync.completed", "workout.created"]);
    expect(await outboxSize(user.id)).toBe(0);
  });

  it("writes nothing to the outbox when no endpoint listens", async () => {
    const { user, tokens } = await signedInUser();
    // Endpoints of other applications exist in this file, but none covers this user's application.
    await upload(user.id, tokens, iosBatch({ start: START, records: 10, workouts: 1 }));
    expect(await outboxSize(user.id)).toBe(0);
  });
});
