// End-to-end: the developer console (web/console.html) served by the real Worker, driven in Debian's Chromium with
// passkeys from the DevTools virtual authenticator, data from the device simulator. Screenshots in web/artifacts/.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { after, before, describe, it } from "node:test";
import { startWorker } from "./server.mjs";
import { apiClient, exposedText, hasDeviceSimulator, openBrowser, runDevice, shot } from "./helpers.mjs";
import { addPasskeyDevice, assertAccessible, localhostOf } from "./console-helpers.mjs";

let worker;
let api;
let base; // http://localhost:<port>

before(async () => {
  // A seal key for webhook secrets (the launcher's default env has none, and webhooks answer 503 without one).
  worker = await startWorker({ vars: { REDEEM_ATTEMPTS_PER_WINDOW: "1000", WEBHOOK_SECRET_KEY: randomBytes(32).toString("base64"), WEBHOOK_RETRY_BASE_SECONDS: "1", WEBHOOK_ALLOW_PRIVATE_URLS: "true" } });
  api = apiClient(worker.origin, worker.adminKey);
  base = localhostOf(worker.origin);
});
after(async () => {
  await worker?.stop();
});

const admin = () => ({ "X-Open-Wearables-API-Key": worker.adminKey });
async function signupLink(organization_id) {
  const res = await api.call("POST", "/console/signup-links", organization_id ? { organization_id } : {}, admin());
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return localhostOf(res.json.url);
}

/** A browser with its own passkey device that joins through `link` as `name` and lands on the overview. */
async function join(link, name) {
  const b = await openBrowser("desktop");
  const passkeys = await addPasskeyDevice(b.context, b.page);
  await b.page.goto(link);
  await b.page.getByLabel("Your name").fill(name);
  await b.page.getByRole("button", { name: "Create passkey and join" }).click();
  await b.page.getByRole("heading", { level: 1, name: "Overview" }).waitFor({ timeout: 15_000 });
  return { ...b, passkeys };
}

/** A user of the default organization with real data uploaded by the device simulator. */
async function userWithData(email, days = 3) {
  const user = (await api.call("POST", "/users", { email }, admin())).json;
  const code = (await api.call("POST", `/users/${user.id}/invitation-code`, {}, admin())).json.code;
  if (hasDeviceSimulator()) {
    const summary = await runDevice(`openwearables://connect?host=${encodeURIComponent(worker.origin)}&code=${code}`, { platform: "ios", days });
    assert.equal(summary.lastError, null);
  }
  return user;
}

