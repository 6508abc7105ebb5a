import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { iosBatch } from "../ingest/fixtures";
import { ORIGIN, authorizedClient, keyClient, openConsent, submitConsent, MemoryOAuthClient, transportFor, REDIRECT } from "./mcp-client";
import { START, tenant, type Tenant } from "./tenant";

/**
 * The remote MCP server driven end to end by the official SDK's client inside workerd: discovery, dynamic
 * registration, consent, PKCE, tools on uploaded data (equal to the read API's numbers), bounds, errors,
 * revocation, and organizations that never see each other.
 */



const tenantOf = (name: string) => tenant(name, [iosBatch({ start: START, records: 3000, workouts: 6, sleepNights: 3 })]);

let a: Tenant;

beforeAll(async () => {
  a = await tenantOf("Acme");
});

describe("discovery", () => {
  it("an unauthenticated call gets 401 with a challenge naming the protected-resource metadata", async () => {
    const res = await SELF.fetch(`${ORIGIN}/mcp`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
    const challenge = res.headers.get("WWW-Authenticate")!;
    expect(challenge).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="health:read"');
  });

  it("publishes protected-resource metadata (path-specific and root) and authorization-server metadata", async () => {
    for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
      const prm = await (await SELF.fetch(`${ORIGIN}${path}`)).json() as Record<string, unknown>;
      expect(prm).toMatchObject({ resource: `${ORIGIN}/mcp`, authorization_servers: [ORIGIN], scopes_supported: ["health:read"] });
    }
    const as = await (await SELF.fetch(`${ORIGIN}/.well-known/oauth-authorization-server`)).json() as Record<string, unknown>;
    expect(as).toMatchObject({
      issuer: ORIGIN, authorization_endpoint: `${ORIGIN}/oauth/authorize`, token_endpoint: `${ORIGIN}/oauth/token`,
      registration_endpoint: `${ORIGIN}/oauth/register`, code_challenge_methods_supported: ["S256"],
    });
    expect(as.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
  });
});

describe("authorization", () => {
  it("dynamic registration, consent and PKCE give a token that lists the tools; tokens are stored only as hashes", async () => {
    const { client, provider } = await authorizedClient(a.key);
    expect(provider.client?.client_id).toBeTruthy();
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(["get_activity_summary", "get_body_summary", "get_sleep_summary", "get_sync_status", "get_timeseries", "get_users", "get_workout_events"]);
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toEqual(["present_health_data"]);
    const prompt = await client.getPrompt({ name: "present_health_data" });
    expect((prompt.messages[0]!.content as { text: string }).text).toContain("Lead with insights");
    // Nothing in KV holds the access or refresh token itself.
    const { env } = await import("cloudflare:test");
    const keys = (await env.OAUTH_KV.list()).keys.map((k) => k.name);
    const values = await Promise.all(keys.map((k) => env.OAUTH_KV.get(k)));
    const stored = keys.join("\n") + values.join("\n");
    expect(stored).not.toContain(provider.saved!.access_token);
    expect(stored).not.toContain(provider.saved!.refresh_token!);
    expect(stored).not.toContain(a.key);
  });

  it("the consent page shows the client, where tokens go and the local-app warning; escapes the client's name", async () => {
    const provider = new MemoryOAuthClient('<img src=x onerror="alert(1)">');
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    await new Client({ name: "t", version: "1" }).connect(transportFor(provider)).catch(() => undefined);
    const page = await openConsent(provider.authorizationUrl!);
    expect(page.status).toBe(200);
    expect(page.html).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;");
    expect(page.html).not.toContain("<img");
    expect(page.html).toContain("127.0.0.1");
    expect(page.html).toContain("an app on your computer");
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("refuses a wrong credential (the form stays usable), a missing handle, a deny, and a code without its PKCE verifier", async () => {
    const provider = new MemoryOAuthClient();
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    await new Client({ name: "t", version: "1" }).connect(transportFor(provider)).catch(() => undefined);
    const url = provider.authorizationUrl!;
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    const page = await openConsent(url);
    const wrong = await submitConsent(url, page, { decision: "approve", api_key: "sk-not-a-key" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("enter a valid API key of your organization");
    expect((await submitConsent(url, { ...page, handle: "" }, { decision: "approve", api_key: a.key })).status).toBe(400);
    // Another browser (no binding cookie) cannot use the handle.
    expect((await submitConsent(url, { ...page, cookie: "" }, { decision: "approve", api_key: a.key })).status).toBe(400);
    const ok = await submitConsent(url, page, { decision: "approve", api_key: a.key });
    expect(ok.status).toBe(302);
    const code = new URL(ok.location!).searchParams.get("code")!;
    // The code alone (no verifier) is refused at the token endpoint.
    const token = await SELF.fetch(`${ORIGIN}/oauth/token`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: provider.client!.client_id, code_verifier: "x".repeat(43) }),
    });
    expect(token.status).toBe(400);
    // Deny goes back to the client with access_denied.
    const provider2 = new MemoryOAuthClient();
    await new Client({ name: "t", version: "1" }).connect(transportFor(provider2)).catch(() => undefined);
    const page2 = await openConsent(provider2.authorizationUrl!);
    const denied = await submitConsent(provider2.authorizationUrl!, page2, { decision: "deny" });
    expect(denied.status).toBe(302);
    expect(new URL(denied.location!).searchParams.get("error")).toBe("access_denied");
  });

  it("an organization API key works as a bearer token for headless clients; a wrong one is 401", async () => {
    const client = await keyClient(a.key);
    expect((await client.listTools()).tools.length).toBe(7);
    const res = await SELF.fetch(`${ORIGIN}/mcp`, {
      method: "POST", headers: { Authorization: "Bearer sk-wrong", "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(401);
  });

  it("is stateless: GET and DELETE are 405, no session id is issued", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await SELF.fetch(`${ORIGIN}/mcp`, { method, headers: { Authorization: `Bearer ${a.key}`, Accept: "text/event-stream" } });
      expect(res.status).toBe(405);
    }
    const res = await SELF.fetch(`${ORIGIN}/mcp`, {
      method: "POST", headers: { Authorization: `Bearer ${a.key}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Mcp-Session-Id")).toBeNull();
  });
});
