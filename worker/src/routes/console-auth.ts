import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env";
import { requireAdmin } from "../auth/middleware";
import { HttpError } from "../http/errors";
import { isoZ } from "../lib/time";
import { readBody } from "../console/body";
import { DEFAULT_ORG_ID } from "../console/config";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "../console/cookies";
import { createLink, findUsableLink, linkUrl } from "../console/links";
import { consoleGuard, requireMember } from "../console/middleware";
import { finishLogin, finishRegistration, relyingParty, startLogin, startRegistration, type CeremonyError } from "../console/passkeys";
import { createSession, revokeSession } from "../console/sessions";

/**
 * Console sign-up, sign-in and sign-out with passkeys. The operator (admin key) makes an organization's first
 * sign-up link; the person who opens it names themselves and creates a passkey; every later sign-in is one
 * passkey prompt. Successful ceremonies set the session cookie.
 */

const Token = z.string().min(10).max(100);
const SignupLinkBody = z.strictObject({ organization_id: z.string().min(1).max(64).optional(), role: z.enum(["owner", "member"]).default("owner") });
const RegisterOptionsBody = z.strictObject({ token: Token, display_name: z.string().trim().min(1).max(80) });
const Credential = z.object({ id: z.string().min(1).max(1024), rawId: z.string().max(1024), type: z.literal("public-key"), response: z.record(z.string(), z.unknown()) }).passthrough();
const VerifyBody = z.strictObject({ ceremony_id: z.string().min(1).max(64), response: Credential });

const CEREMONY_ERRORS: Record<CeremonyError, [400 | 401 | 410, string]> = {
  link_invalid: [410, "This link was already used, has expired or was revoked; ask for a new one"],
  ceremony_invalid: [400, "The passkey prompt expired; please try again"],
  verification_failed: [401, "The passkey could not be verified"],
  unknown_passkey: [401, "This passkey is not registered with the console"],
};
const ceremonyError = (e: CeremonyError) => new HttpError(...CEREMONY_ERRORS[e]);

const orgName = (db: D1Database, id: string) =>
  db.prepare(`SELECT name FROM organizations WHERE id = ?`).bind(id).first<{ name: string }>().then((r) => r?.name ?? null);

export const consoleAuthRoutes = new Hono<AppEnv>()
  // The operator: a one-time link for an organization's first owner (or any role), shown once.
  .post("/console/signup-links", requireAdmin, async (c) => {
    const body = await readBody(c, SignupLinkBody);
    // The organization in the body, else the one the admin acts in (its organization header, else the default).
    const auth = c.get("auth");
    const orgId = body.organization_id ?? (auth.kind === "admin" ? auth.orgId : DEFAULT_ORG_ID);
    if (!(await orgName(c.env.DB, orgId))) throw new HttpError(404, `Organization with ID: ${orgId} not found.`);
    const link = await createLink(c.env.DB, orgId, "signup", body.role, "operator");
    return c.json({ id: link.id, url: linkUrl(new URL(c.req.url).origin, link.token), organization_id: orgId, role: body.role, expires_at: isoZ(link.expires_at) }, 201);
  })
  // What a link is for (shown on the join page before the passkey prompt).
  .post("/console/auth/link", consoleGuard, async (c) => {
    const { token } = await readBody(c, z.strictObject({ token: Token }));
    const link = await findUsableLink(c.env.DB, token);
    if (!link) throw ceremonyError("link_invalid");
    return c.json({ kind: link.kind, role: link.role, organization_name: await orgName(c.env.DB, link.organization_id) });
  })
  .post("/console/auth/register/options", consoleGuard, async (c) => {
    const body = await readBody(c, RegisterOptionsBody);
    const link = await findUsableLink(c.env.DB, body.token);
    if (!link) throw ceremonyError("link_invalid");
    return c.json(await startRegistration(c.env.DB, relyingParty(c.req.url), link, body.display_name));
  })
  .post("/console/auth/register/verify", consoleGuard, async (c) => {
    const body = await readBody(c, VerifyBody);
    const result = await finishRegistration(c.env.DB, relyingParty(c.req.url), body.ceremony_id, body.response as never);
    if (!result.ok) throw ceremonyError(result.error);
    writeSessionCookie(c, await createSession(c.env.DB, result.memberId, result.orgId));
    return c.json({ member_id: result.memberId, role: result.role }, 201);
  })
  .post("/console/auth/login/options", consoleGuard, async (c) => c.json(await startLogin(c.env.DB, relyingParty(c.req.url))))
  .post("/console/auth/login/verify", consoleGuard, async (c) => {
    const body = await readBody(c, VerifyBody);
    const result = await finishLogin(c.env.DB, relyingParty(c.req.url), body.ceremony_id, body.response as never);
    if (!result.ok) throw ceremonyError(result.error);
    writeSessionCookie(c, await createSession(c.env.DB, result.memberId, result.orgId));
    return c.json({ member_id: result.memberId });
  })
  .post("/console/auth/logout", consoleGuard, async (c) => {
    const id = readSessionCookie(c);
    if (id) await revokeSession(c.env.DB, id);
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .get("/console/me", requireMember, async (c) => {
    const m = c.get("member");
    return c.json({ member_id: m.memberId, display_name: m.displayName, role: m.role, organization_id: m.orgId, organization_name: await orgName(c.env.DB, m.orgId) });
  });
