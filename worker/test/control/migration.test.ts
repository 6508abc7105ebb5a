import { applyD1Migrations, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { sha256Hex } from "../../src/auth/secrets";
import { iosBatch } from "../ingest/fixtures";
import { fetchApp } from "../setup/harness";

/**
 * An existing deployment upgrades with migration 0004 and loses nothing: its keys, app secrets, refresh tokens and
 * invitation codes keep working in the default organization. The database is seeded as the previous release wrote
 * it (only hashes), then migrated, then driven through the Worker.
 */

const app = createApp();
const db = env.MIGRATION_DB;
const upgraded = { ...env, DB: db };
const now = Date.now();

const KEY = "sk-0123456789abcdef0123456789abcdef";
const APP_ID = "app_0123456789abcdef0123456789abcdef";
const APP_SECRET = "secret_" + "ab".repeat(32);
const USER = "0b9c4a34-5a0e-4c53-9d2e-6f1d2a3b4c5d";
const OTHER_USER = "1c9c4a34-5a0e-4c53-9d2e-6f1d2a3b4c5d";
const REFRESH = "rt-" + "cd".repeat(16);
const CODE = "K7MPQ2XA";

const send = (method: string, path: string, init?: { headers?: Record<string, string>; body?: unknown }) =>
  fetchApp(app, upgraded, method, path, init);

beforeAll(async () => {
  const before = env.TEST_MIGRATIONS.filter((m) => m.name < "0004");
  expect(before.length).toBe(3);
  await applyD1Migrations(db, before);
  // What the previous release stored for one customer (only hashes of secrets, keys, tokens and codes).
  await db.batch([
    db.prepare(`INSERT INTO applications (id, app_id, name, secret_hash, created_at) VALUES (?, ?, 'Legacy app', ?, ?)`)
      .bind("a0000000-0000-4000-8000-000000000001", APP_ID, await sha256Hex(APP_SECRET), now - 86_400_000),
    db.prepare(`INSERT INTO api_keys (id, key_hash, key_prefix, name, created_at) VALUES ('key_legacy', ?, 'sk-0123', 'backend', ?)`)
      .bind(await sha256Hex(KEY), now - 86_400_000),
    db.prepare(`INSERT INTO users (id, email, external_user_id, created_at, last_synced_at, last_synced_provider) VALUES (?, 'pat@acme.io', 'ext-42', ?, ?, 'apple')`)
      .bind(USER, now - 86_400_000, now - 3_600_000),
    db.prepare(`INSERT INTO users (id, external_user_id, created_at) VALUES (?, 'ext-43', ?)`).bind(OTHER_USER, now - 86_400_000),
    db.prepare(`INSERT INTO refresh_families (id, user_id, application_id, app_claim, created_at, absolute_expires_at) VALUES ('fam-1', ?, ?, ?, ?, ?)`)
      .bind(USER, "a0000000-0000-4000-8000-000000000001", APP_ID, now - 3_600_000, now + 300 * 86_400_000),
    db.prepare(`INSERT INTO refresh_tokens (token_hash, family_id, created_at, idle_expires_at) VALUES (?, 'fam-1', ?, ?)`)
      .bind(await sha256Hex(REFRESH), now - 3_600_000, now + 29 * 86_400_000),
    db.prepare(`INSERT INTO invitation_codes (id, code_hash, user_id, created_by, created_at, expires_at) VALUES ('code-1', ?, ?, 'admin', ?, ?)`)
      .bind(await sha256Hex(CODE), OTHER_USER, now - 60_000, now + 86_400_000),
  ]);
  await applyD1Migrations(db, env.TEST_MIGRATIONS);
});

describe("upgrading an existing deployment to organizations", () => {
  it("puts everything in the default organization and keeps external ids", async () => {
    for (const table of ["applications", "api_keys", "users", "invitation_codes"]) {
      const rows = (await db.prepare(`SELECT DISTINCT organization_id AS o FROM ${table}`).all<{ o: string }>()).results;
      expect(rows.map((r) => r.o), table).toEqual(["org_default"]);
    }
    const list = await send("GET", "/users?external_user_id=ext-42", { headers: { "X-Open-Wearables-API-Key": KEY } });
    expect(list.status).toBe(200);
    expect(list.json.items).toMatchObject([{ id: USER, external_user_id: "ext-42", email: "pat@acme.io", last_synced_provider: "apple" }]);
    // The reference's "same external id returns the existing user" still holds.
    const again = await send("POST", "/users", { headers: { "X-Open-Wearables-API-Key": KEY }, body: { external_user_id: "ext-42" } });
    expect(again.json.id).toBe(USER);
  });

  it("keeps the old API key and app secret working", async () => {
    expect((await send("GET", `/users/${USER}`, { headers: { "X-Open-Wearables-API-Key": KEY } })).status).toBe(200);
    const minted = await send("POST", `/users/${USER}/token`, { body: { app_id: APP_ID, app_secret: APP_SECRET } });
    expect(minted.status).toBe(200);
  });

  it("moves an old refresh token's session into the user's object on first use, keeping rotation rules", async () => {
    const first = await send("POST", "/token/refresh", { body: { refresh_token: REFRESH } });
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).toMatch(new RegExp(`^rt-${USER}\\.[0-9a-f]{32}$`));
    expect((await db.prepare(`SELECT moved_at FROM refresh_families WHERE id = 'fam-1'`).first<{ moved_at: number | null }>())!.moved_at).not.toBeNull();
    // A lost response: the old token again within the grace window gives the same successor.
    const replay = await send("POST", "/token/refresh", { body: { refresh_token: REFRESH } });
    expect(replay.json.refresh_token).toBe(first.json.refresh_token);
    const next = await send("POST", "/token/refresh", { body: { refresh_token: first.json.refresh_token } });
    expect(next.status).toBe(200);
    // Reuse of the old token after its successor was used still revokes the whole session.
    expect((await send("POST", "/token/refresh", { body: { refresh_token: REFRESH } })).status).toBe(401);
    expect((await send("POST", "/token/refresh", { body: { refresh_token: next.json.refresh_token } })).status).toBe(401);
  });

  it("redeems an old invitation code, and the phone then syncs without D1 knowing more", async () => {
    const redeemed = await send("POST", "/invitation-code/redeem", { body: { code: CODE } });
    expect(redeemed.status).toBe(200);
    expect(redeemed.json.user_id).toBe(OTHER_USER);
    const up = await send("POST", `/sdk/users/${OTHER_USER}/sync`, {
      headers: { Authorization: `Bearer ${redeemed.json.access_token}` }, body: iosBatch({ start: Date.UTC(2026, 9, 1), workouts: 1, sleepNights: 0 }),
    });
    expect(up.status).toBe(202);
    expect((await send("POST", "/token/refresh", { body: { refresh_token: redeemed.json.refresh_token } })).status).toBe(200);
  });
});
