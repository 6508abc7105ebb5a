// The remote MCP server end to end, as a person connects an assistant to it: the real Worker (wrangler dev), data
// from the device simulator CLI, the official MCP SDK client in Node doing discovery, dynamic registration and PKCE,
// the consent page in Chromium (approved with one of the organization's API keys, then by a console member signed in
// with a passkey), every tool compared with the read API, revocation, and another organization's key.
// Run: `npm run test:e2e -w worker` (part of the worker's `npm test`; named outside vitest's *.test.* pattern).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { ROOT, freePort, startWorker } from "../../scripts/local-worker.mjs";

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = join(ROOT, "worker", "e2e", "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

let worker;
let browser;
const orgs = {};

async function call(method, path, { headers = {}, body } = {}) {
  const res = await fetch(`${worker.origin}${path}`, {
    method, headers: { ...(body ? { "Content-Type": "application/json" } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** An organization with an API key, an application and one user whose phone (the simulator) synced `days` days. */
async function organization(name, days) {
  const admin = { "X-Open-Wearables-API-Key": worker.adminKey };
  const org = await call("POST", "/api/v1/organizations", { headers: admin, body: { name } });
  assert.equal(org.status, 201);
  const inOrg = { ...admin, "X-Open-Wearables-Organization": org.json.id };
  const key = (await call("POST", "/api/v1/developer/api-keys", { headers: inOrg, body: { name: "backend" } })).json.id;
  await call("POST", "/api/v1/applications", { headers: inOrg, body: { name: `${name} app` } });
  const withKey = { "X-Open-Wearables-API-Key": key };
  const user = (await call("POST", "/api/v1/users", { headers: withKey, body: { first_name: "Pat", last_name: name } })).json;
  const code = await call("POST", `/api/v1/users/${user.id}/invitation-code`, { headers: withKey, body: {} });
  assert.equal(code.status, 201, JSON.stringify(code.json));
  const link = `openwearables://connect?host=${encodeURIComponent(worker.origin)}&code=${code.json.code}`;
  const { stdout } = await promisify(execFile)(join(ROOT, "node_modules", ".bin", "tsx"),
    [join(ROOT, "mobile-shim", "src", "cli", "device.ts"), link, "--days", String(days), "--platform", "ios", "--once", "--data-dir", mkdtempSync(join(tmpdir(), "ow-mcp-dev-"))],
    { cwd: join(ROOT, "mobile-shim"), timeout: 120_000 });
  const summary = JSON.parse(stdout.trim().split("\n").pop());
  assert.equal(summary.lastError, null, stdout);
  return { orgId: org.json.id, key, userId: user.id, withKey };
}

/** The SDK's OAuth client, whose "browser" is Chromium and whose redirect URI is a loopback server (RFC 8252). */
async function oauthClientVia(page, apiKey, origin = worker.origin) {
  const port = await freePort();
  const redirect = `http://127.0.0.1:${port}/callback`;
  let resolveCode;
  const codeArrived = new Promise((r) => (resolveCode = r));
  const server = createServer((req, res) => {
    const url = new URL(req.url, redirect);
    res.end("You can close this window.");
    if (url.pathname === "/callback") resolveCode(url.searchParams);
  }).listen(port, "127.0.0.1");
  const provider = {
    client: undefined, saved: undefined, verifier: "", url: undefined,
    get redirectUrl() { return redirect; },
    get clientMetadata() { return { client_name: "E2E Assistant", redirect_uris: [redirect], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" }; },
    clientInformation() { return this.client; },
    saveClientInformation(c) { this.client = c; },
    tokens() { return this.saved; },
    saveTokens(t) { this.saved = t; },
    redirectToAuthorization(url) { this.url = url; },
    saveCodeVerifier(v) { this.verifier = v; },
    codeVerifier() { return this.verifier; },
  };
  const mcpUrl = new URL(`${origin}/mcp`);
  await assert.rejects(new Client({ name: "e2e", version: "1" }).connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider })), UnauthorizedError);
  await page.goto(provider.url.toString());
  await page.getByRole("heading", { name: /Allow E2E Assistant/ }).waitFor();
  if (apiKey) await page.locator("#credential").fill(apiKey);
  else await page.getByText(/Signed in to the console as/).waitFor();
  await page.screenshot({ path: join(ARTIFACTS, apiKey ? "mcp-consent.png" : "mcp-consent-member.png"), fullPage: true });
  await page.getByRole("button", { name: "Allow" }).click();
  const params = await codeArrived;
  server.close();
  assert.ok(params.get("code"), `no code: ${params}`);
  assert.equal(params.get("iss"), origin);
  await new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }).finishAuth(params.get("code"));
  const client = new Client({ name: "e2e", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
  return { client, provider };
}

const tool = async (client, name, args) => {
  const res = await client.callTool({ name, arguments: args });
  return { isError: !!res.isError, json: JSON.parse(res.content[0].text), size: res.content[0].text.length };
};

before(async () => {
  // An empty assets directory: this test needs no PWA build (web/dist), only the Worker.
  worker = await startWorker({ assetsDir: mkdtempSync(join(tmpdir(), "ow-mcp-assets-")), args: ["--log-level", "error"], vars: { REDEEM_ATTEMPTS_PER_WINDOW: "1000" } });
  orgs.acme = await organization("Acme", 3);
  orgs.globex = await organization("Globex", 1);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS });
}, { timeout: 300_000 });

after(async () => {
  await browser?.close();
  await worker?.stop();
});

test("connect in Chromium, every tool equals the read API on simulator data, revoke, other organization", { timeout: 300_000 }, async () => {
  const { acme, globex } = orgs;
  const page = await browser.newPage();
  const { client, provider } = await oauthClientVia(page, acme.key);

  const tools = (await client.listTools()).tools.map((t) => t.name).sort();
  assert.deepEqual(tools, ["get_activity_summary", "get_body_summary", "get_sleep_summary", "get_sync_status", "get_timeseries", "get_users", "get_workout_events"]);

  const users = await tool(client, "get_users", {});
  assert.deepEqual(users.json.users.map((u) => u.id), [acme.userId]);

  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const [start, end] = [day(-4), day(1)];
  const read = async (path) => (await call("GET", `/api/v1/users/${acme.userId}${path}`, { headers: acme.withKey })).json;

  const activity = await tool(client, "get_activity_summary", { user_id: acme.userId, start_date: start, end_date: end });
  const refActivity = await read(`/summaries/activity?start_date=${start}&end_date=${end}`);
  assert.ok(refActivity.data.length >= 3, "the simulator synced three days");
  assert.deepEqual(activity.json.records.map((r) => [r.date, r.steps, r.active_calories_kcal]), refActivity.data.map((r) => [r.date, r.steps, r.active_calories_kcal]));

  const sleep = await tool(client, "get_sleep_summary", { user_id: acme.userId, start_date: start, end_date: end });
  const refSleep = await read(`/summaries/sleep?start_date=${start}&end_date=${end}`);
  assert.ok(refSleep.data.length >= 2);
  assert.deepEqual(sleep.json.records.map((r) => [r.date, r.duration_minutes]), refSleep.data.map((r) => [r.date, r.duration_minutes]));

  const workouts = await tool(client, "get_workout_events", { user_id: acme.userId, start_date: start, end_date: end });
  const refWorkouts = await read(`/events/workouts?start_date=${start}&end_date=${end}&limit=100`);
  assert.deepEqual(workouts.json.records.map((w) => [w.id, w.type, w.duration_seconds]), refWorkouts.data.map((w) => [w.id, w.type, w.duration_seconds]));
  if (refWorkouts.data.length) {
    const type = refWorkouts.data[0].type;
    const filtered = await tool(client, "get_workout_events", { user_id: acme.userId, start_date: start, end_date: end, workout_type: type });
    assert.ok(filtered.json.records.length >= 1 && filtered.json.records.every((w) => w.type === type));
  }

  const hr = await tool(client, "get_timeseries", { user_id: acme.userId, start_time: start, end_time: end, types: ["heart_rate"] });
  assert.ok(hr.json.records.length > 0 && hr.json.records.length <= 500);
  const refHr = await read(`/timeseries?start_time=${start}&end_time=${end}&types=heart_rate&resolution=${hr.json.period.resolution}&limit=1000`);
  assert.deepEqual(hr.json.records.map((s) => [s.timestamp, s.value]), refHr.data.map((s) => [s.timestamp, s.value]));

  const body = await tool(client, "get_body_summary", { user_id: acme.userId });
  const refBody = await read(`/summaries/body`);
  assert.deepEqual(body.json.body?.slow_changing ?? null, refBody?.slow_changing ?? null);

  const sync = await tool(client, "get_sync_status", { user_id: acme.userId });
  const refRuns = await read(`/sync/runs?limit=5&envelope=false`);
  assert.deepEqual(sync.json.records.map((r) => r.run_id), refRuns.map((r) => r.run_id));
  for (const r of [users, activity, sleep, workouts, hr, body, sync]) assert.ok(r.size <= 64_000);

  // Another organization: its key (as a bearer token) does not reach Acme's user, and Acme's connection not Globex's.
  const globexClient = new Client({ name: "headless", version: "1" });
  await globexClient.connect(new StreamableHTTPClientTransport(new URL(`${worker.origin}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${globex.key}` } } }));
  const cross = await tool(globexClient, "get_activity_summary", { user_id: acme.userId, start_date: start, end_date: end });
  assert.equal(cross.isError, true);
  assert.equal(cross.json.error, `User not found: ${acme.userId}. Call get_users to list the users you can access.`);
  assert.equal((await tool(client, "get_body_summary", { user_id: globex.userId })).json.error, `User not found: ${globex.userId}. Call get_users to list the users you can access.`);

  // Revocation: the grant is listed for Acme only, and once revoked the client's token stops working.
  const grants = await call("GET", "/api/v1/mcp/grants", { headers: acme.withKey });
  const grant = grants.json.items.find((g) => g.client_id === provider.client.client_id);
  assert.equal(grant.client_name, "E2E Assistant");
  assert.deepEqual((await call("GET", "/api/v1/mcp/grants", { headers: globex.withKey })).json.items, []);
  assert.equal((await call("DELETE", `/api/v1/mcp/grants/${grant.id}`, { headers: acme.withKey })).status, 204);
  const afterRevoke = await fetch(`${worker.origin}/mcp`, {
    method: "POST", headers: { Authorization: `Bearer ${provider.saved.access_token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  assert.equal(afterRevoke.status, 401);
  await page.close();
});

/** Signs a new member of `orgId` up in this page's browser with a passkey (Chromium's virtual authenticator). */
async function signUpMember(context, page, origin, orgId, name) {
  const link = await call("POST", "/api/v1/console/signup-links", { headers: { "X-Open-Wearables-API-Key": worker.adminKey }, body: { organization_id: orgId } });
  assert.equal(link.status, 201);
  const token = new URL(link.json.url).hash.replace(/^#t=/, "");
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(`${origin}/.well-known/oauth-authorization-server`); // any page of the origin
  const status = await page.evaluate(async ({ token, name }) => {
    const toBuf = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(s.length / 4) * 4, "=")), (c) => c.charCodeAt(0)).buffer;
    const toB64u = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const headers = { "Content-Type": "application/json", "X-Console-Request": "1" };
    const o = await (await fetch("/api/v1/console/auth/register/options", { method: "POST", headers, body: JSON.stringify({ token, display_name: name }) })).json();
    const opts = o.options;
    const cred = await navigator.credentials.create({ publicKey: {
      ...opts, challenge: toBuf(opts.challenge), user: { ...opts.user, id: toBuf(opts.user.id) },
      excludeCredentials: (opts.excludeCredentials ?? []).map((c) => ({ ...c, id: toBuf(c.id) })),
    } });
    const response = {
      id: cred.id, rawId: toB64u(cred.rawId), type: cred.type, clientExtensionResults: cred.getClientExtensionResults(),
      authenticatorAttachment: cred.authenticatorAttachment,
      response: { clientDataJSON: toB64u(cred.response.clientDataJSON), attestationObject: toB64u(cred.response.attestationObject), transports: cred.response.getTransports() },
    };
    return (await fetch("/api/v1/console/auth/register/verify", { method: "POST", headers, body: JSON.stringify({ ceremony_id: o.ceremony_id, response }) })).status;
  }, { token, name });
  assert.equal(status, 201);
}

test("a member signed in to the console in Chromium (passkey) approves; the grant is their organization's", { timeout: 300_000 }, async () => {
  // WebAuthn needs a registrable host name: the browser and the MCP client use localhost, so the issuer does too.
  const origin = worker.origin.replace("127.0.0.1", "localhost");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpMember(context, page, origin, orgs.globex.orgId, "Grace");
  const { client, provider } = await oauthClientVia(page, null, origin);
  const users = await tool(client, "get_users", {});
  assert.deepEqual(users.json.users.map((u) => u.id), [orgs.globex.userId]);
  const cross = await tool(client, "get_sleep_summary", { user_id: orgs.acme.userId, start_date: "2026-01-01", end_date: "2026-01-08" });
  assert.equal(cross.isError, true);
  const grants = await call("GET", "/api/v1/mcp/grants", { headers: orgs.globex.withKey });
  const grant = grants.json.items.find((g) => g.client_id === provider.client.client_id);
  assert.match(grant.granted_by, /^mem_/);
  await context.close();
});
