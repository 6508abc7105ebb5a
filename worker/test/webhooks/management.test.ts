import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ADMIN, api, call, createApplication } from "../setup/harness";
import { attempts, createEndpoint, received, receiverName, receiverUrl, waitFor } from "./helpers";

const EP = "/webhooks/endpoints";
const someId = "0b7c6f1e-5a0d-4f51-9d7e-3b1f2c4d5e6f";

describe("event types", () => {
  it("lists the catalogue without auth, groups with their granular children", async () => {
    const res = await api.get("/webhooks/event-types");
    expect(res.status).toBe(200);
    const names = res.json.map((e: any) => e.name);
    for (const n of ["connection.created", "sync.started", "sync.completed", "sync.failed", "workout.created", "sleep.created", "heart_rate.created", "series.steps.created"]) {
      expect(names).toContain(n);
    }
    const hr = res.json.find((e: any) => e.name === "heart_rate.created");
    expect(hr.child_events).toContain("series.resting_heart_rate.created");
    for (const child of res.json.flatMap((e: any) => e.child_events ?? [])) expect(names).toContain(child);
    expect(names).not.toContain("series.running_vertical_ratio.created"); // a series without a group emits nothing
  });
});

describe("auth", () => {
  const routes: [string, string, unknown?][] = [
    ["POST", EP, { url: "https://example.com/hook" }], ["GET", EP], ["GET", `${EP}/${someId}`], ["PATCH", `${EP}/${someId}`, {}],
    ["DELETE", `${EP}/${someId}`], ["POST", `${EP}/${someId}/rotate-secret`], ["POST", `${EP}/${someId}/test`],
    ["GET", `${EP}/${someId}/attempts`], ["GET", `${EP}/${someId}/secret`],
  ];
  it.each(routes)("%s %s needs the admin key (401, before validation)", async (method, path, body) => {
    for (const headers of [{}, { "X-Open-Wearables-API-Key": "sk-wrong" }] as Record<string, string>[]) {
      const res = await call(method, `/api/v1${path}`, { headers, body: method === "GET" ? undefined : body ?? { bogus: 1 } });
      expect(res.status).toBe(401);
      expect(typeof res.json.detail).toBe("string");
    }
  });
});

describe("validation", () => {
  const bad: [string, unknown][] = [
    ["missing url", {}],
    ["relative url", { url: "/hook" }],
    ["non-http url", { url: "ftp://example.com/hook" }],
    ["credentials in url", { url: "https://user:pw@example.com/hook" }],
    ["unknown event type", { url: "https://example.com/h", filter_types: ["workout.deleted"] }],
    ["user_id not a uuid", { url: "https://example.com/h", user_id: "nope" }],
    ["unknown field", { url: "https://example.com/h", secret: "whsec_x" }],
    ["not an object", ["https://example.com/h"]],
  ];
  it.each(bad)("create: %s → 400 {detail}", async (_label, body) => {
    const res = await api.post(EP, { headers: ADMIN, body });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json)).toEqual(["detail"]);
  });

  it("malformed JSON, bad path ids and bad query params are 400", async () => {
    expect((await api.post(EP, { headers: { ...ADMIN, "Content-Type": "application/json" }, rawBody: "{nope" })).status).toBe(400);
    expect((await api.get(`${EP}/not-a-uuid`, { headers: ADMIN })).status).toBe(400);
    const ep = await createEndpoint({ url: "https://example.com/h" });
    for (const q of ["?limit=0", "?limit=251", "?status=7", "?iterator=zzz", "?nope=1"]) {
      const res = await api.get(`${EP}/${ep.id}/attempts${q}`, { headers: ADMIN });
      expect(res.status, q).toBe(400);
      expect(typeof res.json.detail).toBe("string");
    }
    expect((await api.post(`${EP}/${ep.id}/rotate-secret`, { headers: ADMIN, body: { grace_seconds: -1 } })).status).toBe(400);
    expect((await api.post(`${EP}/${ep.id}/test`, { headers: ADMIN, body: { event_type: "nope" } })).status).toBe(400);
  });

  it("unknown endpoint or application is 404", async () => {
    expect((await api.get(`${EP}/${someId}`, { headers: ADMIN })).status).toBe(404);
    expect((await api.patch(`${EP}/${someId}`, { headers: ADMIN, body: { description: "x" } })).status).toBe(404);
    expect((await api.delete(`${EP}/${someId}`, { headers: ADMIN })).status).toBe(404);
    const res = await api.post(EP, { headers: ADMIN, body: { url: "https://example.com/h", app_id: "app_doesnotexist" } });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: "Application not found" });
  });

  it("answers 503 like the reference when webhooks are not configured", async () => {
    const res = await createApp().fetch(new Request("https://api.test/api/v1/webhooks/endpoints", {
      method: "POST", headers: { ...ADMIN, "Content-Type": "application/json" }, body: JSON.stringify({ url: "https://example.com/h" }),
    }), { ...env, WEBHOOK_SECRET_KEY: undefined });
    expect(res.status).toBe(503);
    expect((await res.json() as any).detail).toMatch(/^Outgoing webhooks are not enabled/);
  });
});

