import { expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { signedInUser, upload } from "./sync-helpers";

it("stores an iOS batch", async () => {
  const { user, tokens } = await signedInUser();
  const res = await upload(user.id, tokens, iosBatch({ start: Date.UTC(2026, 10, 1), records: 20, workouts: 1, sleepNights: 1 }));
  console.log(JSON.stringify(res.json).slice(0, 1500));
  expect(res.status).toBe(202);
  const again = await upload(user.id, tokens, iosBatch({ start: Date.UTC(2026, 10, 1), records: 20, workouts: 1, sleepNights: 1 }));
  console.log(JSON.stringify(again.json).slice(0, 1500));
});
