import { describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { ADMIN, api, call } from "../setup/harness";

/** The new read endpoints across organizations: a foreign user is a missing user; priorities are per organization. */

const ORG = "X-Open-Wearables-Organization";

async function tenant(name: string) {
  const org = (await api.post("/organizations", { headers: ADMIN, body: { name } })).json;
  const admin = { ...ADMIN, [ORG]: org.id };
  const key = { "X-Open-Wearables-API-Key": (await api.post("/developer/api-keys", { headers: admin, body: { name } })).json.id };
  const app = (await api.post("/applications", { headers: admin, body: { name } })).json;
  const user = (await api.post("/users", { headers: key, body: {} })).json;
  const tokens = (await api.post(`/users/${user.id}/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } })).json;
  const up = await call("POST", `/api/v1/sdk/users/${user.id}/sync`, { headers: { Authorization: `Bearer ${tokens.access_token}` }, body: iosBatch({ start: Date.UTC(2026, 9, 1), records: 10 }) });
  expect(up.status).toBe(202);
  return { admin, key, userId: user.id as string };
}

describe("tenancy of connections, stream, data summary and priorities", () => {
  it("another organization's user answers like a missing one, and its data survives a foreign delete", async () => {
    const a = await tenant("Initech");
    const b = await tenant("Umbrella");
    const missing = "6c1f3f0e-0000-4000-8000-000000000000";
    for (const [method, path] of [
      ["GET", "/connections"], ["DELETE", "/connections/apple"], ["DELETE", "/connections/apple/data"], ["GET", "/sync/stream"],
      ["GET", "/summaries/data"], ["GET", "/sync/runs"], ["GET", "/health-scores"],
    ] as const) {
      const foreign = await call(method, `/api/v1/users/${b.userId}${path}`, { headers: a.key });
      const none = await call(method, `/api/v1/users/${missing}${path}`, { headers: a.key });
      expect(foreign.status, `${method} ${path}`).toBe(none.status);
      expect(foreign.json, `${method} ${path}`).toEqual(none.json?.user_id ? { ...none.json, user_id: b.userId } : none.json);
    }
    const own = await api.get(`/users/${b.userId}/connections`, { headers: b.key });
    expect(own.json.map((c: { status: string }) => c.status)).toEqual(["active"]);
    expect((await api.get(`/users/${b.userId}/summaries/data`, { headers: b.key })).json.total_data_points).toBeGreaterThan(0);

    // Priorities: each organization its own.
    await call("PUT", "/api/v1/priorities/providers", { headers: a.admin, body: { priorities: [{ provider: "garmin", priority: 1 }] } });
    const pa = (await api.get("/priorities/providers", { headers: a.admin })).json.items;
    const pb = (await api.get("/priorities/providers", { headers: b.admin })).json.items;
    expect(pa.find((i: { provider: string }) => i.provider === "garmin").priority).toBe(1);
    expect(pb.find((i: { provider: string }) => i.provider === "garmin").priority).toBe(2);
    expect((await api.get("/priorities/providers", { headers: a.key })).status).toBe(401);
  });
});
