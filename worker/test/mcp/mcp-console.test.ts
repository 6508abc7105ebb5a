import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api } from "../setup/harness";
import { callTool, finishAuthorization, openConsent, startAuthorization, submitConsent } from "./mcp-client";
import { ConsoleClient, ownerOf } from "../console/console-helpers";

/**
 * Consent by a member signed in to the console (the console's session cookie): the grant is the member's
 * organization, recorded with the member; a signed-out browser is asked to sign in and the same form then works;
 * a signed-out session no longer consents; members of two organizations each connect only to their own.
 */

const ORG = "X-Open-Wearables-Organization";

async function organization(name: string) {
  const org = (await api.post("/organizations", { headers: ADMIN, body: { name } })).json;
  const user = (await api.post("/users", { headers: { ...ADMIN, [ORG]: org.id }, body: { first_name: "Pat", last_name: name } })).json;
  const owner = await ownerOf(org.id, `${name} owner`);
  return { orgId: org.id as string, userId: user.id as string, owner };
}

let a: Awaited<ReturnType<typeof organization>>;
let b: Awaited<ReturnType<typeof organization>>;

beforeAll(async () => {
  a = await organization("Acme");
  b = await organization("Globex");
});

async function connectAs(member: ConsoleClient, name: string) {
  const provider = await startAuthorization(name);
  const page = await openConsent(provider.authorizationUrl!, member.cookie!);
  expect(page.html).toContain("Signed in to the console as <strong>");
  expect(page.html).not.toContain('name="api_key"');
  const decided = await submitConsent(provider.authorizationUrl!, page, { decision: "approve" });
  expect(decided.status).toBe(302);
  return { client: await finishAuthorization(provider, decided.location!), provider };
}

describe("consent by a signed-in console member", () => {
  it("grants the member's organization, recorded with the member; each organization sees only its users", async () => {
    const { client, provider } = await connectAs(a.owner, "Claude (Acme)");
    expect((await callTool(client, "get_users", {})).json.users.map((u: { id: string }) => u.id)).toEqual([a.userId]);
    const foreign = await callTool(client, "get_body_summary", { user_id: b.userId });
    expect(foreign.json.error).toBe(`User not found: ${b.userId}. Call get_users to list the users you can access.`);
    const me = await a.owner.call("GET", "/console/me");
    const grants = await api.get("/mcp/grants", { headers: { ...ADMIN, [ORG]: a.orgId } });
    const grant = grants.json.items.find((g: { client_id: string }) => g.client_id === provider.client!.client_id);
    expect(me.json.organization_id).toBe(a.orgId);
    expect(grant.granted_by).toBe(me.json.member_id);
    expect(grant.granted_by).toMatch(/^mem_/);

    const other = await connectAs(b.owner, "Claude (Globex)");
    expect((await callTool(other.client, "get_users", {})).json.users.map((u: { id: string }) => u.id)).toEqual([b.userId]);

    // In the console: each member lists their organization's grants and revokes them; not the other's.
    const listed = await a.owner.call("GET", "/console/manage/mcp/grants");
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((g: { id: string }) => g.id)).toEqual([grant.id]);
    expect((await b.owner.call("DELETE", `/console/manage/mcp/grants/${grant.id}`)).status).toBe(404);
    expect((await callTool(client, "get_users", {})).json.total).toBe(1);
    expect((await a.owner.call("DELETE", `/console/manage/mcp/grants/${grant.id}`)).status).toBe(204);
    await expect(client.listTools()).rejects.toThrow();
    expect((await a.owner.call("GET", "/console/manage/mcp/grants")).json.items).toEqual([]);
    expect((await callTool(other.client, "get_users", {})).json.total).toBe(1);
    // Without a session, or from another site, the console routes refuse.
    expect((await new ConsoleClient().call("GET", "/console/manage/mcp/grants")).status).toBe(401);
    expect((await a.owner.call("DELETE", `/console/manage/mcp/grants/${grant.id}`, undefined, { Origin: "https://evil.test" })).status).toBe(403);
  });

  it("a signed-out browser is asked to sign in; the same form works after signing in; a signed-out session is refused", async () => {
    const provider = await startAuthorization("Later");
    const anonymous = await openConsent(provider.authorizationUrl!);
    expect(anonymous.html).toContain('name="api_key"');
    expect(anonymous.html).toContain('href="/console"');
    const refused = await submitConsent(provider.authorizationUrl!, anonymous, { decision: "approve" });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain("Sign in to the console");
    const signedIn = await submitConsent(provider.authorizationUrl!, { ...anonymous, cookie: `${anonymous.cookie}; ${a.owner.cookie}` }, { decision: "approve" });
    expect(signedIn.status).toBe(302);
    const client = await finishAuthorization(provider, signedIn.location!);
    expect((await callTool(client, "get_users", {})).json.total).toBe(1);

    const leaving = await ownerOf(a.orgId, "Leaving");
    const cookie = leaving.cookie!;
    expect((await leaving.call("POST", "/console/auth/logout")).status).toBeLessThan(300);
    const late = await startAuthorization("Too late");
    const page = await openConsent(late.authorizationUrl!, cookie);
    expect(page.html).toContain('name="api_key"');
    expect((await submitConsent(late.authorizationUrl!, page, { decision: "approve" })).status).toBe(401);
  });
});