describe("developer console", () => {
  let owner; // browser of the default organization's first owner
  let ada;

  it("sign-up link → passkey → overview; the link works once; sign-out and passkey sign-in", { timeout: 240_000 }, async () => {
    ada = await userWithData("ada@example.org", 3);
    await api.call("POST", "/users", { email: "idle@example.org" }, admin());
    const link = await signupLink();
    assert.match(link, /\/console\/join#t=cl_[0-9a-f]+$/);
    owner = await join(link, "Grace Hopper");
    const { page } = owner;
    assert.equal(page.url(), `${base}/console`, "the token left the address bar");
    assert.equal((await owner.passkeys.credentials()).length, 1, "one resident passkey on the device");
    assert.equal(await page.getByTestId("stat-users").innerText(), "2");
    assert.equal(await page.getByTestId("stat-connected").innerText(), "1");
    assert.equal(await page.getByTestId("stat-active").innerText(), "1");
    await shot(page, "console-01-overview");
    await assertAccessible(page, "overview");

    const cookies = await owner.context.cookies(base);
    const session = cookies.find((c) => c.name === "ow_console");
    assert.ok(session?.httpOnly && session.sameSite === "Strict", "HttpOnly SameSite=Strict session cookie");
    assert.equal(await page.evaluate(() => document.cookie), "", "the page cannot read the session");

    // The same link a second time: refused.
    const again = await openBrowser("desktop");
    try {
      await addPasskeyDevice(again.context, again.page);
      await again.page.goto(link);
      await again.page.getByRole("alert").waitFor();
      assert.match(await again.page.getByRole("alert").innerText(), /already used/);
      await shot(again.page, "console-02-link-used");
    } finally {
      await again.close();
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
    await assertAccessible(page, "sign-in");
    await shot(page, "console-03-sign-in");
    await page.reload();
    await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
  });

  it("users: search, paging, providers, last sync, counts; a user: charts, runs, sources, onboarding link with QR", { timeout: 120_000 }, async () => {
    const { page } = owner;
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1", "focus moves to the new page's heading");
    await page.locator("table caption").filter({ hasText: "2 users" }).waitFor();
    await page.getByLabel(/Search by email/).fill("ADA@");
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator("table caption").filter({ hasText: "1 user matching" }).waitFor();
    const row = page.locator("tbody tr").first();
    assert.match(await row.innerText(), /ada@example\.org\s+apple\s+(just now|\d+ min ago)\s+[\d,]+\s+\d+\s+\d+\s+Syncing/);
    assert.ok(page.url().includes("search=ADA%40"), "search state in the query string");
    await shot(page, "console-04-users");
    await assertAccessible(page, "users");

    await row.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "ada@example.org" }).waitFor();
    const hr = page.getByTestId("hr-chart");
    await hr.locator("canvas").waitFor();
    assert.match(await hr.getAttribute("aria-label"), /^Heart rate \(bpm\), \d{4}-\d\d-\d\d, 1-minute mean with min and max: [\d,]+ points, min \d+ bpm, max \d+ bpm$/);
    await page.getByLabel("Raw").check();
    await page.waitForFunction(() => /raw samples/.test(document.querySelector('[data-testid="hr-chart"]')?.getAttribute("aria-label") ?? ""));
    await page.getByTestId("steps-chart").locator("canvas").waitFor();
    assert.match(await page.getByTestId("steps-chart").getAttribute("aria-label"), /^Steps per day, last 30 days: \d+ points, min [\d,]+ steps, max [\d,]+ steps$/);
    await page.getByTestId("hypnogram").first().waitFor();
    assert.match(await page.getByTestId("hypnogram").first().getAttribute("aria-label"), /^Sleep hypnogram, night ending \d{4}-\d\d-\d\d: \d+ stage intervals, .*deep \d+/);
    await page.getByTestId("runs").locator("tbody tr").first().waitFor();
    assert.ok((await page.getByTestId("runs").locator("tbody tr").count()) >= 1);
    await page.getByRole("button", { name: "Create onboarding link" }).click();
    const url = await page.getByTestId("onboarding-url").innerText();
    assert.match(url, new RegExp(`^${base}/connect\\?code=[A-Z0-9]{8}$`));
    assert.ok(await page.getByRole("img", { name: "QR code of the onboarding link" }).isVisible());
    await page.waitForTimeout(300); // charts settle (ResizeObserver) before the picture
    await shot(page, "console-05-user");
    await assertAccessible(page, "user");

    await page.emulateMedia({ colorScheme: "dark" });
    await page.waitForTimeout(300); // charts redraw in the dark palette
    await shot(page, "console-06-user-dark");
    await assertAccessible(page, "user (dark)");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("a rejected item shows with its reason in the sync runs; delete needs the typed email", { timeout: 60_000 }, async () => {
    const { page } = owner;
    const user = (await api.call("POST", "/users", { email: "bad@example.org" }, admin())).json;
    const { code } = (await api.call("POST", `/users/${user.id}/invitation-code`, {}, admin())).json;
    const tokens = (await api.redeem(code));
    const at = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
    const src = { appId: "com.apple.health", deviceId: null, deviceName: "Apple Watch", deviceManufacturer: "Apple", deviceModel: "Watch6,1", deviceType: "watch", recordingMethod: "automatic" };
    const res = await api.call("POST", `/sdk/users/${user.id}/sync`, {
      provider: "apple", sdkVersion: "0.9.0", syncTimestamp: at,
      data: { records: [
        { id: "ok-1", type: "HKQuantityTypeIdentifierHeartRate", startDate: at, endDate: at, zoneOffset: null, source: src, value: 61, unit: "bpm", parentId: null, metadata: null },
        { id: "bad-1", type: "HKQuantityTypeIdentifierHeartRate", startDate: at, endDate: at, zoneOffset: null, source: src, value: 900, unit: "bpm", parentId: null, metadata: null },
      ], sleep: [], workouts: [] },
    }, { Authorization: `Bearer ${tokens.access_token}` });
    assert.equal(res.status, 202);
    await page.goto(`${base}/console/users/${user.id}`);
    await page.getByRole("heading", { level: 1, name: "bad@example.org" }).waitFor();
    const runs = page.getByTestId("runs");
    await runs.getByText("1 rejected").click();
    assert.match(await runs.locator(".rejected li").first().innerText(), /^records\[1\] value_out_of_range: /);
    await shot(page, "console-07-rejected");

    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Revoke sessions" }).click();
    await page.getByText("1 session revoked.").waitFor();
    assert.equal((await api.call("POST", "/token/refresh", { refresh_token: tokens.refresh_token })).status, 401, "the phone is signed out");

    const del = page.getByRole("button", { name: "Delete user and data" });
    assert.ok(await del.isDisabled(), "nothing to click until the email is typed");
    await page.getByLabel(/Type .* to confirm/).fill("bad@example.com");
    assert.ok(await del.isDisabled());
    await page.getByLabel(/Type .* to confirm/).fill("bad@example.org");
    await del.click();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    assert.equal((await api.call("GET", `/users/${user.id}`, undefined, admin())).status, 404);
  });

  it("applications, API keys, webhooks: secrets shown once, rotate, revoke, branding preview, test event and delivery log", { timeout: 90_000 }, async () => {
    const { page } = owner;
    await page.getByRole("link", { name: "Applications", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Applications" }).waitFor();
    await page.getByLabel("Name").fill("Coach app");
    await page.getByRole("button", { name: "Create application" }).click();
    const secret = await page.getByTestId("app-secret").innerText();
    assert.match(secret, /^secret_/);
    await page.getByRole("button", { name: "I have stored it" }).click();
    assert.equal(await page.getByText(secret).count(), 0, "the secret is gone once acknowledged");
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Rotate secret of Coach app" }).click();
    const rotated = await page.getByTestId("app-secret").innerText();
    assert.ok(rotated !== secret && rotated.startsWith("secret_"));
    await page.getByRole("button", { name: "Branding of Coach app" }).click();
    await page.getByLabel("Display name").fill("Acme Coaching");
    const preview = page.getByTestId("branding-preview");
    await preview.getByText("Acme Coaching would like to read your health data").waitFor();
    await page.getByRole("checkbox", { name: "Sleep" }).uncheck();
    assert.equal(await preview.getByText("Sleep", { exact: true }).count(), 0, "the preview follows the form");
    await page.getByRole("button", { name: "Save branding" }).click();
    await page.getByText("Branding saved.").waitFor();
    await shot(page, "console-10-apps-branding");
    await assertAccessible(page, "applications");

    await page.getByRole("link", { name: "API keys", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
    await page.getByLabel("Name").fill("backend");
    await page.getByRole("button", { name: "Create API key" }).click();
    const key = await page.getByTestId("api-key").innerText();
    assert.match(key, /^sk-/);
    assert.equal((await api.call("GET", "/users", undefined, { "X-Open-Wearables-API-Key": key })).status, 200);
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Rotate backend" }).click();
    await page.getByTestId("api-key").filter({ hasNotText: key }).waitFor();
    assert.equal((await api.call("GET", "/users", undefined, { "X-Open-Wearables-API-Key": key })).status, 401, "the old key stopped working");
    const newKey = await page.getByTestId("api-key").innerText();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Revoke backend" }).click();
    await page.getByTestId("keys").locator("caption").filter({ hasText: "0 API keys" }).waitFor();
    assert.equal((await api.call("GET", "/users", undefined, { "X-Open-Wearables-API-Key": newKey })).status, 401);
    await assertAccessible(page, "API keys");

    const received = [];
    const receiver = createServer((req, res) => { req.resume(); received.push(req.headers["webhook-id"]); res.end("ok"); });
    await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      await page.getByRole("link", { name: "Webhooks", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Webhooks" }).waitFor();
      await page.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${receiver.address().port}/hook`);
      await page.getByRole("button", { name: "Create endpoint" }).click();
      assert.match(await page.getByTestId("webhook-secret").innerText(), /^whsec_/);
      await page.getByRole("button", { name: /^Send test event to / }).click();
      await page.getByText("Test event queued.").waitFor();
      for (let i = 0; i < 40 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 250));
      assert.equal(received.length, 1, "the receiver got the signed test event");
      // The log follows the queued delivery by itself (no reload): it polls until the test event has an outcome.
      try {
        await page.getByTestId("deliveries").getByRole("cell", { name: "success" }).waitFor({ timeout: 45_000 });
      } catch (err) {
        const endpoints = await (await api.call("GET", "/webhooks/endpoints", undefined, admin())).json().catch(() => null);
        const log = endpoints?.[0] ? await (await api.call("GET", `/webhooks/endpoints/${endpoints[0].id}/attempts`, undefined, admin())).text() : "no endpoint";
        console.error("delivery log, as the API has it:", log.slice(0, 2000), "\npage:", (await page.locator("main").innerText()).slice(0, 2000));
        throw err;
      }
      await page.getByTestId("endpoints").getByRole("cell", { name: "just now" }).waitFor(); // its last success, refreshed with it
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.getByTestId("deliveries").locator("caption").filter({ hasText: "The last 1 deliveries" }).waitFor();
      await shot(page, "console-11-webhooks");
      await assertAccessible(page, "webhooks");
    } finally {
      receiver.close();
    }
  });

  it("assistants (MCP): a grant made through the real OAuth flow is listed, revoked with confirmation, and its token stops", { timeout: 90_000 }, async () => {
    const { page } = owner;
    await page.getByRole("link", { name: "Assistants (MCP)", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Assistants (MCP)" }).waitFor();
    await page.getByTestId("no-grants").waitFor();
    assert.equal(await page.getByTestId("mcp-url").innerText(), `${base}/mcp`, "the empty state names this deployment's /mcp URL");
    await assertAccessible(page, "assistants (empty)");
    await shot(page, "console-12-assistants-empty");

    // An MCP client: dynamic registration, PKCE S256, consent in the owner's signed-in browser, code exchange.
    const callbacks = [];
    const callback = createServer((req, res) => { callbacks.push(new URL(req.url, "http://127.0.0.1")); res.end("You can close this window."); });
    await new Promise((r) => callback.listen(0, "127.0.0.1", r));
    try {
      const redirectUri = `http://127.0.0.1:${callback.address().port}/callback`;
      const registered = await fetch(`${base}/oauth/register`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client_name: "Claude (browser test)", redirect_uris: [redirectUri], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" }),
      });
      assert.equal(registered.status, 201);
      const { client_id } = await registered.json();
      const verifier = randomBytes(32).toString("base64url");
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      const state = randomBytes(8).toString("hex");
      const authorize = new URL(`${base}/oauth/authorize`);
      for (const [k, v] of Object.entries({ response_type: "code", client_id, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: "S256", state, scope: "health:read", resource: `${base}/mcp` })) {
        authorize.searchParams.set(k, v);
      }
      await page.goto(authorize.toString());
      await page.getByRole("heading", { level: 1, name: /Allow Claude \(browser test\)/ }).waitFor();
      await page.getByText("Grace Hopper").first().waitFor();
      assert.equal(await page.getByRole("link", { name: "Assistants (MCP)" }).getAttribute("href"), "/console/assistants", "the consent page says where to revoke");
      await shot(page, "console-13-mcp-consent");
      await page.getByRole("button", { name: "Allow" }).click();
      for (let i = 0; i < 40 && callbacks.length === 0; i++) await new Promise((r) => setTimeout(r, 250));
      assert.equal(callbacks.length, 1, "the browser was sent back to the client's redirect URI");
      assert.equal(callbacks[0].searchParams.get("state"), state);
      const code = callbacks[0].searchParams.get("code");
      assert.ok(code);
      const exchanged = await fetch(`${base}/oauth/token`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id, code_verifier: verifier, resource: `${base}/mcp` }),
      });
      assert.equal(exchanged.status, 200);
      const { access_token } = await exchanged.json();
      const mcp = async () => {
        const res = await fetch(`${base}/mcp`, {
          method: "POST",
          headers: { Authorization: `Bearer ${access_token}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        });
        return { status: res.status, text: await res.text() };
      };
      const before = await mcp();
      assert.equal(before.status, 200);
      assert.match(before.text, /get_users/, "the token works at /mcp");

      await page.goto(`${base}/console/assistants`);
      const table = page.getByTestId("grants");
      await table.locator("caption").filter({ hasText: "1 assistant has access" }).waitFor();
      assert.match(await table.locator("tbody tr").first().innerText(), /^Claude \(browser test\)\s+Grace Hopper\s+health:read\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+Revoke$/);
      await assertAccessible(page, "assistants");
      await shot(page, "console-14-assistants");
      await page.emulateMedia({ colorScheme: "dark" });
      await assertAccessible(page, "assistants (dark)");
      await shot(page, "console-15-assistants-dark");
      await page.emulateMedia({ colorScheme: "light" });

      // Declining the confirmation keeps the grant; accepting it (keyboard only) revokes.
      page.once("dialog", (d) => d.dismiss());
      await page.getByRole("button", { name: "Revoke Claude (browser test)" }).click();
      assert.equal((await mcp()).status, 200, "a dismissed confirmation revokes nothing");
      let asked = "";
      page.once("dialog", (d) => { asked = d.message(); d.accept(); });
      await page.getByRole("button", { name: "Revoke Claude (browser test)" }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("status").filter({ hasText: "“Claude (browser test)” no longer has access." }).waitFor();
      assert.match(asked, /Revoke access of “Claude \(browser test\)”/);
      await page.getByTestId("no-grants").waitFor();
      assert.equal((await mcp()).status, 401, "the revoked token gets 401 at /mcp");
      assert.equal((await api.call("GET", "/mcp/grants", undefined, admin())).json.total, 0);
    } finally {
      callback.close();
    }
  });

  it("team: an owner invites a member by a one-time link and removes them; the member's session ends", { timeout: 90_000 }, async () => {
    const { page } = owner;
    await page.getByRole("link", { name: "Team", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Team" }).waitFor();
    await page.getByRole("button", { name: "Create invitation link" }).click();
    const link = localhostOf(await page.getByTestId("invite-url").innerText());
    await assertAccessible(page, "team");
    const member = await join(link, "Max Member");
    try {
      await member.page.getByRole("link", { name: "Team", exact: true }).click();
      await member.page.getByText("Only owners can invite or remove members.").waitFor();
      assert.equal(await member.page.getByRole("button", { name: "Create invitation link" }).count(), 0);
      await page.reload();
      await page.getByTestId("members").getByText("Max Member").waitFor();
      await shot(page, "console-08-team");
      page.once("dialog", (d) => d.accept());
      await page.getByRole("button", { name: "Remove Max Member" }).click();
      await page.getByTestId("members").getByText("Max Member").waitFor({ state: "detached" });
      await member.page.getByRole("link", { name: "Users", exact: true }).click();
      await member.page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
      // Their passkey no longer signs in.
      await member.page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await member.page.getByRole("alert").waitFor();
    } finally {
      await member.close();
    }
  });

  it("a member of another organization never sees this organization's users", { timeout: 90_000 }, async () => {
    const org = (await api.call("POST", "/organizations", { name: "Rival Labs" }, admin())).json;
    const rivalUser = (await api.call("POST", "/users", { email: "rival-user@example.org" }, { ...admin(), "X-Open-Wearables-Organization": org.id })).json;
    const rival = await join(await signupLink(org.id), "Rita Rival");
    try {
      const { page } = rival;
      assert.equal(await page.getByTestId("org-name").innerText(), "Rival Labs");
      assert.equal(await page.getByTestId("stat-users").innerText(), "1");
      await page.getByRole("link", { name: "Users", exact: true }).click();
      await page.locator("table caption").filter({ hasText: "1 user," }).waitFor();
      assert.match(await page.locator("tbody").innerText(), /rival-user@example\.org/);
      assert.doesNotMatch(await page.locator("tbody").innerText(), /ada@example\.org/);
      await page.goto(`${base}/console/users/${ada.id}`);
      await page.getByRole("heading", { level: 1, name: "User not found" }).waitFor();
      await shot(page, "console-09-other-org-404");
      // And the owner of the default organization does not see the rival's user.
      await owner.page.goto(`${base}/console/users/${rivalUser.id}`);
      await owner.page.getByRole("heading", { level: 1, name: "User not found" }).waitFor();
      const seen = await exposedText(owner.page, owner.urls);
      assert.doesNotMatch(seen, /cs_[0-9a-f]{64}|cl_[0-9a-f]{48}/, "no session id or link token in URLs, DOM or storage");
    } finally {
      await rival.close();
    }
  });

  it("keyboard only: skip link, navigation and sign-out without a mouse", { timeout: 60_000 }, async () => {
    const { page } = owner;
    await page.goto(`${base}/console`);
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
    await page.keyboard.press("Tab"); // Sign out
    await page.keyboard.press("Tab"); // Overview
    await page.keyboard.press("Tab"); // Users
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Users");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    await owner.close();
  });
});
