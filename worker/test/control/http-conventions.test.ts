import { describe, expect, it } from "vitest";
import { ADMIN, api, call, rowCount } from "../setup/harness";

describe("HTTP conventions", () => {
  it("answers unknown paths with 404 {detail}", async () => {
    const res = await call("GET", "/api/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ detail: "Not Found" });
  });

  it("treats a trailing slash like none", async () => {
    const res = await call("POST", "/api/v1/users/", { headers: ADMIN, body: {} });
    expect(res.status).toBe(201);
    expect((await call("GET", "/api/v1/users/", { headers: ADMIN })).status).toBe(200);
  });

  it("checks credentials before validating the request", async () => {
    expect((await api.post("/users", { body: { email: 42 } })).status).toBe(401);
    expect((await api.post("/users", { headers: ADMIN, body: { email: 42 } })).status).toBe(400);
  });

  it("answers malformed JSON with 400 {detail} and writes nothing", async () => {
    const before = await rowCount("users");
    const res = await api.post("/users", { headers: { ...ADMIN, "Content-Type": "application/json" }, rawBody: "{not json" });
    expect(res.status).toBe(400);
    expect(res.json.detail).toMatch(/JSON decode error/);
    expect(await rowCount("users")).toBe(before);
  });

  it("reads a body without Content-Type as JSON and refuses other content types", async () => {
    const noType = await api.post("/applications", { headers: ADMIN, rawBody: new TextEncoder().encode(JSON.stringify({ name: "untyped" })) });
    expect(noType.status).toBe(201);
    expect(noType.json.name).toBe("untyped");
    const form = await api.post("/applications", {
      headers: { ...ADMIN, "Content-Type": "application/x-www-form-urlencoded" }, rawBody: "name=x",
    });
    expect(form.status).toBe(400);
    expect(form.json.detail).toMatch(/Content-Type/);
  });

  it("answers an oversize body with 413 naming the limit", async () => {
    const before = await rowCount("users");
    const res = await api.post("/users", { headers: ADMIN, body: { first_name: "x".repeat(70_000) } });
    expect(res.status).toBe(413);
    expect(res.json.detail).toMatch(/64 KB/);
    expect(await rowCount("users")).toBe(before);
  });

  it("serves an OpenAPI 3.1 document generated from the validating schemas, and a reference page", async () => {
    const doc = await api.get("/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe("3.1.0");
    for (const path of ["/users", "/users/{user_id}", "/users/{user_id}/token", "/token/refresh", "/token/revoke",
      "/applications", "/applications/{app_id}/rotate-secret", "/developer/api-keys/{key_id}/rotate",
      "/users/{user_id}/invitation-code", "/invitation-code/redeem"]) {
      expect(doc.json.paths[path], path).toBeDefined();
    }
    // The document carries the same limits the validators enforce.
    expect(doc.json.components.schemas.UserCreate.properties.first_name.maxLength).toBe(100);
    expect(doc.json.components.schemas.UserCreate.additionalProperties).toBe(false);
    expect(doc.json.components.securitySchemes.ApiKey).toMatchObject({ type: "apiKey", name: "X-Open-Wearables-API-Key" });
    const page = await api.get("/docs");
    expect(page.status).toBe(200);
    expect(page.text).toContain("/api/v1/openapi.json");
  });
});
