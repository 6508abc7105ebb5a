import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createApplication, createUser } from "../setup/harness";

/** Each test gets its own client address, so the per-IP rate limits do not leak between tests. */
let ipSeq = 0;
const ip = () => ({ "CF-Connecting-IP": `198.51.100.${++ipSeq}` });
/** The code travels in a header (never the path or query string, which request logs keep). */
const info = (code: string, headers: Record<string, string> = ip()) => api.get("/connect", { headers: { ...headers, "X-Invitation-Code": code } });
const status = (code: string, headers: Record<string, string> = ip()) => api.get("/connect/status", { headers: { ...headers, "X-Invitation-Code": code } });

async function invite(appId?: string) {
  const user = await createUser();
  const res = await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN, body: appId ? { app_id: appId } : {} });
  expect(res.status).toBe(201);
  return { user, code: res.json.code as string };
}

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
function expectNoSecrets(text: string) {
  expect(text).not.toMatch(JWT);
  expect(text).not.toMatch(/access_token|refresh_token|app_secret/);
}

describe("GET /connect (code in X-Invitation-Code)", () => {
  it("shows the application's branding and requested types for a valid code, and nothing secret", async () => {
    const app = await createApplication("Acme");
    await api.patch(`/applications/${app.app_id}/settings`, {
      headers: ADMIN,
      body: { display_name: "Acme Coaching", accent_color: "#0A7CFF", requested_data_types: ["sleep", "steps"], deep_link_scheme: "acme" },
    });
    const { code, user } = await invite(app.app_id);
    const res = await info(code);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.json).toEqual({
      code_state: "valid",
      expires_at: expect.stringMatching(/Z$/),
      application: {
        display_name: "Acme Coaching", logo_url: null, accent_color: "#0a7cff", deep_link_scheme: "acme",
        universal_link_base_url: null, app_store_url: null, play_store_url: null, redirect_url: null,
      },
      requested_data_types: ["sleep", "steps"],
    });
    expect(res.text).not.toContain(user.id);
    expect(res.text).not.toContain(app.app_id);
    expectNoSecrets(res.text);
  });

  it("is forgiving of case, spaces and dashes as people type codes", async () => {
    const { code } = await invite();
    const typed = `${code.slice(0, 4).toLowerCase()} -${code.slice(4)}`;
    const res = await info(typed);
    expect(res.status).toBe(200);
    expect(res.json.code_state).toBe("valid");
    // A code without an application gets the defaults.
    expect(res.json.application.deep_link_scheme).toBe("openwearables");
    expect(res.json.application.display_name).toBeNull();
  });

  it("is 404 for an unknown code and 400 for a malformed one", async () => {
    const unknown = await info("ABCDEFGH");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ detail: "Unknown invitation code" });
    const malformed = await info("0000");
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.json)).toEqual(["detail"]);
  });

  it("is 410 for an expired code and for one replaced by a newer code", async () => {
    const { code, user } = await invite();
    await env.DB.prepare(`UPDATE invitation_codes SET expires_at = ? WHERE user_id = ?`).bind(Date.now() - 1, user.id).run();
    const expired = await info(code);
    expect(expired.status).toBe(410);
    expect(expired.json).toMatchObject({ detail: expect.stringMatching(/expired/), code_state: "expired" });

    const second = await invite();
    const newer = await api.post(`/users/${second.user.id}/invitation-code`, { headers: ADMIN });
    expect((await info(second.code)).status).toBe(410);
    expect((await info(newer.json.code)).json.code_state).toBe("valid");
  });

  it("keeps answering once the app redeemed the code (state used)", async () => {
    const { code } = await invite();
    expect((await api.post("/invitation-code/redeem", { body: { code }, headers: ip() })).status).toBe(200);
    const res = await info(code);
    expect(res.status).toBe(200);
    expect(res.json.code_state).toBe("used");
    expectNoSecrets(res.text);
  });
});

