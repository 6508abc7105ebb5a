import { expect } from "vitest";
import { ADMIN, api, call } from "../setup/harness";

/** The start of the uploaded data in the MCP tests. */
export const START = Date.UTC(2026, 9, 1, 6, 0, 0);
export const ORG = "X-Open-Wearables-Organization";

/** An organization with an API key, a user with uploaded data (through an application's session) and one without. */
export interface Tenant { orgId: string; key: string; userId: string; otherUserId: string }

export async function tenant(name: string, uploads: unknown[]): Promise<Tenant> {
  const org = await api.post("/organizations", { headers: ADMIN, body: { name } });
  expect(org.status).toBe(201);
  const admin = { ...ADMIN, [ORG]: org.json.id };
  const key = (await api.post("/developer/api-keys", { headers: admin, body: { name: `${name} backend` } })).json.id as string;
  const app = (await api.post("/applications", { headers: admin, body: { name: `${name} app` } })).json;
  const withKey = { "X-Open-Wearables-API-Key": key };
  const user = (await api.post("/users", { headers: withKey, body: { first_name: "Pat", last_name: name, email: `pat@${name.toLowerCase()}.io` } })).json;
  const other = (await api.post("/users", { headers: withKey, body: { first_name: "Sam", last_name: name } })).json;
  const tokens = (await api.post(`/users/${user.id}/token`, { body: { app_id: app.app_id, app_secret: app.app_secret } })).json;
  for (const body of uploads) {
    const up = await call("POST", `/api/v1/sdk/users/${user.id}/sync`, { headers: { Authorization: `Bearer ${tokens.access_token}` }, body });
    expect(up.status).toBe(202);
  }
  return { orgId: org.json.id, key, userId: user.id, otherUserId: other.id };
}
