import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createApiKey } from "../setup/harness";

const asKey = (key: string) => ({ "X-Open-Wearables-API-Key": key });

describe("API keys", () => {
  it("creates a key shown once, which then authorises customer-backend endpoints", async () => {
    const created = await api.post("/developer/api-keys", { headers: ADMIN, body: { name: "backend" } });
    expect(created.status).toBe(201);
    expect(created.json.id).toMatch(/^sk-[0-9a-f]{32}$/);
    expect(created.json).toMatchObject({ name: "backend", key_id: expect.stringMatching(/^key_/), created_by: null });
    expect((await api.get("/users", { headers: asKey(created.json.id) })).status).toBe(200);
    // Stored only as a hash.
    const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM api_keys`).all()).results);
    expect(dump).not.toContain(created.json.id);
  });

  it("defaults the name, lists without secrets, renames, and deletes by handle or by key", async () => {
    const noBody = await api.post("/developer/api-keys", { headers: ADMIN });
    expect(noBody.status).toBe(201);
    expect(noBody.json.name).toBe("Default");
    const key = await createApiKey("to-rename");

    const list = await api.get("/developer/api-keys", { headers: ADMIN });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toContain(key.id);
    const listed = list.json.find((k: { key_id: string }) => k.key_id === key.key_id);
    expect(listed).toMatchObject({ id: key.key_id, key_prefix: key.id.slice(0, 7), name: "to-rename" });

    const renamed = await api.patch(`/developer/api-keys/${key.key_id}`, { headers: ADMIN, body: { name: "renamed" } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.name).toBe("renamed");
    expect((await api.patch(`/developer/api-keys/${key.key_id}`, { headers: ADMIN, body: {} })).json.name).toBe("renamed");
    expect((await api.patch(`/developer/api-keys/${key.key_id}`, { headers: ADMIN, body: { name: 3 } })).status).toBe(400);

    expect((await api.delete(`/developer/api-keys/${key.id}`, { headers: ADMIN })).status).toBe(200);
    expect((await api.get("/users", { headers: asKey(key.id) })).status).toBe(401);
    const gone = await api.delete(`/developer/api-keys/${key.key_id}`, { headers: ADMIN });
    expect(gone.status).toBe(404);
    expect(gone.json.detail).toBe(`Apikey with ID: ${key.key_id} not found.`);
  });

  it("rotates: the old key stops working at once, the new one works and keeps the name", async () => {
    const key = await createApiKey("rotating");
    const rotated = await api.post(`/developer/api-keys/${key.key_id}/rotate`, { headers: ADMIN });
    expect(rotated.status).toBe(201);
    expect(rotated.json.id).toMatch(/^sk-/);
    expect(rotated.json.id).not.toBe(key.id);
    expect(rotated.json).toMatchObject({ key_id: key.key_id, name: "rotating" });
    expect((await api.get("/users", { headers: asKey(key.id) })).status).toBe(401);
    expect((await api.get("/users", { headers: asKey(rotated.json.id) })).status).toBe(200);
  });

  it("is managed only with the admin key", async () => {
    const key = await createApiKey();
    expect((await api.get("/developer/api-keys", { headers: asKey(key.id) })).status).toBe(401);
    expect((await api.post("/developer/api-keys", { headers: asKey(key.id), body: {} })).status).toBe(401);
    expect((await api.delete(`/developer/api-keys/${key.key_id}`, { headers: asKey(key.id) })).status).toBe(401);
  });
});