describe("endpoints CRUD", () => {
  it("creates, reads, lists by application, updates, clears filters and deletes", async () => {
    const app = await createApplication("Webhook app");
    const ep = await createEndpoint({ url: "https://example.com/a", description: "mine", filter_types: ["workout.created"], user_id: someId, app_id: app.app_id });
    expect(ep).toMatchObject({ url: "https://example.com/a", description: "mine", filter_types: ["workout.created"], user_id: someId, app_id: app.app_id, enabled: true });
    const other = await createEndpoint({ url: "https://example.com/b" });
    expect(other).toMatchObject({ app_id: null, filter_types: null, user_id: null, description: null });

    const one = await api.get(`${EP}/${ep.id}`, { headers: ADMIN });
    expect(one.status).toBe(200);
    expect(one.json.secret).toBeUndefined(); // shown once only
    expect((await api.get(`${EP}/${ep.id}/secret`, { headers: ADMIN })).status).toBe(410);

    const mine = await api.get(`${EP}?app_id=${app.app_id}`, { headers: ADMIN });
    expect(mine.json.map((e: any) => e.id)).toEqual([ep.id]);
    const all = await api.get(EP, { headers: ADMIN });
    expect(all.json.map((e: any) => e.id)).toEqual(expect.arrayContaining([ep.id, other.id]));

    const patched = await api.patch(`${EP}/${ep.id}`, { headers: ADMIN, body: { filter_types: null, user_id: null, url: "https://example.com/a2" } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ filter_types: null, user_id: null, url: "https://example.com/a2", description: "mine" });
    const off = await api.patch(`${EP}/${ep.id}`, { headers: ADMIN, body: { enabled: false } });
    expect(off.json).toMatchObject({ enabled: false, disabled_reason: "Disabled through the API" });

    expect((await api.delete(`${EP}/${ep.id}`, { headers: ADMIN })).status).toBe(204);
    expect((await api.get(`${EP}/${ep.id}`, { headers: ADMIN })).status).toBe(404);
  });

  it("deleting the application deletes its endpoints", async () => {
    const app = await createApplication("Gone");
    const ep = await createEndpoint({ url: "https://example.com/a", app_id: app.app_id });
    expect((await api.delete(`/applications/${app.app_id}`, { headers: ADMIN })).status).toBe(204);
    expect((await api.get(`${EP}/${ep.id}`, { headers: ADMIN })).status).toBe(404);
  });

  it("never stores the signing secret in the clear", async () => {
    const ep = await createEndpoint({ url: "https://example.com/sealed" });
    const row = await env.DB.prepare(`SELECT * FROM webhook_endpoints WHERE id = ?`).bind(ep.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(ep.secret.slice(6));
    expect(row!.secret_enc).toMatch(/^v1\./);
  });
});

describe("test event and secret rotation", () => {
  it("sends a signed test event, typed by the endpoint's filter", async () => {
    const name = receiverName("test-event");
    const ep = await createEndpoint({ url: receiverUrl(name), filter_types: ["sleep.created"] });
    const res = await api.post(`${EP}/${ep.id}/test`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ message: "Test event sent successfully.", message_id: expect.stringMatching(/^msg_test_/) });
    const [got] = await waitFor(() => received(name), (l) => l.length === 1, 10_000, "test event");
    const payload = new Webhook(ep.secret).verify(got!.body, got!.headers as any) as any;
    expect(payload.type).toBe("sleep.created");
    expect(got!.headers["webhook-id"]).toBe(res.json.message_id);
    await waitFor(() => attempts(ep.id), (a) => a.data[0]?.statusText === "success", 5000, "log");
  });

  it("signs with the old and the new secret during the grace period, then only the new one", async () => {
    const name = receiverName("rotate");
    const ep = await createEndpoint({ url: receiverUrl(name) });
    const rotated = await api.post(`${EP}/${ep.id}/rotate-secret`, { headers: ADMIN, body: { grace_seconds: 3600 } });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(ep.secret);
    expect(rotated.json.previous_secret_expires_at).not.toBeNull();

    await api.post(`${EP}/${ep.id}/test`, { headers: ADMIN });
    const [during] = await waitFor(() => received(name), (l) => l.length === 1, 10_000, "during grace");
    expect(during!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    new Webhook(ep.secret).verify(during!.body, during!.headers as any); // a receiver not yet updated
    new Webhook(rotated.json.secret).verify(during!.body, during!.headers as any); // an updated receiver

    // No grace: the old secret stops at once (an emergency rotation after a leak).
    const again = await api.post(`${EP}/${ep.id}/rotate-secret`, { headers: ADMIN, body: { grace_seconds: 0 } });
    await api.post(`${EP}/${ep.id}/test`, { headers: ADMIN });
    const log = await waitFor(() => received(name), (l) => l.length === 2, 10_000, "after rotation");
    const after = log[1]!;
    expect(after.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    new Webhook(again.json.secret).verify(after.body, after.headers as any);
    expect(() => new Webhook(rotated.json.secret).verify(after.body, after.headers as any)).toThrow();
  });
});

describe("retention", () => {
  it("prunes payloads after 15 days and log rows after 30", async () => {
    const { pruneStatements } = await import("../../src/webhooks/deliveries");
    const ep = await createEndpoint({ url: "https://example.com/retention" });
    const now = Date.now();
    const day = 86_400_000;
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO webhook_payloads (event_id, body, created_at) VALUES ('old', '{}', ?), ('new', '{}', ?)`).bind(now - 16 * day, now - day),
      env.DB.prepare(`INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, status, created_at) VALUES (?, 'old', 't', 'success', ?), (?, 'new', 't', 'success', ?)`)
        .bind(ep.id, now - 31 * day, ep.id, now - day),
    ]);
    await env.DB.batch(pruneStatements(env.DB, now));
    expect((await env.DB.prepare(`SELECT event_id FROM webhook_payloads`).all()).results).toEqual([{ event_id: "new" }]);
    expect((await env.DB.prepare(`SELECT event_id FROM webhook_deliveries WHERE endpoint_id = ?`).bind(ep.id).all()).results).toEqual([{ event_id: "new" }]);
  });
});
