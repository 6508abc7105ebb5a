import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api } from "../setup/harness";
import { ORIGIN, ownerOf } from "./console-helpers";

describe("console management: the API's own routes, with the member's session, in the member's organization", () => {
  it("applications: create (secret once), list, rotate, branding; another organization sees none of it", async () => {
    const owner = await ownerOf("org_manage_a");
    const created = await owner.call("POST", "/console/manage/applications", { name: "Coach app" });
    expect(created.status).toBe(201);
    expect(created.json.app_secret).toMatch(/^secret_/);
    const list = await owner.call("GET", "/console/manage/applications");
    expect(list.json.map((a: any) => a.app_id)).toEqual([created.json.app_id]);
    expect(JSON.stringify(list.json)).not.toContain(created.json.app_secret);
    const rotated = await owner.call("POST", `/console/manage/applications/${created.json.app_id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.app_secret).not.toBe(created.json.app_secret);
    const settings = await owner.call("PATCH", `/console/manage/applications/${created.json.app_id}/settings`, { display_name: "Coach", accent_color: "#E4572E" });
    expect(settings.status).toBe(200);
    expect((await owner.call("PATCH", `/console/manage/applications/${created.json.app_id}/settings`, { accent_color: "red" })).status).toBe(400);

    // The admin's view of the default organization does not contain it; the API sees it only in its organization.
    expect((await api.get("/applications", { headers: ADMIN })).json.some((a: any) => a.app_id === created.json.app_id)).toBe(false);
    const other = await ownerOf("org_manage_b");
    expect((await other.call("GET", "/console/manage/applications")).json).toEqual([]);
    expect((await other.call("POST", `/console/manage/applications/${created.json.app_id}/rotate-secret`)).status).toBe(404);
    expect((await other.call("GET", `/console/manage/applications/${created.json.app_id}/settings`)).status).toBe(404);
  });

  it("API keys: create (shown once), rotate, revoke; the key works for its organization only", async () => {
    const owner = await ownerOf("org_manage_keys");
    const key = await owner.call("POST", "/console/manage/developer/api-keys", { name: "backend" });
    expect(key.status).toBe(201);
    const sk = key.json.id as string;
    const listed = await owner.call("GET", "/console/manage/developer/api-keys");
    expect(JSON.stringify(listed.json)).not.toContain(sk);
    // The key acts in the console's organization: it lists that organization's (no) users.
    expect((await api.get("/users", { headers: { "X-Open-Wearables-API-Key": sk } })).json.total).toBe(0);
    const rotated = await owner.call("POST", `/console/manage/developer/api-keys/${listed.json[0].id}/rotate`);
    expect(rotated.status).toBe(201);
    expect((await api.get("/users", { headers: { "X-Open-Wearables-API-Key": sk } })).status).toBe(401);
    expect((await owner.call("DELETE", `/console/manage/developer/api-keys/${listed.json[0].id}`)).status).toBe(200);
    expect((await api.get("/users", { headers: { "X-Open-Wearables-API-Key": rotated.json.id } })).status).toBe(401);
  });

  it("webhooks: endpoint, test event, delivery log, re-enable", async () => {
    const owner = await ownerOf("org_manage_hooks");
    const ep = await owner.call("POST", "/console/manage/webhooks/endpoints", { url: "https://hooks.example.org/ow", filter_types: ["sync.completed"] });
    expect(ep.status).toBe(201);
    const list = await owner.call("GET", "/console/manage/webhooks/endpoints");
    expect(list.json).toHaveLength(1);
    expect((await owner.call("POST", `/console/manage/webhooks/endpoints/${ep.json.id}/test`, {})).status).toBe(200);
    const attempts = await owner.call("GET", `/console/manage/webhooks/endpoints/${ep.json.id}/attempts`);
    expect(attempts.status).toBe(200);
    const disabled = await owner.call("PATCH", `/console/manage/webhooks/endpoints/${ep.json.id}`, { enabled: false });
    expect(disabled.json.enabled).toBe(false);
    expect((await owner.call("PATCH", `/console/manage/webhooks/endpoints/${ep.json.id}`, { enabled: true })).json.enabled).toBe(true);
    const other = await ownerOf("org_manage_hooks_b");
    expect((await other.call("GET", `/console/manage/webhooks/endpoints/${ep.json.id}`)).status).toBe(404);
  });

  it("needs a console session and the console's cross-site checks; organizations stay operator-only", async () => {
    expect((await api.get("/console/manage/applications", { headers: { ...ADMIN, "X-Console-Request": "1" } })).status).toBe(401);
    const owner = await ownerOf("org_manage_guard");
    const noHeader = await SELF.fetch(`${ORIGIN}/api/v1/console/manage/applications`, { headers: { Cookie: owner.cookie! } });
    expect(noHeader.status).toBe(403);
    const foreign = await owner.call("POST", "/console/manage/applications", { name: "x" }, { Origin: "https://evil.test" });
    expect(foreign.status).toBe(403);
    expect((await owner.call("GET", "/console/manage/organizations")).status).toBe(404);
    expect((await owner.call("GET", "/organizations")).status).toBe(401);
  });
});
