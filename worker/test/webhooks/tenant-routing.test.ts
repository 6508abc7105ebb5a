import { expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { ADMIN, api, call } from "../setup/harness";
import { received, receiverName, receiverUrl, waitFor } from "./helpers";

/**
 * Webhook events go only to endpoints of the user's organization. An endpoint bound to an application hears only
 * sessions of that application; an upload from a session with no application (here an API key) reaches only
 * endpoints not bound to one. Driven by real uploads, delivered to a real receiver.
 */

const ORG = "X-Open-Wearables-Organization";
const START = Date.UTC(2026, 9, 3);
const types = async (name: string) => (await received(name)).filter((r) => r.action === "ok").map((r) => JSON.parse(r.body));

it("routes a sync's events by organization and by uploading application", async () => {
  const orgs = await Promise.all(["Route A", "Route B"].map(async (name) => (await api.post("/organizations", { headers: ADMIN, body: { name } })).json.id));
  const [adminA, adminB] = orgs.map((id) => ({ ...ADMIN, [ORG]: id }));
  const appA = (await api.post("/applications", { headers: adminA!, body: { name: "A app" } })).json;
  const keyA = (await api.post("/developer/api-keys", { headers: adminA!, body: { name: "A" } })).json.id;
  const names = { aAll: receiverName("a-all"), aApp: receiverName("a-app"), bAll: receiverName("b-all"), defaultAll: receiverName("default-all") };
  const endpoint = (headers: Record<string, string>, name: string, app_id?: string) =>
    api.post("/webhooks/endpoints", { headers, body: { url: receiverUrl(name), ...(app_id ? { app_id } : {}), filter_types: ["workout.created"] } });
  expect((await endpoint(adminA!, names.aAll)).status).toBe(201);
  expect((await endpoint(adminA!, names.aApp, appA.app_id)).status).toBe(201);
  expect((await endpoint(adminB!, names.bAll)).status).toBe(201);
  expect((await endpoint(ADMIN, names.defaultAll)).status).toBe(201);

  const user = (await api.post("/users", { headers: { "X-Open-Wearables-API-Key": keyA }, body: {} })).json;
  const tokens = (await api.post(`/users/${user.id}/token`, { body: { app_id: appA.app_id, app_secret: appA.app_secret } })).json;
  // 1. A session of application A: A's unbound endpoint and A's app endpoint.
  const viaApp = await call("POST", `/api/v1/sdk/users/${user.id}/sync`, {
    headers: { Authorization: `Bearer ${tokens.access_token}` }, body: iosBatch({ start: START, records: 5, workouts: 1, sleepNights: 0 }),
  });
  expect(viaApp.status).toBe(202);
  await waitFor(async () => [await types(names.aAll), await types(names.aApp)], ([all, app]) => all!.length === 1 && app!.length === 1, 15_000, "app session events");
  // 2. The organization's API key (no application): only the unbound endpoint.
  const viaKey = await call("POST", `/api/v1/sdk/users/${user.id}/sync`, {
    headers: { "X-Open-Wearables-API-Key": keyA }, body: iosBatch({ start: START + 86_400_000, records: 5, workouts: 1, sleepNights: 0 }),
  });
  expect(viaKey.status).toBe(202);
  await waitFor(() => types(names.aAll), (l) => l.length === 2, 15_000, "API-key upload event");
  // Deliveries of one batch go out together; the unbound endpoint has both, so nothing else is still on its way.
  await new Promise((r) => setTimeout(r, 500));
  expect((await types(names.aApp)).length).toBe(1);
  expect(await types(names.bAll)).toEqual([]);
  expect(await types(names.defaultAll)).toEqual([]);
  for (const e of await types(names.aAll)) expect(e.data.user_id).toBe(user.id);
});
