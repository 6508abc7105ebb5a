import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { ADMIN, api, call, mintTokens, refresh, rowCount } from "../setup/harness";
import { receiverName, receiverUrl } from "../webhooks/helpers";

/**
 * Erasure is final: deleting a user (or their organization) leaves nothing of theirs in their object but the
 * tombstone that refuses later uploads, and an upload racing the delete either lands before it (and is erased) or
 * is refused: never orphaned.
 */

const ORG = "X-Open-Wearables-Organization";
const START = Date.UTC(2026, 9, 1);
const TABLES = ["samples", "events", "sleep_stages", "sources", "sync_runs", "sdk_logs", "webhook_outbox", "session_families", "session_tokens"];

/** Rows per table in the user's object, and its state row. */
async function contents(userId: string) {
  const stub = env.USER_DATA.get(env.USER_DATA.idFromName(userId));
  return runInDurableObject(stub, (_i, state) => {
    const sql = state.storage.sql;
    const counts = Object.fromEntries(TABLES.map((t) => [t, sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`).one().n]));
    const st = sql.exec<{ deleted_at: number | null; organization_id: string }>(`SELECT deleted_at, organization_id FROM user_state`).toArray()[0];
    return { counts, deleted: st?.deleted_at != null };
  });
}
const empty = Object.fromEntries(TABLES.map((t) => [t, 0]));

const upload = (userId: string, token: string, day: number) =>
  call("POST", `/api/v1/sdk/users/${userId}/sync`, {
    headers: { Authorization: `Bearer ${token}` }, body: iosBatch({ start: START + day * 86_400_000, workouts: 1, sleepNights: 1 }),
  });

describe("deleting a user", () => {
  it("races uploads and logs many times: every upload is stored-then-erased or refused, the object holds nothing", async () => {
    const app = (await api.post("/applications", { headers: ADMIN, body: { name: "race" } })).json;
    const statuses = new Map<number, number>();
    for (let round = 0; round < 30; round++) {
      const user = (await api.post("/users", { headers: ADMIN, body: {} })).json;
      const tokens = await mintTokens(user.id, app);
      const logs = { sdkVersion: "0.6.0", events: [{ eventType: "device_state", timestamp: "2026-11-01T00:00:00Z" }] };
      // Uploads in flight while the delete arrives, started at staggered offsets (deliberate timing, to make the race).
      const at = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const uploads = [0, 3, 6, 12, 24].map((ms, d) => at(ms).then(() => upload(user.id, tokens.access_token, d + round)));
      const delay = at(round % 8);
      const [del] = await Promise.all([
        delay.then(() => api.delete(`/users/${user.id}`, { headers: ADMIN })),
        ...uploads,
        call("POST", `/api/v1/sdk/users/${user.id}/logs`, { headers: { Authorization: `Bearer ${tokens.access_token}` }, body: logs }),
      ]);
      expect(del.status).toBe(200);
      for (const res of await Promise.all(uploads)) {
        expect([202, 404]).toContain(res.status);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
      expect(await contents(user.id)).toEqual({ counts: empty, deleted: true });
      // Afterwards: refused, and the session is gone.
      expect((await upload(user.id, tokens.access_token, 40)).status).toBe(404);
      expect((await refresh(tokens.refresh_token)).status).toBe(401);
      expect(await contents(user.id)).toEqual({ counts: empty, deleted: true });
    }
    // Both sides of the race happened (uploads landing before the delete, and refused after it).
    expect(statuses.get(202) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(404) ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it("removes its codes and directory row; its invitation code no longer redeems", async () => {
    const user = (await api.post("/users", { headers: ADMIN, body: {} })).json;
    const code = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN })).json.code;
    expect((await api.delete(`/users/${user.id}`, { headers: ADMIN })).status).toBe(200);
    expect(await rowCount("invitation_codes", "user_id = ?", user.id)).toBe(0);
    expect(await rowCount("users", "id = ?", user.id)).toBe(0);
    expect((await api.post("/invitation-code/redeem", { body: { code } })).status).toBe(404);
    expect((await api.delete(`/users/${user.id}`, { headers: ADMIN })).status).toBe(404);
  });
});

describe("deleting an organization", () => {
  it("erases every user's object, and its keys, applications and sessions stop working", async () => {
    const org = (await api.post("/organizations", { headers: ADMIN, body: { name: "Doomed" } })).json;
    const admin = { ...ADMIN, [ORG]: org.id };
    const key = (await api.post("/developer/api-keys", { headers: admin, body: { name: "k" } })).json.id;
    const app = (await api.post("/applications", { headers: admin, body: { name: "a" } })).json;
    await api.post("/webhooks/endpoints", { headers: admin, body: { url: receiverUrl(receiverName("doomed")) } });
    const users: { id: string; tokens: { access_token: string; refresh_token: string } }[] = [];
    for (let i = 0; i < 3; i++) {
      const user = (await api.post("/users", { headers: { "X-Open-Wearables-API-Key": key }, body: {} })).json;
      const tokens = await mintTokens(user.id, app);
      expect((await upload(user.id, tokens.access_token, i)).status).toBe(202);
      users.push({ id: user.id, tokens });
    }
    const code = (await api.post(`/users/${users[0]!.id}/invitation-code`, { headers: { "X-Open-Wearables-API-Key": key } })).json.code;
    expect((await call("PUT", "/api/v1/priorities/providers", { headers: admin, body: { priorities: [{ provider: "google", priority: 1 }] } })).status).toBeLessThan(300);

    expect((await api.delete(`/organizations/${org.id}`, { headers: ADMIN })).status).toBe(204);

    for (const u of users) {
      expect(await contents(u.id)).toEqual({ counts: empty, deleted: true });
      expect((await refresh(u.tokens.refresh_token)).status).toBe(401);
      expect((await upload(u.id, u.tokens.access_token, 9)).status).toBe(404);
    }
    expect((await api.get("/users", { headers: { "X-Open-Wearables-API-Key": key } })).status).toBe(401);
    expect((await api.post(`/users/${users[0]!.id}/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } })).status).toBe(401);
    expect((await api.post("/invitation-code/redeem", { body: { code } })).status).toBe(404);
    expect((await api.get("/users", { headers: admin })).status).toBe(404);
    for (const table of ["users", "applications", "api_keys", "invitation_codes", "webhook_endpoints", "provider_priorities", "device_type_priorities"]) {
      expect(await rowCount(table, "organization_id = ?", org.id), table).toBe(0);
    }
    expect(await rowCount("organizations", "id = ?", org.id)).toBe(0);
    expect((await api.delete(`/organizations/${org.id}`, { headers: ADMIN })).status).toBe(404);
  });
});

