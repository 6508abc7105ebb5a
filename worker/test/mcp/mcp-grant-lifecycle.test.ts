import { SELF, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api } from "../setup/harness";
import { ConsoleClient, ownerOf, signupLink } from "../console/console-helpers";
import { ORIGIN, type MemoryOAuthClient, authorizedClient, finishAuthorization, openConsent, startAuthorization, submitConsent } from "./mcp-client";

/**
 * MCP grants end with what approved them: deleting the organization revokes all of its grants (before anything else
 * is deleted), removing a console member revokes the grants that member approved, deleting or rotating an API key
 * revokes the grants approved with that key. Revoked means the token answers 401 at /mcp and the grant is gone from
 * OAUTH_KV; every other grant, of the organization and of another one, keeps working.
 */

const ORG = "X-Open-Wearables-Organization";

interface Granted { provider: MemoryOAuthClient; grantId: string; orgId: string }

async function organization(name: string) {
  const org = (await api.post("/organizations", { headers: ADMIN, body: { name } })).json;
  const admin = { ...ADMIN, [ORG]: org.id as string };
  const key = async (label: string) => (await api.post("/developer/api-keys", { headers: admin, body: { name: label } })).json as { id: string; key_id: string };
  return { orgId: org.id as string, admin, owner: await ownerOf(org.id, `${name} owner`), key };
}

async function grantIdOf(orgId: string, provider: MemoryOAuthClient) {
  const list = await api.get("/mcp/grants", { headers: { ...ADMIN, [ORG]: orgId } });
  return list.json.items.find((g: { client_id: string }) => g.client_id === provider.client!.client_id).id as string;
}

/** A grant approved on the consent page by a signed-in member. */
async function byMember(orgId: string, member: ConsoleClient, name: string): Promise<Granted> {
  const provider = await startAuthorization(name);
  const page = await openConsent(provider.authorizationUrl!, member.cookie!);
  const decided = await submitConsent(provider.authorizationUrl!, page, { decision: "approve" });
  expect(decided.status).toBe(302);
  await finishAuthorization(provider, decided.location!);
  return { provider, grantId: await grantIdOf(orgId, provider), orgId };
}

/** A grant approved on the consent page with an API key. */
async function byKey(orgId: string, key: string, name: string): Promise<Granted> {
  const { provider } = await authorizedClient(key, name);
  return { provider, grantId: await grantIdOf(orgId, provider), orgId };
}

