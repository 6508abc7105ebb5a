import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { REFRESH_GRACE_MS } from "../../src/auth/refresh-policy";
import { sha256Hex } from "../../src/auth/secrets";
import { ADMIN, api, createUser, mintTokens, refresh, signedInUser } from "../setup/harness";

/** Runs SQL inside the user's Durable Object, where sessions live. */
async function userSql<T extends Record<string, SqlStorageValue>>(userId: string, query: string, ...args: unknown[]): Promise<T[]> {
  const stub = env.USER_DATA.get(env.USER_DATA.idFromName(userId));
  return runInDurableObject(stub, (_instance, state) => state.storage.sql.exec<T>(query, ...args).toArray());
}
const userOf = (token: string) => /^rt-([0-9a-f-]{36})\./.exec(token)![1]!;

/** Moves a token's rotation (and so its grace window) into the past. */
async function ageRotation(token: string, ms: number) {
  await userSql(userOf(token), `UPDATE session_tokens SET rotated_at = rotated_at - ? WHERE token_hash = ?`, ms, await sha256Hex(token));
}

describe("refresh-token rotation", () => {
  it("returns a new refresh token and a working access token on every refresh", async () => {
    const { tokens } = await signedInUser();
    const first = await refresh(tokens.refresh_token);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ token_type: "bearer", expires_in: 900 });
    // The token names its user, so a refresh goes straight to the user's object.
    expect(first.json.refresh_token).toMatch(/^rt-[0-9a-f-]{36}\.[0-9a-f]{32}$/);
    expect(first.json.refresh_token).not.toBe(tokens.refresh_token);
    const second = await refresh(first.json.refresh_token);
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(first.json.refresh_token);
  });

  it("stores refresh tokens only as hashes", async () => {
    const { user, tokens } = await signedInUser();
    const rotated = await refresh(tokens.refresh_token);
    const dump = JSON.stringify([
      ...(await userSql(user.id, `SELECT * FROM session_tokens`)), ...(await userSql(user.id, `SELECT * FROM session_families`)),
    ]);
    expect(dump).not.toContain(tokens.refresh_token);
    expect(dump).not.toContain(rotated.json.refresh_token);
    expect(dump).toContain(await sha256Hex(tokens.refresh_token));
  });

  it("gives the same successor when the just-rotated token is presented again within the grace window (lost response)", async () => {
    const { tokens } = await signedInUser();
    const lost = await refresh(tokens.refresh_token);
    const retry = await refresh(tokens.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.json.refresh_token).toBe(lost.json.refresh_token);
    // The session goes on from there.
    expect((await refresh(retry.json.refresh_token)).status).toBe(200);
  });

  it("revokes the whole family when a rotated token is presented after its successor was used", async () => {
    const { tokens } = await signedInUser();
    const successor = (await refresh(tokens.refresh_token)).json.refresh_token;
    const next = (await refresh(successor)).json.refresh_token; // successor used
    const replay = await refresh(tokens.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.json.detail).toMatch(/already used/);
    expect(replay.headers.get("WWW-Authenticate")).toBe("Bearer");
    // Every token of the family is dead now, including the newest.
    expect((await refresh(next)).status).toBe(401);
  });

  it("treats a rotated token presented after the grace window as reuse", async () => {
    const { tokens } = await signedInUser();
    const successor = (await refresh(tokens.refresh_token)).json.refresh_token;
    await ageRotation(tokens.refresh_token, REFRESH_GRACE_MS + 1_000);
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
    expect((await refresh(successor)).status).toBe(401);
  });

  it("yields exactly one successor for concurrent refreshes of one token", async () => {
    const { tokens } = await signedInUser();
    const results = await Promise.all(Array.from({ length: 8 }, () => refresh(tokens.refresh_token)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const successors = new Set(results.map((r) => r.json.refresh_token));
    expect(successors.size).toBe(1);
    const family = await userSql(userOf(tokens.refresh_token),
      `SELECT COUNT(*) AS n FROM session_tokens WHERE family_id = (SELECT family_id FROM session_tokens WHERE token_hash = ?)`,
      await sha256Hex(tokens.refresh_token));
    expect(family[0]!.n).toBe(2);
    expect((await refresh([...successors][0]!)).status).toBe(200);
  });

  it("expires a token left idle past its idle lifetime", async () => {
    const { tokens } = await signedInUser();
    await userSql(userOf(tokens.refresh_token), `UPDATE session_tokens SET idle_expires_at = ? WHERE token_hash = ?`,
      Date.now() - 1, await sha256Hex(tokens.refresh_token));
    const res = await refresh(tokens.refresh_token);
    expect(res.status).toBe(401);
    expect(res.json.detail).toMatch(/expired/);
  });

  it("expires a session past its absolute lifetime even when used every day", async () => {
    const { tokens } = await signedInUser();
    const fresh = (await refresh(tokens.refresh_token)).json.refresh_token;
    await userSql(userOf(fresh), `UPDATE session_families SET absolute_expires_at = ?`, Date.now() - 1);
    expect((await refresh(fresh)).status).toBe(401);
  });

  it("revokes the user's sessions when the user is deleted", async () => {
    const { user, tokens } = await signedInUser();
    expect((await api.delete(`/users/${user.id}`, { headers: ADMIN })).status).toBe(200);
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
    expect(await userSql(user.id, `SELECT * FROM session_families`)).toEqual([]);
  });

  it("revokes the application's sessions when its secret is rotated, leaving other apps' sessions alone", async () => {
    const { app, user, tokens } = await signedInUser();
    const other = await signedInUser();
    const rotated = await api.post(`/applications/${app.app_id}/rotate-secret`, { headers: ADMIN });
    expect(rotated.status).toBe(200);
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
    expect((await refresh(other.tokens.refresh_token)).status).toBe(200);
    // The new secret mints a working session again.
    const again = await mintTokens(user.id, { app_id: app.app_id, app_secret: rotated.json.app_secret });
    expect((await refresh(again.refresh_token)).status).toBe(200);
  });

  it("revokes through /token/revoke: 204, then the family is dead and a second revoke is 404", async () => {
    const { tokens } = await signedInUser();
    const successor = (await refresh(tokens.refresh_token)).json.refresh_token;
    expect((await api.post("/token/revoke", { body: { refresh_token: successor } })).status).toBe(204);
    expect((await refresh(successor)).status).toBe(401);
    const again = await api.post("/token/revoke", { body: { refresh_token: successor } });
    expect(again.status).toBe(404);
    expect(again.json).toEqual({ detail: "Refresh token not found" });
    expect((await api.post("/token/revoke", { body: { refresh_token: "rt-unknown" } })).status).toBe(404);
  });

  it("answers unknown tokens and bad bodies with 401 and 400", async () => {
    const unknown = await refresh("rt-00000000000000000000000000000000");
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({ detail: "Invalid or revoked refresh token" });
    expect((await api.post("/token/refresh", { body: {} })).status).toBe(400);
    expect((await api.post("/token/refresh", { body: { refresh_token: 42 } })).status).toBe(400);
    expect((await api.post("/token/refresh", { body: { refresh_token: "rt-x", extra: 1 } })).status).toBe(400);
  });

  it("answers a storage failure with 5xx, never 401, and the session survives it", async () => {
    const { user, tokens } = await signedInUser();
    await userSql(user.id, "ALTER TABLE session_tokens RENAME TO session_tokens_offline");
    try {
      const res = await refresh(tokens.refresh_token);
      expect(res.status).toBe(500);
      expect(res.json.detail).toMatch(/retry/);
    } finally {
      await userSql(user.id, "ALTER TABLE session_tokens_offline RENAME TO session_tokens");
    }
    expect((await refresh(tokens.refresh_token)).status).toBe(200);
  });
});

