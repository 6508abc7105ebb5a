import { describe, expect, it } from "vitest";
import { ADMIN, api, createApiKey, createApplication, createUser, mintTokens } from "../setup/harness";

describe("applications", () => {
  it("creates (secret shown once), lists newest first without secrets, and deletes", async () => {
    const a = await createApplication("First");
    const b = await createApplication("Second");
    expect(a.app_id).toMatch(/^app_[0-9a-f]{32}$/);
    expect(a.app_secret).toMatch(/^secret_[0-9a-f]{64}$/);
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);

    const list = await api.get("/applications", { headers: ADMIN });
    expect(list.status).toBe(200);
    const ids = list.json.map((x: { app_id: string }) => x.app_id);
    expect(ids.indexOf(b.app_id)).toBeLessThan(ids.indexOf(a.app_id));
    expect(JSON.stringify(list.json)).not.toContain("secret");
    expect(Object.keys(list.json[0]).sort()).toEqual(["app_id", "created_at", "id", "name"]);

    expect((await api.delete(`/applications/${a.app_id}`, { headers: ADMIN })).status).toBe(204);
    const again = await api.delete(`/applications/${a.app_id}`, { headers: ADMIN });
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ detail: "Application not found" });
  });

  it("rotate-secret: the old secret stops working at once, the new one works", async () => {
    const app = await createApplication();
    const user = await createUser();
    const rotated = await api.post(`/applications/${app.app_id}/rotate-secret`, { headers: ADMIN });
    expect(rotated.status).toBe(200);
    expect(rotated.json.app_id).toBe(app.app_id);
    expect(rotated.json.app_secret).not.toBe(app.app_secret);
    const old = await api.post(`/users/${user.id}/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } });
    expect(old.status).toBe(401);
    await mintTokens(user.id, { app_id: app.app_id, app_secret: rotated.json.app_secret });
    expect((await api.post(`/applications/app_missing/rotate-secret`, { headers: ADMIN })).status).toBe(404);
  });

  it("requires the admin key: none, a customer API key or a wrong key are 401, before any validation", async () => {
    const key = await createApiKey();
    for (const headers of <Record<string, string>[]>[{}, { "X-Open-Wearables-API-Key": key.id }, { "X-Open-Wearables-API-Key": "nope" }]) {
      const res = await api.post("/applications", { headers, body: { name: 12 } });
      expect(res.status).toBe(401);
      expect(res.json.detail).toBeTypeOf("string");
    }
    expect((await api.get("/applications", { headers: { "X-Open-Wearables-API-Key": key.id } })).status).toBe(401);
  });

  it("rejects bad bodies with 400 and writes nothing", async () => {
    const before = (await api.get("/applications", { headers: ADMIN })).json.length;
    for (const body of [{}, { name: 5 }, { name: "x".repeat(101) }, { name: "ok", extra: true }, []]) {
      const res = await api.post("/applications", { headers: ADMIN, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.detail).toBeTypeOf("string");
    }
    expect((await api.get("/applications", { headers: ADMIN })).json.length).toBe(before);
  });
});
