import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/auth/secrets";
import { verifyAccessToken } from "../../src/auth/access-tokens";
import { keyConfig } from "../../src/auth/middleware";
import { ADMIN, api, createApiKey, createApplication, createUser, refresh } from "../setup/harness";

let ip = 0;
/** Each test redeems from its own client address so the per-client limit does not leak between tests. */
const client = () => ({ "CF-Connecting-IP": `198.51.100.${++ip}` });
const redeem = (code: unknown, headers = client()) => api.post("/invitation-code/redeem", { headers, body: { code } });

describe("invitation codes", () => {
  it("creates an 8-character code from the unambiguous alphabet, redeemable once for a working session", async () => {
    const user = await createUser();
    const created = await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN });
    expect(created.status).toBe(201);
    expect(created.json.code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    expect(created.json.user_id).toBe(user.id);
    expect(Date.parse(created.json.expires_at) - Date.parse(created.json.created_at)).toBe(7 * 24 * 3600_000);

    const first = await redeem(created.json.code);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ token_type: "bearer", user_id: user.id, expires_in: 900 });
    expect(await verifyAccessToken(keyConfig(env), first.json.access_token)).toEqual({ userId: user.id, appId: "invite:admin" });
    expect((await refresh(first.json.refresh_token)).status).toBe(200);

    const second = await redeem(created.json.code);
    expect(second.status).toBe(404);
    expect(second.json).toEqual({ detail: "Invalid or expired invitation code" });
    // Stored only as a hash.
    const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM invitation_codes`).all()).results);
    expect(dump).not.toContain(created.json.code);
  });

  it("accepts lower case, spaces and dashes as typed", async () => {
    const user = await createUser();
    const { code } = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN })).json;
    const typed = `${code.slice(0, 4).toLowerCase()} - ${code.slice(4)}`;
    expect((await redeem(typed)).status).toBe(200);
  });

  it("can be created by a customer backend with its own API key, bound to an application", async () => {
    const key = await createApiKey();
    const app = await createApplication();
    const user = await createUser();
    const created = await api.post(`/users/${user.id}/invitation-code`, {
      headers: { "X-Open-Wearables-API-Key": key.id }, body: { app_id: app.app_id },
    });
    expect(created.status).toBe(201);
    const redeemed = await redeem(created.json.code);
    expect(await verifyAccessToken(keyConfig(env), redeemed.json.access_token)).toMatchObject({ appId: `invite:${app.app_id}` });
    expect((await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN, body: { app_id: "app_nope" } })).status).toBe(404);
  });

  it("a new code revokes the user's older ones", async () => {
    const user = await createUser();
    const older = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN })).json.code;
    const newer = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN })).json.code;
    expect((await redeem(older)).status).toBe(404);
    expect((await redeem(newer)).status).toBe(200);
  });

  it("expires", async () => {
    const user = await createUser();
    const { code } = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN })).json;
    await env.DB.prepare(`UPDATE invitation_codes SET expires_at = ? WHERE code_hash = ?`).bind(Date.now() - 1, await sha256Hex(code)).run();
    expect((await redeem(code)).status).toBe(404);
  });

  it("only one of two concurrent redeems of one code succeeds", async () => {
    const user = await createUser();
    const { code } = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN })).json;
    const results = await Promise.all([redeem(code), redeem(code), redeem(code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404]);
  });

  it("rate-limits redeem attempts per client (429 with Retry-After) without affecting other clients", async () => {
    const attacker = client();
    for (let i = 0; i < 10; i++) expect((await redeem("AAAAAAAA", attacker)).status).toBe(404);
    const blocked = await redeem("AAAAAAAA", attacker);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(blocked.json.detail).toMatch(/Too many attempts/);
    // Even a valid code is refused to that client while it is blocked; another client redeems it.
    const user = await createUser();
    const { code } = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN })).json;
    expect((await redeem(code, attacker)).status).toBe(429);
    expect((await redeem(code)).status).toBe(200);
  });

  it("validates input: 400 for malformed codes, 401 without credentials, 404 for an unknown user", async () => {
    for (const code of ["SHORT", "AAAAAAAAA", "AAAAAAA0", "AAAAAAA1", 12345678, ""]) {
      const res = await redeem(code);
      expect(res.status, String(code)).toBe(400);
      expect(res.json.detail).toBeTypeOf("string");
    }
    expect((await api.post("/invitation-code/redeem", { headers: client(), body: {} })).status).toBe(400);
    const user = await createUser();
    expect((await api.post(`/users/${user.id}/invitation-code`)).status).toBe(401);
    expect((await api.post(`/users/6c1f3f0e-0000-4000-8000-000000000000/invitation-code`, { headers: ADMIN })).status).toBe(404);
    expect((await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN, body: { extra: 1 } })).status).toBe(400);
  });
});