describe("GET /connect/status (code in X-Invitation-Code)", () => {
  it("walks from waiting for the app to connected, with counts only", async () => {
    const { code, user } = await invite();
    const waiting = await status(code);
    expect(waiting.status).toBe(200);
    expect(waiting.json).toEqual({
      code_state: "valid", stage: "waiting_for_app", connected_at: null, total_records: 0, total_workouts: 0,
      total_sleep_sessions: 0, first_data_at: null, last_sync_at: null, server_time: expect.stringMatching(/Z$/),
    });

    const redeem = await api.post("/invitation-code/redeem", { body: { code: code.toLowerCase() }, headers: ip() });
    expect(redeem.status).toBe(200);
    const connected = await status(code);
    expect(connected.status).toBe(200);
    expect(connected.json).toMatchObject({ code_state: "used", stage: "connected", connected_at: expect.stringMatching(/Z$/) });
    expect(connected.json.total_records).toBeGreaterThanOrEqual(0);
    expect(connected.text).not.toContain(user.id);
    expectNoSecrets(connected.text);
    expect(connected.text).not.toContain(redeem.json.access_token);
    expect(connected.text).not.toContain(redeem.json.refresh_token);
  });

  it("reports data once the user's store has some", async () => {
    const { code, user } = await invite();
    await api.post("/invitation-code/redeem", { body: { code }, headers: ip() });
    const stub = env.USER_DATA.get(env.USER_DATA.idFromName(user.id));
    const stats = await stub.stats();
    const res = await status(code);
    expect(res.status).toBe(200);
    expect(res.json.total_records).toBe(stats.total_records);
    expect(res.json.stage).toBe(stats.total_records > 0 ? "receiving_data" : "connected");
  });

  it("stops showing status a week after redemption, and for unknown codes", async () => {
    const { code, user } = await invite();
    await api.post("/invitation-code/redeem", { body: { code }, headers: ip() });
    await env.DB.prepare(`UPDATE invitation_codes SET redeemed_at = ? WHERE user_id = ?`)
      .bind(Date.now() - 8 * 24 * 3600_000, user.id).run();
    const old = await status(code);
    expect(old.status).toBe(410);
    expect(old.json).toEqual({ detail: expect.any(String), code_state: "expired" });
    const unknown = await status("ZZZZZZZZ");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ detail: "Unknown invitation code" });
  });
});

describe("rate limits", () => {
  it("allows steady status polling but not more than 120 requests a minute per client", async () => {
    const { code } = await invite();
    const headers = ip();
    for (let i = 0; i < 120; i++) expect((await status(code, headers)).status).toBe(200);
    const limited = await status(code, headers);
    expect(limited.status).toBe(429);
    expect(limited.json.detail).toMatch(/Too many attempts/);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Another client is unaffected.
    expect((await status(code)).status).toBe(200);
  });

  it("charges unknown codes heavily: after 6 guesses even a real code is refused", async () => {
    const { code } = await invite();
    const headers = ip();
    for (let i = 0; i < 6; i++) expect((await info(`QQQQQQQ${"ABCDEF"[i]}`, headers)).status).toBe(404);
    expect((await info("QQQQQQQG", headers)).status).toBe(429);
    expect((await info(code, headers)).status).toBe(429);
  });

  it("charges malformed codes like unknown ones", async () => {
    const headers = ip();
    for (let i = 0; i < 6; i++) expect((await info("short", headers)).status).toBe(400);
    expect((await info("short", headers)).status).toBe(429);
  });
});

describe("the code never travels in a path or query string", () => {
  it("a request without the header is a 400 (and charged like a wrong guess), not the PWA", async () => {
    const headers = ip();
    const res = await api.get("/connect", { headers });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/X-Invitation-Code/);
    expect((await api.get("/connect/status", { headers })).status).toBe(400);
  });

  it("the old /connect/{code} paths are gone: a real code there is a 404 and its state is not revealed", async () => {
    const { code } = await invite();
    for (const path of [`/connect/${code}`, `/connect/${code}/status`, `/connect?code=${code}`, `/connect/status?code=${code}`]) {
      const res = await api.get(path, { headers: ip() });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.text, path).not.toMatch(/code_state/);
    }
  });
});
