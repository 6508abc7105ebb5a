import { describe, expect, it } from "vitest";
import { ADMIN, api, createApiKey, createApplication } from "../setup/harness";

describe("GET/PATCH /applications/{app_id}/settings", () => {
  it("reads defaults for an application that has set nothing", async () => {
    const app = await createApplication("Acme Health");
    const res = await api.get(`/applications/${app.app_id}/settings`, { headers: ADMIN });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      app_id: app.app_id,
      display_name: "Acme Health",
      logo_url: null,
      accent_color: null,
      requested_data_types: ["steps", "heartRate", "sleep", "workout", "activeEnergy"],
      deep_link_scheme: "openwearables",
      universal_link_base_url: null,
      app_store_url: null,
      play_store_url: null,
      redirect_url: null,
      updated_at: null,
    });
  });

  it("updates some fields, keeps the others, and null resets to the default", async () => {
    const app = await createApplication();
    const first = await api.patch(`/applications/${app.app_id}/settings`, {
      headers: ADMIN,
      body: {
        display_name: "  Acme Coaching ",
        logo_url: "https://cdn.acme.example/logo.svg",
        accent_color: "#0A7CFF",
        requested_data_types: ["steps", "sleep", "steps"],
        deep_link_scheme: "AcmeHealth",
        universal_link_base_url: "https://links.acme.example/ow",
        app_store_url: "https://apps.apple.com/app/id123",
        play_store_url: "https://play.google.com/store/apps/details?id=com.acme",
        redirect_url: "http://localhost:3000/done",
      },
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      display_name: "Acme Coaching",
      accent_color: "#0a7cff",
      requested_data_types: ["steps", "sleep"],
      deep_link_scheme: "acmehealth",
      redirect_url: "http://localhost:3000/done",
    });
    expect(first.json.updated_at).toMatch(/Z$/);

    const second = await api.patch(`/applications/${app.app_id}/settings`, {
      headers: ADMIN, body: { deep_link_scheme: null, accent_color: null, logo_url: "https://cdn.acme.example/2.png" },
    });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      display_name: "Acme Coaching",
      deep_link_scheme: "openwearables",
      accent_color: null,
      logo_url: "https://cdn.acme.example/2.png",
      requested_data_types: ["steps", "sleep"],
    });
    const read = await api.get(`/applications/${app.app_id}/settings`, { headers: ADMIN });
    expect(read.json).toEqual(second.json);
  });

  it.each([
    [{ colour: "#fff" }, /^Unrecognized key: "colour"$/],
    [{ accent_color: "#fff" }, /^accent_color: must be a colour as #rrggbb$/],
    [{ accent_color: "red" }, /^accent_color:/],
    [{ logo_url: "http://cdn.acme.example/logo.png" }, /^logo_url: must be an https URL/],
    [{ logo_url: "javascript:alert(1)" }, /^logo_url: must be an https URL/],
    [{ redirect_url: "https://user:pw@acme.example/" }, /^redirect_url:/],
    [{ app_store_url: "not a url" }, /^app_store_url:/],
    [{ requested_data_types: ["steps", "bloodType"] }, /^requested_data_types\.1: unknown data type "bloodType"/],
    [{ requested_data_types: [] }, /^requested_data_types:/],
    [{ deep_link_scheme: "https" }, /^deep_link_scheme: is reserved/],
    [{ deep_link_scheme: "javascript" }, /^deep_link_scheme: is reserved/],
    [{ deep_link_scheme: "my app" }, /^deep_link_scheme: must be a URL scheme/],
    [{ display_name: "   " }, /^display_name:/],
    [{ display_name: "x".repeat(101) }, /^display_name:/],
  ])("rejects %j with 400 {detail}", async (body, detail) => {
    const app = await createApplication();
    const res = await api.patch(`/applications/${app.app_id}/settings`, { headers: ADMIN, body });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json)).toEqual(["detail"]);
    expect(res.json.detail).toMatch(detail);
  });

  it("rejects a non-JSON body and malformed JSON with 400", async () => {
    const app = await createApplication();
    const text = await api.patch(`/applications/${app.app_id}/settings`, {
      headers: { ...ADMIN, "Content-Type": "text/plain" }, rawBody: "display_name=x",
    });
    expect(text.status).toBe(400);
    const broken = await api.patch(`/applications/${app.app_id}/settings`, {
      headers: { ...ADMIN, "Content-Type": "application/json" }, rawBody: "{",
    });
    expect(broken.status).toBe(400);
    expect(broken.json.detail).toBeTypeOf("string");
  });

  it("needs the admin key: none, wrong, or a customer API key are 401", async () => {
    const app = await createApplication();
    const key = await createApiKey();
    for (const headers of <Record<string, string>[]>[{}, { "X-Open-Wearables-API-Key": "nope" }, { "X-Open-Wearables-API-Key": key.id }]) {
      const read = await api.get(`/applications/${app.app_id}/settings`, { headers });
      expect(read.status).toBe(401);
      expect(read.json).toEqual({ detail: expect.stringMatching(/^Admin API key required/) });
      const write = await api.patch(`/applications/${app.app_id}/settings`, { headers, body: { display_name: "x" } });
      expect(write.status).toBe(401);
    }
  });

  it("is 404 for an unknown application", async () => {
    const read = await api.get("/applications/app_nope/settings", { headers: ADMIN });
    expect(read.status).toBe(404);
    expect(read.json).toEqual({ detail: "Application not found" });
    const write = await api.patch("/applications/app_nope/settings", { headers: ADMIN, body: { display_name: "x" } });
    expect(write.status).toBe(404);
  });

  it("goes away with its application", async () => {
    const app = await createApplication();
    await api.patch(`/applications/${app.app_id}/settings`, { headers: ADMIN, body: { display_name: "Gone soon" } });
    expect((await api.delete(`/applications/${app.app_id}`, { headers: ADMIN })).status).toBe(204);
    expect((await api.get(`/applications/${app.app_id}/settings`, { headers: ADMIN })).status).toBe(404);
  });
});
