import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { requireAdmin, orgOf } from "../auth/middleware";
import { HttpError } from "../http/errors";
import { API_KEY_SECURITY, errors, json, jsonBody, newRouter } from "../http/router";
import { apiKeyHandle, createApiKey, deleteApiKey, listApiKeys, renameApiKey, rotateApiKey } from "../control/api-keys";
import { approvedBy, revokeGrantsWhere } from "../mcp/grants";
import { oauthApi } from "../mcp/oauth-api";

const ApiKeyRead = z.object({
  id: z.string().openapi({ description: "On create and rotate: the key itself (shown once). In lists: the key's handle." }),
  key_id: z.string().openapi({ description: "Stable handle (`key_…`) for management calls." }),
  key_prefix: z.string(),
  name: z.string(),
  created_by: z.string().nullable(),
  created_at: z.string(),
}).openapi("ApiKeyRead");
const ApiKeyCreate = z.strictObject({ name: z.string().max(100).optional() }).openapi("ApiKeyCreate");
const ApiKeyUpdate = z.strictObject({ name: z.string().max(100).nullable().optional() }).openapi("ApiKeyUpdate");
const KeyParam = z.object({ key_id: z.string().max(64).openapi({ param: { name: "key_id", in: "path" } }) });

const base = { tags: ["API keys"], security: API_KEY_SECURITY, middleware: [requireAdmin] };
const found = <T>(value: T | null, keyId: string): T => {
  if (!value) throw new HttpError(404, `Apikey with ID: ${keyId} not found.`);
  return value;
};

/**
 * Revokes the MCP grants approved with the key (consent by API key records its handle), before the key goes or
 * changes: a failure here leaves the key as it was. Unknown key: 404, nothing revoked.
 */
async function revokeKeyGrants(c: Context<AppEnv>, keyId: string) {
  const handle = found(await apiKeyHandle(c.env.DB, orgOf(c), keyId), keyId);
  await revokeGrantsWhere(await oauthApi(c), orgOf(c), approvedBy(handle));
}

export const apiKeyRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/developer/api-keys", summary: "List API keys",
      responses: { 200: json(z.array(ApiKeyRead)), ...errors(401) } }),
    async (c) => c.json(await listApiKeys(c.env.DB, orgOf(c)), 200),
  )
  .openapi(
    createRoute({ ...base, method: "post", path: "/developer/api-keys", summary: "Create an API key (shown once)",
      request: { body: jsonBody(ApiKeyCreate, false) }, responses: { 201: json(ApiKeyRead), ...errors(400, 401) } }),
    async (c) => c.json(await createApiKey(c.env.DB, orgOf(c), c.req.valid("json")?.name ?? "Default"), 201),
  )
  .openapi(
    createRoute({ ...base, method: "patch", path: "/developer/api-keys/{key_id}", summary: "Rename an API key",
      request: { params: KeyParam, body: jsonBody(ApiKeyUpdate) }, responses: { 200: json(ApiKeyRead), ...errors(400, 401, 404) } }),
    async (c) => {
      const { key_id } = c.req.valid("param");
      return c.json(found(await renameApiKey(c.env.DB, orgOf(c), key_id, c.req.valid("json").name), key_id), 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/developer/api-keys/{key_id}", summary: "Delete an API key", description: "MCP clients authorized with this key on the consent page lose access too.",
      request: { params: KeyParam }, responses: { 200: json(ApiKeyRead), ...errors(401, 404) } }),
    async (c) => {
      const { key_id } = c.req.valid("param");
      await revokeKeyGrants(c, key_id);
      return c.json(found(await deleteApiKey(c.env.DB, orgOf(c), key_id), key_id), 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "post", path: "/developer/api-keys/{key_id}/rotate",
      summary: "Replace an API key: the old key stops working at once",
      description: "MCP clients authorized with this key on the consent page lose access too.", request: { params: KeyParam },
      responses: { 201: json(ApiKeyRead), ...errors(401, 404) } }),
    async (c) => {
      const { key_id } = c.req.valid("param");
      await revokeKeyGrants(c, key_id);
      return c.json(found(await rotateApiKey(c.env.DB, orgOf(c), key_id), key_id), 201);
    },
  );
