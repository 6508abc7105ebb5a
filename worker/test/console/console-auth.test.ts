import { SELF, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, rowCount } from "../setup/harness";
import { SoftPasskey } from "./soft-authenticator";
import { ConsoleClient, ORIGIN, ownerOf, signupLink } from "./console-helpers";

const dump = async (table: string) => JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table}`).all()).results);

describe("console sign-up, sign-in and sessions", () => {
  it("only the operator makes sign-up links; the token is in the fragment and stored only as a hash", async () => {
    expect((await api.post("/console/signup-links", { body: {} })).status).toBe(401);
    expect((await api.post("/console/signup-links", { headers: ADMIN, body: { organization_id: "org_nope" } })).status).toBe(404);
    expect((await api.post("/console/signup-links", { headers: ADMIN, body: { role: "boss" } })).status).toBe(400);
    const link = await signupLink();
    expect(link.url).toMatch(/^https:\/\/api\.test\/console\/join#t=cl_[0-9a-f]{48}$/);
    const token = link.url.split("#t=")[1]!;
    expect(await dump("console_links")).not.toContain(token);
  });

  it("sign-up with a passkey sets a Secure HttpOnly SameSite=Strict __Host- cookie; the link works once", async () => {
    const link = await signupLink();
    const owner = new ConsoleClient();
    const res = await owner.signUp(link.url, "Grace");
    expect(res.status).toBe(201);
    expect(res.setCookie).toMatch(/^__Host-ow_console=cs_[0-9a-f]{64}; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const sessionId = owner.cookie!.split("=")[1]!;
    expect(await dump("console_sessions")).not.toContain(sessionId);
    const me = await owner.call("GET", "/console/me");
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ display_name: "Grace", role: "owner", organization_id: "org_default" });

    const again = await new ConsoleClient().signUp(link.url, "Mallory");
    expect(again.status).toBe(410);
    expect(again.json.detail).toMatch(/already used/);
    expect(await rowCount("console_members", "display_name = 'Mallory'")).toBe(0);
  });

  it("a link raced by two browsers makes exactly one member", async () => {
    const link = await signupLink();
    const token = link.url.split("#t=")[1]!;
    const [a, b] = [new ConsoleClient(), new ConsoleClient()];
    const [oa, ob] = await Promise.all([a, b].map((c, i) => c.call("POST", "/console/auth/register/options", { token, display_name: `Racer ${i}` })));
    const results = await Promise.all([
      a.call("POST", "/console/auth/register/verify", { ceremony_id: oa!.json.ceremony_id, response: await a.passkey.create(oa!.json.options) }),
      b.call("POST", "/console/auth/register/verify", { ceremony_id: ob!.json.ceremony_id, response: await b.passkey.create(ob!.json.options) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 410]);
    expect(await rowCount("console_members", "display_name LIKE 'Racer %'")).toBe(1);
    expect(await rowCount("console_passkeys", "id IN (?, ?)", a.passkey.id, b.passkey.id)).toBe(1);
  });

  it("signs in with the passkey alone; a wrong origin, an unknown passkey or a replayed ceremony are refused", async () => {
    const owner = await ownerOf();
    const browser = new ConsoleClient(owner.passkey);
    expect((await browser.call("GET", "/console/me")).status).toBe(401);
    expect((await browser.signIn()).status).toBe(200);
    expect((await browser.call("GET", "/console/me")).json.display_name).toBe("Owner");

    const opts = await browser.call("POST", "/console/auth/login/options", {});
    const phished = await owner.passkey.get(opts.json.options, "https://evil.test");
    expect((await browser.call("POST", "/console/auth/login/verify", { ceremony_id: opts.json.ceremony_id, response: phished })).status).toBe(401);
    // The ceremony was consumed by the failed attempt: a replay is a 400, not a second chance.
    const good = await owner.passkey.get(opts.json.options);
    expect((await browser.call("POST", "/console/auth/login/verify", { ceremony_id: opts.json.ceremony_id, response: good })).status).toBe(400);

    const stranger = new ConsoleClient(new SoftPasskey(ORIGIN));
    const o2 = await stranger.call("POST", "/console/auth/login/options", {});
    await stranger.passkey.create({ challenge: "x", rp: {}, user: { id: "eA" } });
    const r2 = await stranger.call("POST", "/console/auth/login/verify", { ceremony_id: o2.json.ceremony_id, response: await stranger.passkey.get(o2.json.options) });
    expect(r2.status).toBe(401);
    expect(r2.json.detail).toMatch(/not registered/);
  });

  it("a passkey without user verification cannot sign up", async () => {
    const link = await signupLink();
    const c = new ConsoleClient(new SoftPasskey(ORIGIN, false));
    expect((await c.signUp(link.url)).status).toBe(401);
    // The link is still usable afterwards.
    expect((await new ConsoleClient().signUp(link.url)).status).toBe(201);
  });

  it("refuses cross-site calls: no console header, or a foreign Origin on a state change", async () => {
    const owner = await ownerOf();
    const noHeader = await SELF.fetch(`${ORIGIN}/api/v1/console/me`, { headers: { Cookie: owner.cookie! } });
    expect(noHeader.status).toBe(403);
    const foreign = await owner.call("POST", "/console/team/invitations", { role: "member" }, { Origin: "https://evil.test" });
    expect(foreign.status).toBe(403);
    expect(await rowCount("console_links", "kind = 'invite'")).toBe(0);
    const noOrigin = await SELF.fetch(`${ORIGIN}/api/v1/console/team/invitations`, {
      method: "POST", headers: { Cookie: owner.cookie!, "X-Console-Request": "1", "Content-Type": "application/json" }, body: "{}",
    });
    expect(noOrigin.status).toBe(403);
  });

  it("sign-out ends the session; idle and absolute expiry end it too", async () => {
    const owner = await ownerOf();
    const out = await owner.call("POST", "/console/auth/logout");
    expect(out.status).toBe(204);
    expect(out.setCookie).toMatch(/^__Host-ow_console=; Max-Age=0/);
    const stale = new ConsoleClient();
    const again = await ownerOf();
    stale.cookie = again.cookie;
    await env.DB.prepare(`UPDATE console_sessions SET idle_expires_at = ?`).bind(Date.now() - 1).run();
    expect((await stale.call("GET", "/console/me")).status).toBe(401);
    const third = await ownerOf();
    await env.DB.prepare(`UPDATE console_sessions SET absolute_expires_at = ? WHERE revoked_at IS NULL AND idle_expires_at > ?`).bind(Date.now() - 1, Date.now()).run();
    expect((await third.call("GET", "/console/me")).status).toBe(401);
    // A revoked cookie stays dead.
    const fourth = await ownerOf();
    const cookie = fourth.cookie;
    await fourth.call("POST", "/console/auth/logout");
    fourth.cookie = cookie;
    expect((await fourth.call("GET", "/console/me")).status).toBe(401);
  });
});

describe("console team", () => {
  it("owners invite members by one-time links and remove them; members cannot; one owner always stays", async () => {
    const owner = await ownerOf("org_team", "Olivia");
    const inv = await owner.call("POST", "/console/team/invitations", { role: "member" });
    expect(inv.status).toBe(201);
    const member = new ConsoleClient();
    expect((await member.signUp(inv.json.url, "Max")).status).toBe(201);
    const me = await member.call("GET", "/console/me");
    expect(me.json).toMatchObject({ role: "member", organization_id: "org_team" });
    expect((await member.call("POST", "/console/team/invitations", { role: "owner" })).status).toBe(403);

    const team = await owner.call("GET", "/console/team");
    expect(team.json.members.map((m: any) => [m.display_name, m.role])).toEqual([["Olivia", "owner"], ["Max", "member"]]);
    expect(team.json.invitations).toEqual([]);

    const pending = await owner.call("POST", "/console/team/invitations", {});
    expect((await owner.call("DELETE", `/console/team/invitations/${pending.json.id}`)).status).toBe(204);
    expect((await new ConsoleClient().signUp(pending.json.url)).status).toBe(410);

    const maxId = team.json.members[1].id;
    expect((await owner.call("DELETE", `/console/team/members/${maxId}`)).status).toBe(204);
    expect((await member.call("GET", "/console/me")).status).toBe(401);
    expect((await new ConsoleClient(member.passkey).signIn()).status).toBe(401);
    const ownerId = team.json.members[0].id;
    expect((await owner.call("DELETE", `/console/team/members/${ownerId}`)).status).toBe(409);
    // Another organization's owner cannot touch this team.
    const other = await ownerOf("org_other_team");
    expect((await other.call("DELETE", `/console/team/members/${ownerId}`)).status).toBe(404);
  });
});
