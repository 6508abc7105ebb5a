import { describe, expect, it } from "vitest";
import { ADMIN, api, createApiKey, createUser, rowCount } from "../setup/harness";

describe("users", () => {
  it("creates with an API key and reads back the reference's shape", async () => {
    const key = await createApiKey();
    const res = await api.post("/users", {
      headers: { "X-Open-Wearables-API-Key": key.id },
      body: { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", external_user_id: "ext-1" },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual([
      "created_at", "email", "external_user_id", "first_name", "has_active_connection", "id", "last_name",
      "last_synced_at", "last_synced_provider",
    ]);
    expect(res.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const got = await api.get(`/users/${res.json.id}`, { headers: { "X-Open-Wearables-API-Key": key.id } });
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
    expect((await api.post("/users", { headers: ADMIN, body: {} })).status).toBe(201);
  });

  it("409 on a duplicate email; a duplicate external_user_id returns the existing user", async () => {
    const a = await createUser({ email: "dup@example.com", external_user_id: "same" });
    const dupEmail = await api.post("/users", { headers: ADMIN, body: { email: "dup@example.com" } });
    expect(dupEmail.status).toBe(409);
    expect(dupEmail.json).toEqual({ detail: "User with this email already exists." });
    const dupExt = await api.post("/users", { headers: ADMIN, body: { external_user_id: "same" } });
    expect(dupExt.status).toBe(201);
    expect(dupExt.json.id).toBe(a.id);
  });

  it("rejects bad bodies with 400 and stores nothing", async () => {
    const before = await rowCount("users");
    for (const body of [
      { email: "not-an-email" }, { email: "a@b.local" }, { first_name: "x".repeat(101) }, { first_name: 3 },
      { nickname: "unknown field" }, "just a string",
    ]) {
      const res = await api.post("/users", { headers: ADMIN, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.detail).toBeTypeOf("string");
    }
    expect(await rowCount("users")).toBe(before);
  });

  it("404 with the reference's message; 400 for a bad UUID only once authenticated", async () => {
    const missing = await api.get("/users/6c1f3f0e-0000-4000-8000-000000000000", { headers: ADMIN });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ detail: "User with ID: 6c1f3f0e-0000-4000-8000-000000000000 not found." });
    expect((await api.get("/users/not-a-uuid")).status).toBe(401);
    const bad = await api.get("/users/not-a-uuid", { headers: ADMIN });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/UUID/);
  });

  it("patches with the admin key only; null leaves a field as it is; a taken external id is 409", async () => {
    const key = await createApiKey();
    const u = await createUser({ first_name: "Old", email: "patch@example.com" });
    await createUser({ email: "taken@example.com", external_user_id: "taken" });
    expect((await api.patch(`/users/${u.id}`, { headers: { "X-Open-Wearables-API-Key": key.id }, body: { first_name: "X" } })).status).toBe(401);
    const res = await api.patch(`/users/${u.id}`, { headers: ADMIN, body: { first_name: "New", email: null } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ first_name: "New", email: "patch@example.com" });
    expect((await api.patch(`/users/${u.id}`, { headers: ADMIN, body: {} })).json.first_name).toBe("New");
    // Another user's e-mail is accepted, as in the reference.
    const shared = await api.patch(`/users/${u.id}`, { headers: ADMIN, body: { email: "taken@example.com" } });
    expect(shared.status).toBe(200);
    expect(shared.json.email).toBe("taken@example.com");
    expect((await api.patch(`/users/${u.id}`, { headers: ADMIN, body: { external_user_id: "taken" } })).status).toBe(409);
    expect((await api.patch(`/users/${u.id}`, { headers: ADMIN, body: { shoe_size: 44 } })).status).toBe(400);
    expect((await api.patch(`/users/6c1f3f0e-0000-4000-8000-000000000000`, { headers: ADMIN, body: {} })).status).toBe(404);
  });

  it("deletes with the admin key only, returning the deleted user, and cascades to codes and sessions", async () => {
    const key = await createApiKey();
    const u = await createUser();
    await api.post(`/users/${u.id}/invitation-code`, { headers: ADMIN });
    await api.post(`/users/${u.id}/token`, { headers: ADMIN });
    expect((await api.delete(`/users/${u.id}`, { headers: { "X-Open-Wearables-API-Key": key.id } })).status).toBe(401);
    const res = await api.delete(`/users/${u.id}`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(u.id);
    expect((await api.get(`/users/${u.id}`, { headers: ADMIN })).status).toBe(404);
    expect(await rowCount("invitation_codes", "user_id = ?", u.id)).toBe(0);
    expect(await rowCount("refresh_families", "user_id = ?", u.id)).toBe(0);
    expect((await api.delete(`/users/${u.id}`, { headers: ADMIN })).status).toBe(404);
  });

  it("lists with pagination, sorting, search and exact filters", async () => {
    const tag = `list${Date.now()}`;
    const made = [];
    for (const [first, email] of [["Zed", "zed"], ["Amy", "amy"], ["Bob_x", "bob"]] as const) {
      made.push(await createUser({ first_name: first, email: `${email}.${tag}@example.com`, external_user_id: `${tag}-${email}` }));
    }
    const page1 = await api.get(`/users?search=${tag}&limit=2&sort_by=first_name&sort_order=asc`, { headers: ADMIN });
    expect(page1.status).toBe(200);
    expect(page1.json).toMatchObject({ total: 3, page: 1, limit: 2, pages: 2, has_next: true, has_prev: false });
    expect(page1.json.items.map((u: { first_name: string }) => u.first_name)).toEqual(["Amy", "Bob_x"]);
    const page2 = await api.get(`/users?search=${tag}&limit=2&page=2&sort_by=first_name&sort_order=asc`, { headers: ADMIN });
    expect(page2.json.items.map((u: { first_name: string }) => u.first_name)).toEqual(["Zed"]);
    expect(page2.json).toMatchObject({ has_next: false, has_prev: true });
    // `_` in a search is literal, not a wildcard.
    expect((await api.get(`/users?search=b_x`, { headers: ADMIN })).json.total).toBe(1);
    expect((await api.get(`/users?search=b%25`, { headers: ADMIN })).json.total).toBe(0);
    expect((await api.get(`/users?email=amy.${tag}@example.com`, { headers: ADMIN })).json.items[0].id).toBe(made[1]!.id);
    expect((await api.get(`/users?external_user_id=${tag}-zed`, { headers: ADMIN })).json.items[0].id).toBe(made[0]!.id);
    for (const q of ["limit=0", "limit=101", "page=0", "sort_by=password", "sort_order=up", "email=nope", "bogus=1"]) {
      const res = await api.get(`/users?${q}`, { headers: ADMIN });
      expect(res.status, q).toBe(400);
    }
    expect((await api.get("/users")).status).toBe(401);
  });
});
