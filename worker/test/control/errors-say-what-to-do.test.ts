import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ADMIN, api, call, createApiKey, createApplication, createUser, fetchApp, signedInUser } from "../setup/harness";

/** The app with this test's real bindings changed (a secret removed, LOCAL_DEV set), as wrangler dev would run it. */
const callWith = (overrides: Record<string, unknown>, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  fetchApp(createApp(), { ...env, ...overrides } as Cloudflare.Env, method, path, { headers, body });

describe("errors that say what to do", () => {
  it("a Worker started without its secrets names them and the command that creates them", async () => {
    const res = await callWith({ ADMIN_API_KEY: undefined, JWT_PRIVATE_KEY: "" }, "GET", "/users", ADMIN);
    expect(res.status).toBe(503);
    expect(res.json.detail).toContain("ADMIN_API_KEY, JWT_PRIVATE_KEY");
    expect(res.json.detail).toContain("npm start");
    expect(res.json.detail).toContain("wrangler secret put");
  });

  it("a database without the migrations says to apply them (from a real D1 error)", async () => {
    const { missingMigrations } = await import("../../src/http/setup-errors");
    const error = await env.DB.prepare("SELECT * FROM table_from_a_future_migration").all().then(() => null, (e: Error) => e);
    expect(error).not.toBeNull();
    const mapped = missingMigrations(error!);
    expect(mapped?.status).toBe(503);
    expect(mapped?.message).toContain("npx wrangler d1 migrations apply DB --local");
    // Other database errors stay ordinary 500s.
    expect(missingMigrations(new Error("D1_ERROR: UNIQUE constraint failed: users.id"))).toBeNull();
  });

  it("unknown /api paths answer JSON 404 pointing at /api/v1; unknown /api/v1 paths keep the reference's body", async () => {
    const res = await call("GET", "/api/users");
    expect(res.status).toBe(404);
    expect(res.json.detail).toContain("/api/v1/users");
    expect((await call("GET", "/api")).json.detail).toContain("/api/v1");
    expect((await call("GET", "/api/v1/nothing-here")).json).toEqual({ detail: "Not Found" });
  });

  it("every 401/403 names the credential and the header expected", async () => {
    const user = await createUser();
    const key = await createApiKey();
    const customer = { "X-Open-Wearables-API-Key": key.id };
    const wrong = { "X-Open-Wearables-API-Key": "sk-wrong" };

    const admin = await api.get("/applications", { headers: customer });
    expect(admin.status).toBe(401);
    expect(admin.json.detail).toMatch(/admin key.*X-Open-Wearables-API-Key/);

    const none = await api.get("/users");
    expect(none.status).toBe(401);
    expect(none.json.detail).toMatch(/API key.*X-Open-Wearables-API-Key header/);
    const bad = await api.get("/users", { headers: wrong });
    expect(bad.status).toBe(401);
    expect(bad.json.detail).toMatch(/X-Open-Wearables-API-Key/);

    // Minting with a customer API key: say what minting needs.
    const mint = await api.post(`/users/${user.id}/token`, { headers: customer });
    expect(mint.status).toBe(401);
    expect(mint.json.detail).toMatch(/app_id.*app_secret/);
    const app = await createApplication();
    const badSecret = await api.post(`/users/${user.id}/token`, { body: { app_id: app.app_id, app_secret: "nope" } });
    expect(badSecret.status).toBe(401);
    expect(badSecret.json.detail).toMatch(/app_id and app_secret/);

    const sync = `/sdk/users/${user.id}/sync`;
    const anonymous = await api.post(sync, { body: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.detail).toMatch(/Authorization: Bearer.*X-Open-Wearables-API-Key/);
    const expired = await api.post(sync, { headers: { Authorization: "Bearer a.b.c" }, body: {} });
    expect(expired.status).toBe(401);
    expect(expired.json.detail).toMatch(/Authorization: Bearer.*token\/refresh/);

    const other = await signedInUser();
    const cross = await api.post(sync, { headers: { Authorization: `Bearer ${other.tokens.access_token}` }, body: {} });
    expect(cross.status).toBe(403);
    expect(cross.json.detail).toMatch(/its own user/);

    const refresh = await api.post("/token/refresh", { body: { refresh_token: "rt-unknown" } });
    expect(refresh.status).toBe(401);
    expect(refresh.json.detail).toMatch(/refresh_token in the body/);
  });
});

describe("local development never locks the developer out", () => {
  const wrongCode = (ip: string, vars: Record<string, unknown>) =>
    callWith(vars, "POST", "/invitation-code/redeem", { "CF-Connecting-IP": ip }, { code: "AAAAAAAA" });

  it("with LOCAL_DEV, loopback clients get 100× the redeem budget; other clients and production keep 10", async () => {
    for (let i = 0; i < 12; i++) expect((await wrongCode("127.0.0.2", { LOCAL_DEV: "true" })).status).toBe(404);
    // LOCAL_DEV unset explicitly: vitest also reads the developer's .dev.vars, where npm start sets it.
    for (let i = 0; i < 10; i++) expect((await wrongCode("::1", { LOCAL_DEV: undefined })).status).toBe(404);
    expect((await wrongCode("::1", { LOCAL_DEV: undefined })).status).toBe(429);
    for (let i = 0; i < 10; i++) expect((await wrongCode("203.0.113.9", { LOCAL_DEV: "true" })).status).toBe(404);
    expect((await wrongCode("203.0.113.9", { LOCAL_DEV: "true" })).status).toBe(429);
  });
});

describe("invitation codes", () => {
  it("the create response carries the onboarding url on the Worker's origin", async () => {
    const user = await createUser();
    const res = await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN });
    expect(res.status).toBe(201);
    expect(res.json.url).toBe(`https://api.test/connect#${res.json.code}`); // the code in the fragment, never sent to a server
  });
});