describe("bulk revocation without visiting users", () => {
  it("deleting an application ends its sessions at their next refresh; other apps' sessions go on", async () => {
    const [a, b] = [(await api.post("/applications", { headers: ADMIN, body: { name: "a" } })).json, (await api.post("/applications", { headers: ADMIN, body: { name: "b" } })).json];
    const user = (await api.post("/users", { headers: ADMIN, body: {} })).json;
    const [ta, tb] = [await mintTokens(user.id, a), await mintTokens(user.id, b)];
    expect((await api.delete(`/applications/${a.app_id}`, { headers: ADMIN })).status).toBe(204);
    expect((await refresh(ta.refresh_token)).status).toBe(401);
    expect((await refresh(tb.refresh_token)).status).toBe(200);
  });

  it("rotating the secret ends sessions of codes bound to the app too", async () => {
    const app = (await api.post("/applications", { headers: ADMIN, body: { name: "bound" } })).json;
    const user = (await api.post("/users", { headers: ADMIN, body: {} })).json;
    const code = (await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN, body: { app_id: app.app_id } })).json.code;
    const redeemed = (await api.post("/invitation-code/redeem", { body: { code } })).json;
    expect((await api.post(`/applications/${app.app_id}/rotate-secret`, { headers: ADMIN })).status).toBe(200);
    expect((await refresh(redeemed.refresh_token)).status).toBe(401);
  });
});
