import { inject } from "vitest";

/** Talks to the real local Worker as a customer backend would (admin key), to set up users and credentials. */
export const origin = () => inject("workerOrigin");
const admin = () => ({ "X-Open-Wearables-API-Key": inject("adminKey"), "Content-Type": "application/json" });

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = admin()) {
  const res = await fetch(`${origin()}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, json, text };
}

export async function createUser(): Promise<string> {
  const r = await call("POST", "/users", { external_user_id: `shim-${Math.random().toString(36).slice(2)}` });
  if (r.status !== 201) throw new Error(`createUser ${r.status} ${r.text}`);
  return r.json.id as string;
}

export interface Tokens { access_token: string; refresh_token: string }
export async function mintTokens(userId: string): Promise<Tokens> {
  const r = await call("POST", `/users/${userId}/token`, {});
  if (r.status !== 200) throw new Error(`mintTokens ${r.status} ${r.text}`);
  return r.json as Tokens;
}

export async function invitationCode(userId: string): Promise<string> {
  const r = await call("POST", `/users/${userId}/invitation-code`, {});
  if (r.status !== 201) throw new Error(`invitationCode ${r.status} ${r.text}`);
  return r.json.code as string;
}

export async function refreshWith(refreshToken: string) {
  return call("POST", "/token/refresh", { refresh_token: refreshToken }, { "Content-Type": "application/json" });
}

export async function workouts(userId: string) {
  const r = await call("GET", `/users/${userId}/events/workouts?start_date=2000-01-01T00:00:00Z&end_date=2100-01-01T00:00:00Z&limit=100`);
  return r;
}

export const api = call;
