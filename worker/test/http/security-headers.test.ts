import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, call, createApplication, createUser } from "../setup/harness";

// Attack findings kept as tests: token and data answers that a browser or proxy could store, JSON a browser could
// sniff as HTML, no HSTS, and an API reference page that ran an unpinned third-party script.

const expectPrivate = (res: { headers: Headers }, what: string) => {
  expect(res.headers.get("Cache-Control"), what).toBe("no-store");
  expect(res.headers.get("X-Content-Type-Options"), what).toBe("nosniff");
  expect(res.headers.get("Strict-Transport-Security"), what).toBe("max-age=31536000");
};

describe("security headers on API responses", () => {
  it("tokens, keys and personal data are no-store, nosniff and HSTS over https", async () => {
    const app = await createApplication("Headers app");
    const user = await createUser({ email: "h@example.com" });
    const token = await api.post(`/users/${user.id}/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } });
    expect(token.status).toBe(200);
    expectPrivate(token, "token");
    const key = await api.post("/developer/api-keys", { headers: ADMIN, body: { name: "k" } });
    expect(key.status).toBe(201);
    expectPrivate(key, "api key");
    const read = await api.get(`/users/${user.id}`, { headers: ADMIN });
    expect(read.status).toBe(200);
    expectPrivate(read, "user");
    const code = await api.post(`/users/${user.id}/invitation-code`, { headers: ADMIN, body: {} });
    expect(code.status).toBe(201);
    expectPrivate(code, "invitation code");
    const redeemed = await api.post("/invitation-code/redeem", { body: { code: code.json.code }, headers: { "CF-Connecting-IP": "198.51.100.77" } });
    expect(redeemed.status).toBe(200);
    expectPrivate(redeemed, "redeem");
  });

  it("errors carry them too (401, 400, 404, 405-ish unknown path)", async () => {
    expectPrivate(await api.get("/users"), "401");
    expectPrivate(await api.get("/users/not-a-uuid", { headers: ADMIN }), "400");
    expectPrivate(await api.get("/no-such-route", { headers: ADMIN }), "404");
    expectPrivate(await api.post("/invitation-code/redeem", { body: { code: "!" }, headers: { "CF-Connecting-IP": "198.51.100.78" } }), "redeem 400");
  });

  it("public cacheable answers keep their own Cache-Control but still get nosniff", async () => {
    const jwks = await call("GET", "/.well-known/jwks.json");
    expect(jwks.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(jwks.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const root = await call("GET", "/");
    expect(root.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("HSTS only when served over https", async () => {
    const res = await SELF.fetch("http://localhost:8787/api/v1/users", { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.headers.get("Strict-Transport-Security")).toBeNull();
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });
});

describe("API reference page", () => {
  it("loads only same-origin scripts, no inline script, under a strict CSP", async () => {
    const res = await call("GET", "/api/v1/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    const csp = res.headers.get("Content-Security-Policy")!;
    const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["connect-src"]).toEqual(["'self'"]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");

    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim(), "no inline script").toBe("");
      const src = attrs!.match(/src="([^"]+)"/)?.[1];
      expect(src, "same-origin path").toMatch(/^\/[^/]/);
    }
    // The viewer is pinned: its file name carries the version.
    expect(res.text).toMatch(/src="\/api-docs\/scalar-api-reference-\d+\.\d+\.\d+\.js"/);
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it("documents the connect endpoints with the code in a header, never in the path", async () => {
    const doc = await api.get("/openapi.json");
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.json.paths);
    expect(paths).toContain("/connect");
    expect(paths).toContain("/connect/status");
    expect(paths.filter((p) => /\{code\}/.test(p))).toEqual([]);
    const params = doc.json.paths["/connect/status"].get.parameters;
    expect(params).toContainEqual(expect.objectContaining({ name: "x-invitation-code", in: "header" }));
  });
});
