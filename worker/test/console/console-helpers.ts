import { SELF, env } from "cloudflare:test";
import { ADMIN, api } from "../setup/harness";
import { SoftPasskey } from "./soft-authenticator";

/** A console browser: keeps its session cookie, sends the console header and its own Origin like the real page. */
export const ORIGIN = "https://api.test";

export class ConsoleClient {
  cookie: string | null = null;
  constructor(readonly passkey = new SoftPasskey(ORIGIN)) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { "X-Console-Request": "1", Origin: ORIGIN, ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (body !== undefined) h["Content-Type"] = "application/json";
    const res = await SELF.fetch(`${ORIGIN}/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get("Set-Cookie");
    if (setCookie) {
      const pair = setCookie.split(";")[0]!;
      this.cookie = pair.endsWith("=") ? null : pair;
    }
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, setCookie, headers: res.headers };
  }

  async signUp(linkUrl: string, name = "Ada") {
    const token = new URL(linkUrl).hash.replace(/^#t=/, "");
    const opts = await this.call("POST", "/console/auth/register/options", { token, display_name: name });
    if (opts.status !== 200) return opts;
    const response = await this.passkey.create(opts.json.options);
    return this.call("POST", "/console/auth/register/verify", { ceremony_id: opts.json.ceremony_id, response });
  }

  async signIn() {
    const opts = await this.call("POST", "/console/auth/login/options", {});
    const response = await this.passkey.get(opts.json.options);
    return this.call("POST", "/console/auth/login/verify", { ceremony_id: opts.json.ceremony_id, response });
  }
}

export async function signupLink(organization_id?: string, role?: "owner" | "member") {
  const res = await api.post("/console/signup-links", { headers: ADMIN, body: { organization_id, role } });
  if (res.status !== 201) throw new Error(`signupLink: ${res.status} ${res.text}`);
  return res.json as { id: string; url: string };
}

/** An organization with a signed-in owner. */
export async function ownerOf(orgId = "org_default", name = "Owner") {
  if (orgId !== "org_default") {
    await env.DB.prepare(`INSERT OR IGNORE INTO organizations (id, name, created_at) VALUES (?, ?, ?)`).bind(orgId, `Org ${orgId}`, Date.now()).run();
  }
  const client = new ConsoleClient();
  const res = await client.signUp((await signupLink(orgId)).url, name);
  if (res.status !== 201) throw new Error(`ownerOf: ${res.status} ${JSON.stringify(res.json)}`);
  return client;
}