/** The grant's access token at /mcp: 200 while the grant lives, 401 once revoked. */
async function mcpStatus(g: Granted) {
  const res = await SELF.fetch(`${ORIGIN}/mcp`, {
    method: "POST",
    headers: { Authorization: `Bearer ${g.provider.saved!.access_token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  await res.body?.cancel();
  return res.status;
}

const inKv = async (g: Granted) => (await env.OAUTH_KV.get(`grant:${g.orgId}:${g.grantId}`)) !== null;

async function expectLive(...grants: Granted[]) {
  for (const g of grants) {
    expect(await mcpStatus(g)).toBe(200);
    expect(await inKv(g)).toBe(true);
  }
}
async function expectRevoked(...grants: Granted[]) {
  for (const g of grants) {
    expect(await mcpStatus(g)).toBe(401);
    expect(await inKv(g)).toBe(false);
  }
}

let other: Awaited<ReturnType<typeof organization>>;
let otherGrant: Granted;

beforeAll(async () => {
  other = await organization("Globex");
  otherGrant = await byMember(other.orgId, other.owner, "Claude (Globex)");
});

describe("removing a console member", () => {
  it("revokes the grants that member approved; the owner's and another organization's keep working", async () => {
    const a = await organization("Acme");
    const member = new ConsoleClient();
    expect((await member.signUp((await signupLink(a.orgId, "member")).url, "Mia")).status).toBe(201);
    const mine = await byMember(a.orgId, member, "Cursor (Mia)");
    const mine2 = await byMember(a.orgId, member, "Claude (Mia)");
    const owners = await byMember(a.orgId, a.owner, "Claude (owner)");
    await expectLive(mine, mine2, owners);
    const memberId = (await member.call("GET", "/console/me")).json.member_id;

    expect((await a.owner.call("DELETE", `/console/team/members/${memberId}`)).status).toBe(204);
    await expectRevoked(mine, mine2);
    await expectLive(owners, otherGrant);
    expect((await a.owner.call("GET", "/console/manage/mcp/grants")).json.items.map((g: { id: string }) => g.id)).toEqual([owners.grantId]);
  });

  it("a refused removal (last owner, unknown member) revokes nothing", async () => {
    const a = await organization("Initech");
    const owners = await byMember(a.orgId, a.owner, "Claude (sole owner)");
    const me = (await a.owner.call("GET", "/console/me")).json.member_id;
    // The only owner tries to remove themselves: refused before anything of theirs is revoked.
    expect((await a.owner.call("DELETE", `/console/team/members/${me}`)).status).toBe(409);
    expect((await a.owner.call("DELETE", "/console/team/members/mem_nobody")).status).toBe(404);
    await expectLive(owners);
  });
});

describe("deleting or rotating an API key", () => {
  it("revokes the grants approved with that key only; an unknown key is 404 and revokes nothing", async () => {
    const a = await organization("Hooli");
    const [k1, k2, k3] = [await a.key("one"), await a.key("two"), await a.key("three")];
    const g1 = await byKey(a.orgId, k1.id, "Via key one");
    const g2 = await byKey(a.orgId, k2.id, "Via key two");
    const g3 = await byKey(a.orgId, k3.id, "Via key three");
    const owners = await byMember(a.orgId, a.owner, "Claude (Hooli owner)");
    const listed = (await api.get("/mcp/grants", { headers: a.admin })).json.items;
    expect(listed.find((g: { id: string }) => g.id === g1.grantId)).toMatchObject({ granted_by: k1.key_id, granted_by_label: `API key ${k1.key_id}` });

    // Rotation: by the key's handle, from the console.
    expect((await a.owner.call("POST", `/console/manage/developer/api-keys/${k1.key_id}/rotate`)).status).toBe(201);
    await expectRevoked(g1);
    await expectLive(g2, g3, owners, otherGrant);
    // Deletion: by the key itself, with the admin key.
    expect((await api.delete(`/developer/api-keys/${k2.id}`, { headers: a.admin })).status).toBe(200);
    await expectRevoked(g2);
    await expectLive(g3, owners, otherGrant);
    // Another organization's key handle is unknown here.
    const foreign = await other.key("foreign");
    expect((await api.delete(`/developer/api-keys/${foreign.key_id}`, { headers: a.admin })).status).toBe(404);
    expect((await api.post(`/developer/api-keys/key_nothere/rotate`, { headers: a.admin })).status).toBe(404);
    await expectLive(g3, owners, otherGrant);
  });
});

describe("deleting an organization", () => {
  it("revokes every grant of the organization (member- and key-approved); another organization's keep working", async () => {
    const a = await organization("Umbrella");
    const k = await a.key("backend");
    const g1 = await byMember(a.orgId, a.owner, "Claude (Umbrella)");
    const g2 = await byKey(a.orgId, k.id, "Cursor (Umbrella)");
    await expectLive(g1, g2);

    expect((await api.delete(`/organizations/${a.orgId}`, { headers: ADMIN })).status).toBe(204);
    await expectRevoked(g1, g2);
    expect((await env.OAUTH_KV.list({ prefix: `grant:${a.orgId}:` })).keys).toEqual([]);
    expect((await env.OAUTH_KV.list({ prefix: `token:${a.orgId}:` })).keys).toEqual([]);
    await expectLive(otherGrant);
    // Retrying is safe: the organization is gone, nothing else changes.
    expect((await api.delete(`/organizations/${a.orgId}`, { headers: ADMIN })).status).toBe(404);
    await expectLive(otherGrant);
  });

  it("a refused deletion (the default organization) revokes nothing", async () => {
    const owner = await ownerOf("org_default", "Default owner");
    const g = await byMember("org_default", owner, "Claude (default)");
    expect((await api.delete("/organizations/org_default", { headers: ADMIN })).status).toBe(409);
    await expectLive(g);
  });
});
