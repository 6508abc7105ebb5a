import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { typeDisplayName, STALLED_AFTER_MS } from "../../src/data/sync-progress";
import { ADMIN, api, call, signedInUser, type Tokens } from "../setup/harness";

const HR = "HKQuantityTypeIdentifierHeartRate", STEPS = "HKQuantityTypeIdentifierStepCount", SLEEP = "HKCategoryTypeIdentifierSleepAnalysis";
const WORKOUT = "HKWorkoutTypeIdentifier", WEIGHT = "HKQuantityTypeIdentifierBodyMass";

const logs = (userId: string, tokens: Pick<Tokens, "access_token">, events: unknown[]) =>
  call("POST", `/api/v1/sdk/users/${userId}/logs`, { headers: { Authorization: `Bearer ${tokens.access_token}` }, body: { sdkVersion: "0.1.0-ts", provider: "apple", events } });
const ts = (ms = Date.now()) => new Date(ms).toISOString();
const start = (types: string[]) => ({ eventType: "historical_data_sync_start", timestamp: ts(), dataTypeCounts: types.map((type) => ({ type, count: 0 })), timeRange: { endDate: ts() } });
const end = (dataType: string, success: boolean, recordCount: number) => ({ eventType: "historical_data_type_sync_end", timestamp: ts(), dataType, success, recordCount, durationMs: 1200 });
const device = { eventType: "device_state", timestamp: ts(), batteryLevel: 0.8, taskType: "foreground" };
const progress = (userId: string) => api.get(`/users/${userId}/sync/progress`, { headers: ADMIN });

describe("first-sync progress from the SDK's telemetry", () => {
  it("is null until a first sync is reported, then counts finished types and names the rest", async () => {
    const { user, tokens } = await signedInUser();
    expect((await progress(user.id)).json).toEqual({ user_id: user.id, first_sync: null });
    // device_state alone is not a first sync.
    expect((await logs(user.id, tokens, [device])).status).toBe(202);
    expect((await progress(user.id)).json.first_sync).toBeNull();

    expect((await logs(user.id, tokens, [start([HR, STEPS, SLEEP, WORKOUT, WEIGHT]), device])).status).toBe(202);
    expect((await progress(user.id)).json.first_sync).toMatchObject({ state: "in_progress", percent: 0, types_total: 5, types_done: 0,
      in_progress_types: ["heart rate", "steps", "sleep", "workouts", "weight"], message: "First sync 0 % done: heart rate, steps, sleep and 2 more in progress" });

    await logs(user.id, tokens, [end(HR, true, 1440), end(WEIGHT, true, 3), device]);
    // A pass that stopped reports its unfinished types with success false: still in progress, items counted.
    await logs(user.id, tokens, [end(STEPS, false, 200), device]);
    const mid = (await progress(user.id)).json.first_sync;
    expect(mid).toMatchObject({ state: "in_progress", percent: 40, types_done: 2, done_types: ["heart rate", "weight"],
      in_progress_types: ["steps", "sleep", "workouts"], records_sent: 1643, stalled: false, provider: "apple", sdk_version: "0.1.0-ts",
      message: "First sync 40 % done: heart rate and weight done; steps, sleep and workouts in progress" });

    await logs(user.id, tokens, [end(STEPS, true, 900), end(SLEEP, true, 30), end(WORKOUT, true, 4), device]);
    const done = (await progress(user.id)).json.first_sync;
    expect(done).toMatchObject({ state: "done", percent: 100, types_done: 5, in_progress_types: [], records_sent: 2377, message: "First sync done: 5 data types" });
    expect(done.finished_at).toMatch(/Z$/);

    // A new export (e.g. after resetAnchors) starts the count again.
    await logs(user.id, tokens, [start([HR]), device]);
    expect((await progress(user.id)).json.first_sync).toMatchObject({ state: "in_progress", types_total: 1, types_done: 0 });
  });

  it("calls an unfinished sync without telemetry or uploads for 15 minutes stalled", async () => {
    const { user, tokens } = await signedInUser();
    await logs(user.id, tokens, [start([HR, STEPS]), end(HR, true, 10)]);
    const stub = env.USER_DATA.get(env.USER_DATA.idFromName(user.id));
    expect((await stub.firstSync())!.stalled).toBe(false);
    // The reports arrived 16 minutes ago (and no upload since).
    await runInDurableObject(stub, (_i, state) => { state.storage.sql.exec(`UPDATE sdk_logs SET received_at = received_at - ?`, STALLED_AFTER_MS + 60_000); });
    const p = (await progress(user.id)).json.first_sync;
    expect(p).toMatchObject({ stalled: true, state: "in_progress" });
    expect(p.message).toContain("no progress for a while");
  });

  it("answers 404 for an unknown user and 400 for a malformed id; the SDK token cannot read it", async () => {
    const { tokens } = await signedInUser();
    const unknown = await progress("00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ detail: "User not found" });
    expect((await progress("not-a-uuid")).status).toBe(400);
    const { user } = await signedInUser();
    expect((await api.get(`/users/${user.id}/sync/progress`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
  });

  it("another organization's user is a 404, exactly like a missing one", async () => {
    const ORG = "X-Open-Wearables-Organization";
    const org = await api.post("/organizations", { headers: ADMIN, body: { name: "Globex" } });
    expect(org.status).toBe(201);
    const key = (await api.post("/developer/api-keys", { headers: { ...ADMIN, [ORG]: org.json.id }, body: { name: "globex backend" } })).json;
    const { user, tokens } = await signedInUser(); // in the default organization
    await logs(user.id, tokens, [start([HR])]);
    const foreign = await api.get(`/users/${user.id}/sync/progress`, { headers: { "X-Open-Wearables-API-Key": key.id } });
    const missing = await api.get(`/users/00000000-0000-4000-8000-000000000000/sync/progress`, { headers: { "X-Open-Wearables-API-Key": key.id } });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toEqual(missing.json);
  });

  it("turns store type ids into words", () => {
    expect([HR, STEPS, SLEEP, WORKOUT, "HeartRate", "ExerciseSession", "SleepSession", "com.samsung.health.heart_rate", "Steps"].map(typeDisplayName))
      .toEqual(["heart rate", "steps", "sleep", "workouts", "heart rate", "workouts", "sleep", "heart rate", "steps"]);
  });
});
