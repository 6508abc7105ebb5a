import { describe, expect, it } from "vitest";
import { SERIES_TYPES } from "../../src/ingest";
import { api } from "../setup/harness";

/**
 * The served OpenAPI document's contract (the full validation and Redocly lint run in `npm run openapi:check`,
 * outside workerd): operation ids, explicit security, request-body examples, no stray non-OpenAPI keys, the read
 * API's vocabularies as enums and the range rule stated.
 */
describe("OpenAPI document", () => {
  it("every operation has a unique operationId, explicit security, and an example on its JSON body", async () => {
    const doc = (await api.get("/openapi.json")).json;
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(op.operationId), where).toBe(false);
        ids.add(op.operationId);
        expect(Array.isArray(op.security), where).toBe(true);
        expect(op.middleware, where).toBeUndefined();
        const body = op.requestBody?.content?.["application/json"];
        const schema = body?.schema?.$ref ? doc.components.schemas[body.schema.$ref.split("/").pop()] : body?.schema;
        if (body) expect(body.example ?? schema?.example, where).toBeDefined();
      }
    }
    expect(doc.paths["/token/refresh"].post.security).toEqual([]);
    expect(doc.paths["/users/{user_id}/timeseries"].get.security).toEqual([{ ApiKey: [] }]);
  });

  it("lists the series names as the enum of `types` and states the range rule", async () => {
    const doc = (await api.get("/openapi.json")).json;
    const op = doc.paths["/users/{user_id}/timeseries"].get;
    const types = op.parameters.find((p: { name: string }) => p.name === "types");
    expect(types.schema.items.enum).toEqual(Object.keys(SERIES_TYPES).sort());
    expect(op.description).toMatch(/end at exactly midnight UTC .* includes that whole day/);
    expect(doc.info.description).toMatch(/end.*exclusive/);
  });
});
