import { SELF, createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";

/** Drives the Worker through its fetch handler, as a client would, and seeds what a test needs. */

export const ADMIN = { "X-Open-Wearables-API-Key": "test-admin-key" };
const BASE = "https://api.test";

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: BodyInit;
}

export async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, body });
  const text = await res.text();
  let json: any = undefined;
  try { json = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

export const api = {
  get: (path: string, opts?: CallOptions) => call("GET", `/api/v1${path}`, opts),
  post: (path: string, opts?: CallOptions) => call("POST", `/api/v1${path}`, opts),
  patch: (path: string, opts?: CallOptions) => call("PATCH", `/api/v1${path}`, opts),
  delete: (path: string, opts?: CallOptions) => call("DELETE", `/api/v1${path}`, opts),
};

export async function createApplication(name = "Test app") {
  const res = await api.post("/applications", { headers: ADMIN, body: { name } });
  if (res.status !== 201) throw new Error(`createApplication: ${res.status} ${res.text}`);
  return res.json as { id: string; app_id: string; app_secret: string; name: string };
}

export async function createApiKey(name = "backend") {
  const res = await api.post("/developer/api-keys", { headers: ADMIN, body: { name } });
  if (res.status !== 201) throw new Error(`createApiKey: ${res.status} ${res.text}`);
  return res.json as { id: string; key_id: string };
}

export async function createUser(fields: Record<string, unknown> = {}) {
  const res = await api.post("/users", { headers: ADMIN, body: fields });
  if (res.status !== 201) throw new Error(`createUser: ${res.status} ${res.text}`);
  return res.json as { id: string; email: string | null };
}

export interface Tokens { access_token: string; refresh_token: string; expires_in: number; token_type: string }

export async function mintTokens(userId: string, app: { app_id: string; app_secret: string }) {
  const res = await api.post(`/users/${userId}/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } });
  if (res.status !== 200) throw new Error(`mintTokens: ${res.status} ${res.text}`);
  return res.json as Tokens;
}

/** A user with a live SDK session minted from a fresh application. */
export async function signedInUser() {
  const app = await createApplication();
  const user = await createUser();
  const tokens = await mintTokens(user.id, app);
  return { app, user, tokens };
}

export const refresh = (refresh_token: string) => api.post("/token/refresh", { body: { refresh_token } });

export const rowCount = async (table: string, where = "1=1", ...params: unknown[]) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).bind(...params).first<{ n: number }>())!.n;

/**
 * Calls the app's fetch handler directly with the bindings given (e.g. an instrumented or an upgraded D1), waiting
 * for its waitUntil work before returning.
 */
export async function fetchApp(
  app: { fetch: (req: Request, env: Cloudflare.Env, ctx: ExecutionContext) => Response | Promise<Response> },
  bindings: Cloudflare.Env, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}/api/v1${path}`, {
    method, headers: { "Content-Type": "application/json", ...init.headers }, body: init.body === undefined ? undefined : JSON.stringify(init.body),
  }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
