import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { HttpError } from "../http/errors";
import { parseWith, readBody } from "../console/body";
import { requireMember } from "../console/middleware";
import { organizationOverview } from "../console/overview";
import { findOrgUser, searchOrgUsers, toDirectoryRead, userActivity } from "../console/directory";
import { seriesColumns } from "../console/charts";
import { userDataStub } from "../data/user-directory";
import { deleteUser } from "../control/users";
import { createInvitationCode } from "../control/invitation-codes";
import { loadPriorities } from "../control/priorities";
import { NEEDS_PRIORITIES } from "../data/summaries";
import { MAX_SOURCES_PER_USER } from "../ingest/limits";

/**
 * The console's reads and actions on the member's organization. Thin: each route checks that the user belongs to
 * the member's organization (else 404, like any cross-tenant id) and calls the same services the API uses.
 */

const DAY_MS = 86_400_000;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "day must be YYYY-MM-DD").refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "day must be a real date");
const UsersQuery = z.object({
  search: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
const HeartQuery = z.object({ day: Day, resolution: z.enum(["raw", "1min"]).default("1min") });
const RangeQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

const userOf = async (c: Parameters<typeof requireMember>[0]) => {
  const user = await findOrgUser(c.env.DB, c.get("member").orgId, c.req.param("id") ?? "");
  if (!user) throw new HttpError(404, "User not found");
  return user;
};
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
const today = () => new Date().toISOString().slice(0, 10);

export const consoleDataRoutes = new Hono<AppEnv>()
  .use("/console/overview", requireMember)
  .use("/console/users", requireMember)
  .use("/console/users/*", requireMember)
  .get("/console/overview", async (c) => c.json(await organizationOverview(c.env, c.get("member").orgId)))
  .get("/console/users", async (c) => {
    const q = parseWith(UsersQuery, c.req.query());
    const { total, users } = await searchOrgUsers(c.env.DB, c.get("member").orgId, q);
    const items = await Promise.all(users.map(async (u) => ({ ...toDirectoryRead(u), ...(await userActivity(c.env, u.id)) })));
    return c.json({ items, total, page: q.page, limit: q.limit, pages: Math.max(1, Math.ceil(total / q.limit)) });
  })
  .get("/console/users/:id", async (c) => {
    const user = await userOf(c);
    const store = userDataStub(c.env, user.id);
    const [activity, sources] = await Promise.all([userActivity(c.env, user.id), store.dataSources(user.id, { afterId: 0, limit: MAX_SOURCES_PER_USER })]);
    return c.json({ ...toDirectoryRead(user), ...activity, data_sources: sources.items });
  })
  .get("/console/users/:id/heart-rate", async (c) => {
    const user = await userOf(c);
    const q = parseWith(HeartQuery, c.req.query());
    const start = dayStart(q.day);
    return c.json({ day: q.day, resolution: q.resolution, unit: "bpm", ...(await seriesColumns(c.env, user.id, "heart_rate", start, start + DAY_MS, q.resolution)) });
  })
  .get("/console/users/:id/weight", async (c) => {
    const user = await userOf(c);
    const { days } = parseWith(RangeQuery, c.req.query());
    const end = Date.now();
    return c.json({ unit: "kg", ...(await seriesColumns(c.env, user.id, "weight", end - days * DAY_MS, end)) });
  })
  .get("/console/users/:id/steps", async (c) => {
    const user = await userOf(c);
    const { days } = parseWith(RangeQuery, c.req.query());
    const to = dayStart(today()) + DAY_MS;
    const store = userDataStub(c.env, user.id);
    const [from, until] = [new Date(to - days * DAY_MS).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10)];
    // As the read API: the organization's source priorities are read only when a day has several sources.
    type Rows = { date: string; steps: number }[] | typeof NEEDS_PRIORITIES;
    let rows = (await store.activity(from, until, null)) as Rows;
    if (rows === NEEDS_PRIORITIES) rows = (await store.activity(from, until, await loadPriorities(c.env.DB, c.get("member").orgId))) as Rows;
    if (rows === NEEDS_PRIORITIES) throw new Error("steps: priorities were given");
    return c.json({ days: rows.map((r) => ({ date: r.date, steps: r.steps })) });
  })
  .get("/console/users/:id/sleep", async (c) => {
    const user = await userOf(c);
    const { days } = parseWith(RangeQuery, c.req.query());
    const end = Date.now();
    const page = await userDataStub(c.env, user.id).events("sleep", { start: end - days * DAY_MS, end, cursor: null, limit: 100 });
    return c.json({ nights: page.ok ? page.page.data : [] });
  })
  .get("/console/users/:id/workouts", async (c) => {
    const user = await userOf(c);
    const { days } = parseWith(RangeQuery, c.req.query());
    const end = Date.now();
    const page = await userDataStub(c.env, user.id).events("workout", { start: end - days * DAY_MS, end, cursor: null, limit: 100 });
    return c.json({ workouts: page.ok ? page.page.data : [] });
  })
  .get("/console/users/:id/sync-runs", async (c) => {
    const user = await userOf(c);
    return c.json({ runs: await userDataStub(c.env, user.id).syncRuns(user.id, 50) });
  })
  .post("/console/users/:id/onboarding-link", async (c) => {
    const user = await userOf(c);
    const { app_id } = await readBody(c, z.strictObject({ app_id: z.string().max(64).optional() }));
    let applicationId: string | null = null;
    if (app_id) {
      const app = await c.env.DB.prepare(`SELECT id FROM applications WHERE app_id = ? AND organization_id = ?`).bind(app_id, c.get("member").orgId).first<{ id: string }>();
      if (!app) throw new HttpError(404, "Application not found");
      applicationId = app.id;
    }
    const invite = await createInvitationCode(c.env.DB, { orgId: c.get("member").orgId, userId: user.id, applicationId, createdBy: `console:${c.get("member").memberId}` });
    return c.json({ code: invite.code, expires_at: invite.expires_at, url: `${new URL(c.req.url).origin}/connect?code=${invite.code}` }, 201);
  })
  // Deleting is irreversible: the caller must type the user's email (or id when there is none) as confirmation.
  .delete("/console/users/:id", async (c) => {
    const user = await userOf(c);
    const { confirm } = await readBody(c, z.strictObject({ confirm: z.string().max(300) }));
    if (confirm.trim() !== (user.email ?? user.id)) throw new HttpError(400, "Type the user's email (or id) exactly to confirm the deletion");
    const { orgId } = c.get("member");
    // As the API's delete: the object erases everything and leaves a tombstone, then the directory row goes.
    await c.var.services.users.stub(user.id).erase(user.id, orgId);
    await deleteUser(c.env.DB, orgId, user.id);
    return c.body(null, 204);
  })
  // Signs the user's phone out everywhere: every refresh-token family ends (access tokens expire within 15 min).
  .post("/console/users/:id/revoke-sessions", async (c) => {
    const user = await userOf(c);
    const revoked = await c.var.services.users.stub(user.id).revokeAllSessions("console");
    // Families from before sessions moved into the object stay in D1 until first used: end those too.
    const legacy = await c.env.DB.prepare(`UPDATE refresh_families SET revoked_at = ?, revoked_reason = 'console' WHERE user_id = ? AND revoked_at IS NULL AND moved_at IS NULL`)
      .bind(Date.now(), user.id).run();
    return c.json({ revoked_sessions: revoked + legacy.meta.changes });
  });
