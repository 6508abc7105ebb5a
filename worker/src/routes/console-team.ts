import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { HttpError } from "../http/errors";
import { isoZ } from "../lib/time";
import { readBody } from "../console/body";
import { createLink, linkUrl, openInvitations, revokeLink } from "../console/links";
import { listMembers, removalCheck, removeMember } from "../console/members";
import { approvedBy, revokeGrantsWhere } from "../mcp/grants";
import { oauthApi } from "../mcp/oauth-api";
import { requireMember, requireOwner } from "../console/middleware";

/** Team: the organization's console members and open invitations. Owners invite and remove (with the MCP grants the member approved). */
export const consoleTeamRoutes = new Hono<AppEnv>()
  .use("/console/team/*", requireMember)
  .use("/console/team", requireMember)
  .get("/console/team", async (c) => {
    const { orgId } = c.get("member");
    const [members, invitations] = await Promise.all([listMembers(c.env.DB, orgId), openInvitations(c.env.DB, orgId)]);
    return c.json({
      members: members.map((m) => ({ ...m, created_at: isoZ(m.created_at), last_seen_at: m.last_seen_at === null ? null : isoZ(m.last_seen_at) })),
      invitations: invitations.map((l) => ({ ...l, created_at: isoZ(l.created_at), expires_at: isoZ(l.expires_at) })),
    });
  })
  .post("/console/team/invitations", requireOwner, async (c) => {
    const { role } = await readBody(c, z.strictObject({ role: z.enum(["owner", "member"]).default("member") }));
    const m = c.get("member");
    const link = await createLink(c.env.DB, m.orgId, "invite", role, m.memberId);
    return c.json({ id: link.id, role, url: linkUrl(new URL(c.req.url).origin, link.token), expires_at: isoZ(link.expires_at) }, 201);
  })
  .delete("/console/team/invitations/:id", requireOwner, async (c) => {
    if (!(await revokeLink(c.env.DB, c.get("member").orgId, c.req.param("id")))) throw new HttpError(404, "Invitation not found");
    return c.body(null, 204);
  })
  .delete("/console/team/members/:id", requireOwner, async (c) => {
    const { orgId } = c.get("member");
    const memberId = c.req.param("id");
    // The MCP clients the member approved lose access first, once the removal is allowed: a failure leaves the member.
    if ((await removalCheck(c.env.DB, orgId, memberId)) === "removed") await revokeGrantsWhere(await oauthApi(c), orgId, approvedBy(memberId));
    const result = await removeMember(c.env.DB, orgId, memberId);
    if (result === "not_found") throw new HttpError(404, "Member not found");
    if (result === "last_owner") throw new HttpError(409, "An organization keeps at least one owner");
    return c.body(null, 204);
  });
