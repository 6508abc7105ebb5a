import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createUser, refresh, rowCount, signedInUser } from "../setup/harness";
import { upload } from "../sync/sync-helpers";
import { iosBatch } from "../ingest/fixtures";
import { ownerOf } from "./console-helpers";

const DAY = 86_400_000;

describe("console data, scoped to the member's organization", () => {
  it("overview, users, a user's charts and sync runs come from real uploads", async () => {
    const owner = await ownerOf();
    const { user, tokens } = await signedInUser();
    await env.DB.prepare(`UPDATE users SET email = 'ada@example.org' WHERE id = ?`).bind(user.id).run();
    const start = Math.floor((Date.now() - 2 * DAY) / DAY) * DAY;
    const batch = iosBatch({ start, records: 120, workouts: 1, sleepNights: 1 });
    expect((await upload(user.id, tokens, batch)).status).toBe(202);
    await createUser({ email: "idle@example.org" });

    const list = await owner.call("GET", "/console/users?search=ADA");
    expect(list.status).toBe(200);
    expect(list.json.total).toBe(1);
    const row = list.json.items[0];
    expect(row).toMatchObject({ id: user.id, email: "ada@example.org", providers: ["apple"], stuck: false });
    expect(row.total_records).toBeGreaterThan(100);
    expect(row.last_sync_at).not.toBeNull();
    expect((await owner.call("GET", "/console/users?search=%25")).json.total).toBe(0); // literal %, not a wildcard

    const detail = await owner.call("GET", `/console/users/${user.id}`);
    expect(detail.json.data_sources.length).toBeGreaterThan(0);

    const day = new Date(start).toISOString().slice(0, 10);
    const raw = await owner.call("GET", `/console/users/${user.id}/heart-rate?day=${day}&resolution=raw`);
    expect(raw.status).toBe(200);
    expect(raw.json.t.length).toBeGreaterThan(0);
    expect(raw.json.t.length).toBe(raw.json.v.length);
    expect(raw.json.min).toBeUndefined();
    const minute = await owner.call("GET", `/console/users/${user.id}/heart-rate?day=${day}`);
    expect(minute.json.resolution).toBe("1min");
    expect(minute.json.min.length).toBe(minute.json.t.length);
    expect(minute.json.t.every((t: number) => t % 60 === 0)).toBe(true);
    expect((await owner.call("GET", `/console/users/${user.id}/heart-rate?day=2026-13-40`)).status).toBe(400);

    const runs = await owner.call("GET", `/console/users/${user.id}/sync-runs`);
    expect(runs.json.runs).toHaveLength(1);
    const sleep = await owner.call("GET", `/console/users/${user.id}/sleep?days=7`);
    expect(sleep.json.nights[0].sleep_stage_intervals.length).toBeGreaterThan(0);
    const workouts = await owner.call("GET", `/console/users/${user.id}/workouts?days=7`);
    expect(workouts.json.workouts).toHaveLength(1);
    const steps = await owner.call("GET", `/console/users/${user.id}/steps?days=7`);
    // Same daily figures (one preferred source per day) as the read API's activity summaries.
    expect(steps.json.days).toEqual([{ date: new Date(start).toISOString().slice(0, 10), steps: expect.any(Number) }]);

    const overview = await owner.call("GET", "/console/overview");
    expect(overview.json).toMatchObject({ users_total: 2, connected_users: 1, active_24h: 1, stuck_clients: [], failing_webhooks: [] });
    const today = overview.json.per_day.at(-1);
    expect(today.uploads).toBe(1);
    expect(today.records).toBeGreaterThan(100);
  });

  it("another organization's member sees none of it: lists are empty and every user route is a 404", async () => {
    const { user } = await signedInUser();
    const outsider = await ownerOf("org_outsider");
    expect((await outsider.call("GET", "/console/users")).json).toMatchObject({ total: 0, items: [] });
    expect((await outsider.call("GET", "/console/overview")).json).toMatchObject({ users_total: 0, connected_users: 0 });
    for (const path of ["", "/heart-rate?day=2026-01-01", "/steps", "/sleep", "/workouts", "/sync-runs", "/weight"]) {
      expect((await outsider.call("GET", `/console/users/${user.id}${path}`)).status).toBe(404);
    }
    expect((await outsider.call("POST", `/console/users/${user.id}/onboarding-link`, {})).status).toBe(404);
    expect((await outsider.call("DELETE", `/console/users/${user.id}`, { confirm: user.id })).status).toBe(404);
    expect(await rowCount("users", "id = ?", user.id)).toBe(1);
  });

  it("users are paged, newest first, with the total", async () => {
    const owner = await ownerOf("org_paging");
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.post("/users", { headers: { ...ADMIN, "X-Open-Wearables-Organization": "org_paging" }, body: { email: `p${i}@example.org` } });
      ids.push(res.json.id as string);
    }
    const p1 = await owner.call("GET", "/console/users?limit=2");
    expect(p1.json).toMatchObject({ total: 3, page: 1, pages: 2 });
    const p2 = await owner.call("GET", "/console/users?limit=2&page=2");
    expect([...p1.json.items, ...p2.json.items].map((u: { id: string }) => u.id).sort()).toEqual([...ids].sort());
    expect((await owner.call("GET", "/console/users?page=0")).status).toBe(400);
  });

  it("revoking a user's sessions signs their phone out (refresh refused)", async () => {
    const owner = await ownerOf();
    const { user, tokens } = await signedInUser();
    const res = await owner.call("POST", `/console/users/${user.id}/revoke-sessions`, {});
    expect(res.status).toBe(200);
    expect(res.json.revoked_sessions).toBe(1);
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
    const outsider = await ownerOf("org_outsider_2");
    expect((await outsider.call("POST", `/console/users/${user.id}/revoke-sessions`, {})).status).toBe(404);
  });

  it("an onboarding link for a user; deleting needs the typed confirmation", async () => {
    const owner = await ownerOf();
    const user = await createUser({ email: "bye@example.org" });
    const link = await owner.call("POST", `/console/users/${user.id}/onboarding-link`, {});
    expect(link.status).toBe(201);
    expect(link.json.url).toBe(`https://api.test/connect?code=${link.json.code}`);
    expect((await owner.call("DELETE", `/console/users/${user.id}`, { confirm: "bye@example.com" })).status).toBe(400);
    expect(await rowCount("users", "id = ?", user.id)).toBe(1);
    expect((await owner.call("DELETE", `/console/users/${user.id}`, { confirm: "bye@example.org" })).status).toBe(204);
    expect(await rowCount("users", "id = ?", user.id)).toBe(0);
  });
});
