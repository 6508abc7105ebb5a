import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { signedInUser } from "../setup/harness";
import { createEndpoint, received, receiverName, receiverUrl, script, waitFor } from "../webhooks/helpers";
import { upload } from "./sync-helpers";

const START = Date.UTC(2026, 10, 1, 6, 0, 0);

describe("webhooks from a real sync", () => {
  it("a receiver verifying with standardwebhooks gets every event of the sync once per id, despite a failure, and a replay adds none", async () => {
    const { app, user, tokens } = await signedInUser();
    const name = receiverName("ingest");
    await script(name, ["500"]); // the first delivery attempt fails
    const ep = await createEndpoint({ url: receiverUrl(name), app_id: app.app_id });
    const batch = iosBatch({ start: START, records: 40, workouts: 2, sleepNights: 1 });
    const first = await upload(user.id, tokens, batch);
    expect(first.status).toBe(202);

    const expected = ["connection.created", "workout.created", "sleep.created", "sync.completed", "series.heart_rate.created"];
    const log = await waitFor(() => received(name), (l) => {
      const ok = new Set(l.filter((r) => r.action === "ok").map((r) => JSON.parse(r.body).type));
      return expected.every((t) => ok.has(t));
    }, 20_000, "all event types");
    const delivered = log.filter((r) => r.action === "ok");
    const wh = new Webhook(ep.secret);
    for (const r of delivered) {
      const payload = wh.verify(r.body, {
        "webhook-id": r.headers["webhook-id"]!, "webhook-timestamp": r.headers["webhook-timestamp"]!,
        "webhook-signature": r.headers["webhook-signature"]!,
      }) as { type: string; data: Record<string, unknown> };
      expect(payload.data.user_id).toBe(user.id);
    }
    const ids = delivered.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(delivered.filter((r) => JSON.parse(r.body).type === "workout.created")).toHaveLength(2);
    const completed = JSON.parse(delivered.find((r) => JSON.parse(r.body).type === "sync.completed")!.body);
    expect(completed.data).toMatchObject({ run_id: first.json.batch_id, status: "success", provider: "apple" });

    // A replay stores nothing new, so only its own sync.completed goes out.
    const before = delivered.length;
    const replay = await upload(user.id, tokens, batch);
    await waitFor(() => received(name), (l) => l.filter((r) => r.action === "ok").length > before, 15_000, "replay event");
    await new Promise((r) => setTimeout(r, 1_000)); // anything else the replay might (wrongly) have sent
    const after = await received(name);
    const replayTypes = after.filter((r) => r.action === "ok").slice(before).map((r) => JSON.parse(r.body));
    expect(replayTypes.map((p) => p.type)).toEqual(["sync.completed"]);
    expect(replayTypes[0].data.run_id).toBe(replay.json.batch_id);
  });
});
