import { beforeAll, describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { ADMIN, api, call } from "../setup/harness";
import { receiverName, receiverUrl } from "../webhooks/helpers";

/**
 * Organizations are tenants: an API key (and the admin acting in one organization) sees nothing of another. Every
 * foreign resource answers exactly like a missing one: same status, same body.
 */

const ORG = "X-Open-Wearables-Organization";
const START = Date.UTC(2026, 9, 1);

interface Tenant {
  orgId: string;
  key: string;
  keyId: string;
  admin: Record<string, string>;
  app: { app_id: string; app_secret: string };
  userId: string;
  endpointId: string;
  workoutId: string;
  sdk: string;
}

async function tenant(name: string): Promise<Tenant> {
  const org = await api.post("/organizations", { headers: ADMIN, body: { name } });
  expect(org.status).toBe(201);
  const admin = { ...ADMIN, [ORG]: org.json.id };
  const key = (await api.post("/developer/api-keys", { headers: admin, body: { name: `${name} backend` } })).json;
  const app = (await api.post("/applications", { headers: admin, body: { name: `${name} app` } })).json;
  const user = (await api.post("/users", { headers: { "X-Open-Wearables-API-Key": key.id }, body: { external_user_id: "shared-ext-1", email: "pat@acme.io" } })).json;
  const tokens = (await api.post(`/users/${user.id}/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } })).json;
  const up = await call("POST", `/api/v1/sdk/users/${user.id}/sync`, {
    headers: { Authorization: `Bearer ${tokens.access_token}` }, body: iosBatch({ start: START, workouts: 1, sleepNights: 1 }),
  });
  expect(up.status).toBe(202);
  const endpoint = (await api.post("/webhooks/endpoints", { headers: admin, body: { url: receiverUrl(receiverName(name)) } })).json;
  const workouts = (await api.get(`/users/${user.id}/events/workouts?start_date=2026-09-01&end_date=2026-11-01`, { headers: { "X-Open-Wearables-API-Key": key.id } })).json;
  return {
    orgId: org.json.id, key: key.id, keyId: key.key_id, admin, app, userId: user.id, endpointId: endpoint.id,
    workoutId: workouts.data[0].id, sdk: tokens.access_token,
  };
}

let a: Tenant;
let b: Tenant;
const MISSING_USER = "6c1f3f0e-0000-4000-8000-000000000000";
const keyOf = (t: Tenant) => ({ "X-Open-Wearables-API-Key": t.key });

beforeAll(async () => {
  a = await tenant("Acme");
  b = await tenant("Globex");
});

/** The answer for B's resource, seen from A, must equal the answer for a resource that does not exist. */
async function sameAsMissing(method: string, path: (userId: string) => string, headers: Record<string, string>, body?: unknown) {
  const foreign = await call(method, `/api/v1${path(b.userId)}`, { headers, body });
  const missing = await call(method, `/api/v1${path(MISSING_USER)}`, { headers, body });
  expect(foreign.status, `${method} ${path(":id")}`).toBe(missing.status);
  expect(JSON.stringify(foreign.json).replaceAll(b.userId, "ID")).toBe(JSON.stringify(missing.json).replaceAll(MISSING_USER, "ID"));
  return foreign;
}

describe("an API key acts only inside its organization", () => {
  it("users: get, list, search, filter by email or external id", async () => {
    expect((await sameAsMissing("GET", (id) => `/users/${id}`, keyOf(a))).status).toBe(404);
    for (const q of ["", "?search=pat", "?email=pat@acme.io", "?external_user_id=shared-ext-1"]) {
      const list = await api.get(`/users${q}`, { headers: keyOf(a) });
      expect(list.status).toBe(200);
      expect(list.json.items.map((u: { id: string }) => u.id)).toEqual([a.userId]);
      expect(list.json.total).toBe(1);
    }
  });

  it("external_user_id and e-mail are unique per organization, not globally", async () => {
    // Both tenants created "shared-ext-1" / pat@acme.io and got their own user.
    expect(a.userId).not.toBe(b.userId);
    const again = await api.post("/users", { headers: keyOf(a), body: { external_user_id: "shared-ext-1" } });
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(a.userId);
    expect((await api.post("/users", { headers: keyOf(a), body: { email: "pat@acme.io" } })).status).toBe(409);
  });

  it("read API: timeseries, events, summaries, data sources, sync status, deletes", async () => {
    const reads = [
      (id: string) => `/users/${id}/timeseries?start_time=2026-09-01&end_time=2026-11-01&types=heart_rate`,
      (id: string) => `/users/${id}/events/workouts?start_date=2026-09-01&end_date=2026-11-01`,
      (id: string) => `/users/${id}/events/sleep?start_date=2026-09-01&end_date=2026-11-01`,
      (id: string) => `/users/${id}/summaries/activity?start_date=2026-09-01&end_date=2026-11-01`,
      (id: string) => `/users/${id}/summaries/sleep?start_date=2026-09-01&end_date=2026-11-01`,
      (id: string) => `/users/${id}/summaries/body`,
      (id: string) => `/users/${id}/data-sources`,
      (id: string) => `/users/${id}/sync/runs`,
      (id: string) => `/users/${id}/sync/recent`,
    ];
    for (const path of reads) {
      const res = await sameAsMissing("GET", path, keyOf(a));
      expect(JSON.stringify(res.json)).not.toContain("apple");
    }
    expect((await sameAsMissing("DELETE", (id) => `/users/${id}/events/workouts/${b.workoutId}`, keyOf(a))).status).toBe(404);
    // B's workout is still there.
    const own = await api.get(`/users/${b.userId}/events/workouts?start_date=2026-09-01&end_date=2026-11-01`, { headers: keyOf(b) });
    expect(own.json.data.map((w: { id: string }) => w.id)).toContain(b.workoutId);
  });

  it("uploads and logs: an API key cannot write another organization's user", async () => {
    const batch = iosBatch({ start: START + 5 * 86_400_000, workouts: 1, sleepNights: 0 });
    expect((await sameAsMissing("POST", (id) => `/sdk/users/${id}/sync`, keyOf(a), batch)).status).toBe(404);
    const logs = { sdkVersion: "0.6.0", events: [{ eventType: "device_state", timestamp: "2026-11-01T00:00:00Z" }] };
    expect((await sameAsMissing("POST", (id) => `/sdk/users/${id}/logs`, keyOf(a), logs)).status).toBe(404);
    const runs = await api.get(`/users/${b.userId}/sync/runs`, { headers: keyOf(b) });
    expect(runs.json.length ?? runs.json.data.length).toBe(1);
  });

  it("invitation codes: not for another organization's user, not bound to another organization's application", async () => {
    expect((await sameAsMissing("POST", (id) => `/users/${id}/invitation-code`, keyOf(a), {})).status).toBe(404);
    const foreignApp = await api.post(`/users/${a.userId}/invitation-code`, { headers: keyOf(a), body: { app_id: b.app.app_id } });
    const missingApp = await api.post(`/users/${a.userId}/invitation-code`, { headers: keyOf(a), body: { app_id: "app_00000000000000000000000000000000" } });
    expect(foreignApp.status).toBe(404);
    expect(foreignApp.json).toEqual(missingApp.json);
  });

  it("tokens: an application mints only for users of its own organization", async () => {
    const res = await sameAsMissing("POST", (id) => `/users/${id}/token`, {}, { app_id: a.app.app_id, app_secret: a.app.app_secret });
    expect(res.status).toBe(404);
  });

  it("naming another organization with an API key is answered like an unknown one", async () => {
    const other = await api.get("/users", { headers: { ...keyOf(a), [ORG]: b.orgId } });
    const unknown = await api.get("/users", { headers: { ...keyOf(a), [ORG]: "org_0000000000000000" } });
    expect(other.status).toBe(404);
    expect(other.json.detail.replace(b.orgId, "X")).toBe(unknown.json.detail.replace("org_0000000000000000", "X"));
  });
});

describe("the admin key acts inside the organization it names", () => {
  it("applications: list, delete, rotate, settings", async () => {
    const list = await api.get("/applications", { headers: a.admin });
    expect(list.json.map((x: { app_id: string }) => x.app_id)).toEqual([a.app.app_id]);
    for (const [method, path] of [["DELETE", `/applications/${b.app.app_id}`], ["POST", `/applications/${b.app.app_id}/rotate-secret`],
      ["GET", `/applications/${b.app.app_id}/settings`]] as const) {
      const res = await call(method, `/api/v1${path}`, { headers: a.admin });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual({ detail: "Application not found" });
    }
    // B's app still mints.
    expect((await api.post(`/users/${b.userId}/token`, { body: { app_id: b.app.app_id, app_secret: b.app.app_secret } })).status).toBe(200);
  });

  it("API keys: list, rename, rotate, delete", async () => {
    const list = await api.get("/developer/api-keys", { headers: a.admin });
    expect(list.json.map((k: { key_id: string }) => k.key_id)).toEqual([a.keyId]);
    for (const [method, suffix] of [["PATCH", ""], ["POST", "/rotate"], ["DELETE", ""]] as const) {
      for (const id of [b.keyId, b.key]) {
        const res = await call(method, `/api/v1/developer/api-keys/${id}${suffix}`, { headers: a.admin, body: method === "PATCH" ? { name: "x" } : undefined });
        expect(res.status, `${method} ${suffix}`).toBe(404);
      }
    }
    expect((await api.get("/users", { headers: keyOf(b) })).status).toBe(200);
  });

  it("users: patch and delete", async () => {
    expect((await sameAsMissing("PATCH", (id) => `/users/${id}`, a.admin, { first_name: "X" })).status).toBe(404);
    expect((await sameAsMissing("DELETE", (id) => `/users/${id}`, a.admin)).status).toBe(404);
    expect((await api.get(`/users/${b.userId}`, { headers: keyOf(b) })).json.first_name).toBeNull();
  });

  it("webhook endpoints: list, get, update, rotate, test, attempts, delete", async () => {
    const list = await api.get("/webhooks/endpoints", { headers: a.admin });
    expect(list.json.map((e: { id: string }) => e.id)).toEqual([a.endpointId]);
    const paths: [string, string, unknown?][] = [
      ["GET", ""], ["PATCH", "", { description: "x" }], ["POST", "/rotate-secret"], ["POST", "/test"], ["GET", "/attempts"], ["DELETE", ""],
    ];
    for (const [method, suffix, body] of paths) {
      const foreign = await call(method, `/api/v1/webhooks/endpoints/${b.endpointId}${suffix}`, { headers: a.admin, body });
      const missing = await call(method, `/api/v1/webhooks/endpoints/${crypto.randomUUID()}${suffix}`, { headers: a.admin, body });
      expect(foreign.status, `${method} ${suffix}`).toBe(404);
      expect(foreign.json).toEqual(missing.json);
    }
    expect((await api.get(`/webhooks/endpoints/${b.endpointId}`, { headers: b.admin })).status).toBe(200);
  });

  it("without the header it acts in the default organization, exactly as before organizations", async () => {
    const users = await api.get("/users", { headers: ADMIN });
    expect(users.json.items.map((u: { id: string }) => u.id)).not.toContain(a.userId);
    expect((await api.get(`/users/${a.userId}`, { headers: ADMIN })).status).toBe(404);
  });

  it("an unknown organization is a clear 404 for the operator, and nothing is written", async () => {
    const res = await api.post("/users", { headers: { ...ADMIN, [ORG]: "org_nope" }, body: { external_user_id: "ghost" } });
    expect(res.status).toBe(404);
    expect(res.json.detail).toBe("Organization org_nope not found (named in X-Open-Wearables-Organization)");
    for (const h of [ADMIN, a.admin, b.admin]) {
      expect((await api.get("/users?external_user_id=ghost", { headers: h })).json.total).toBe(0);
    }
  });
});

describe("organizations", () => {
  it("are created, listed, renamed; the default one cannot be deleted; bad input is a 400", async () => {
    const list = await api.get("/organizations", { headers: ADMIN });
    expect(list.json.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining(["org_default", a.orgId, b.orgId]));
    expect(list.json.find((o: { id: string }) => o.id === "org_default").is_default).toBe(true);
    const renamed = await api.patch(`/organizations/${a.orgId}`, { headers: ADMIN, body: { name: "Acme Corp" } });
    expect(renamed.json.name).toBe("Acme Corp");
    expect((await api.delete("/organizations/org_default", { headers: ADMIN })).status).toBe(409);
    expect((await api.post("/organizations", { headers: ADMIN, body: { name: "" } })).status).toBe(400);
    expect((await api.post("/organizations", { headers: ADMIN, body: { name: "x", extra: 1 } })).status).toBe(400);
    expect((await api.get("/organizations", { headers: keyOf(a) })).status).toBe(401);
    expect((await api.delete("/organizations/org_missing", { headers: ADMIN })).status).toBe(404);
  });
});

describe("the API contract documents tenancy", () => {
  it("lists the organization endpoints and the organization header on every operation an admin key may call", async () => {
    const doc = (await api.get("/openapi.json")).json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/organizations", "/organizations/{org_id}"]));
    expect(doc.components.parameters.Organization).toMatchObject({ name: ORG, in: "header", required: false });
    const ref = { $ref: "#/components/parameters/Organization" };
    expect(doc.paths["/users"].get.parameters).toContainEqual(ref);
    expect(doc.paths["/applications"].post.parameters).toContainEqual(ref);
    // Phone and public endpoints do not take it.
    expect(doc.paths["/token/refresh"].post.parameters ?? []).not.toContainEqual(ref);
    expect(doc.info.description).toContain(ORG);
  });
});