describe("minting", () => {
  it("mints from app credentials, 401 on a wrong secret, 404 for an unknown user, 400 without credentials", async () => {
    const { app, user } = await signedInUser();
    expect((await api.post(`/users/${user.id}/token`, { body: { app_id: app.app_id, app_secret: "secret_wrong" } })).json)
      .toEqual({ detail: "Invalid app credentials" });
    expect((await api.post(`/users/${user.id}/token`, { body: { app_id: "app_nope", app_secret: app.app_secret } })).status).toBe(401);
    const missing = await api.post(`/users/6c1f3f0e-0000-4000-8000-000000000000/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } });
    expect(missing.status).toBe(404);
    expect(missing.json.detail).toBe("User with ID: 6c1f3f0e-0000-4000-8000-000000000000 not found.");
    for (const body of [{}, { app_id: app.app_id }, { app_secret: app.app_secret }]) {
      expect((await api.post(`/users/${user.id}/token`, { body })).status).toBe(400);
    }
    expect((await api.post(`/users/${user.id}/token`)).status).toBe(400);
    expect((await api.post(`/users/not-a-uuid/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } })).status).toBe(400);
  });

  it("mints with the admin key (app_id claim 'admin') and stores the app secret only as a hash", async () => {
    const user = await createUser();
    const res = await api.post(`/users/${user.id}/token`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect((await api.post(`/users/${user.id}/token`, { headers: { "X-Open-Wearables-API-Key": "sk-wrong" } })).status).toBe(401);
    const app = (await api.post("/applications", { headers: ADMIN, body: { name: "x" } })).json;
    const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM applications`).all()).results);
    expect(dump).not.toContain(app.app_secret);
  });
});
