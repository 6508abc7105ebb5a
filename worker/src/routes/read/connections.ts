import { createRoute, z } from "@hono/zod-openapi";
import { HttpError } from "../../http/errors";
import { errors, json, newRouter } from "../../http/router";
import { PROVIDERS } from "../../control/priorities";
import { Params, base, store } from "./shared";
import { decodeCursor } from "../../data/cursor";
import { DATA_SOURCES_DEFAULT_LIMIT, DATA_SOURCES_MAX_LIMIT } from "../../data/source-metadata";

/** Data sources and provider connections (reference /data-sources and /connections), derived from real syncs. */

const ProviderParams = Params.extend({
  provider: z.enum(PROVIDERS, { error: `provider: one of ${PROVIDERS.join(", ")}` }).openapi({ param: { name: "provider", in: "path" } }),
});
const Connection = z.object({
  id: z.string(), user_id: z.string(), provider: z.string(), provider_user_id: z.string().nullable(),
  provider_username: z.string().nullable(), scope: z.string().nullable(), status: z.enum(["active", "revoked", "expired"]),
  last_synced_at: z.string().nullable(), created_at: z.string(), updated_at: z.string(), icon_url: z.string().nullable(),
  max_historical_days: z.number().int().nullable(), rest_pull: z.boolean(), webhook_stream: z.boolean(), webhook_ping: z.boolean(),
  webhook_callback: z.boolean(), live_sync_mode: z.string().nullable(), linked_user_ids: z.array(z.string()),
}).openapi("UserConnection");

const DataSourcesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(DATA_SOURCES_MAX_LIMIT).default(DATA_SOURCES_DEFAULT_LIMIT),
});

export const connectionRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/data-sources", operationId: "listDataSources", summary: "Apps and devices the user's data came from",
      description: "`items`/`total` as in the reference; `data`/`pagination` (the same page) as in the other lists. Ordered by id; follow `next_cursor`.",
      request: { params: Params, query: DataSourcesQuery },
      responses: { 200: json(z.object({
        items: z.array(z.record(z.string(), z.unknown())), total: z.number().int(), data: z.array(z.record(z.string(), z.unknown())),
        pagination: z.object({ next_cursor: z.string().nullable(), previous_cursor: z.string().nullable(), has_more: z.boolean(), total_count: z.number().int() }),
      }), "The sources"), ...errors(400, 401) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const q = c.req.valid("query");
      const afterId = q.cursor === undefined ? 0 : Number(decodeCursor(q.cursor, 1)?.[0] ?? NaN);
      if (!Number.isSafeInteger(afterId) || afterId < 0) throw new HttpError(400, "Invalid cursor");
      const data = await store(c, userId);
      const empty = { items: [], total: 0, data: [], pagination: { next_cursor: null, previous_cursor: null, has_more: false, total_count: 0 } };
      return c.json(data ? await data.dataSources(userId, { afterId, limit: q.limit }) : empty, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/connections", operationId: "listConnections", summary: "The user's provider connections",
      description: "A provider is connected from the first batch stored from it; `last_synced_at` is its latest stored batch. An unknown user has none.",
      request: { params: Params }, responses: { 200: json(z.array(Connection), "Connections"), ...errors(400, 401) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const data = await store(c, userId);
      return c.json(data ? await data.connections(userId) : [], 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/users/{user_id}/connections/{provider}", operationId: "disconnectProvider", summary: "Disconnect a provider (revoke; the data stays)",
      description: "Idempotent. A later batch stored from the provider makes the connection active again.",
      request: { params: ProviderParams }, responses: { 204: { description: "Revoked" }, ...errors(400, 401, 404) } }),
    async (c) => {
      const { user_id, provider } = c.req.valid("param");
      const data = await store(c, user_id);
      if (!data || !(await data.disconnect(provider))) throw new HttpError(404, "Connection not found");
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/users/{user_id}/connections/{provider}/data", operationId: "deleteProviderData", summary: "Disconnect a provider and delete all data it wrote",
      request: { params: ProviderParams }, responses: { 204: { description: "Revoked and deleted" }, ...errors(400, 401, 404) } }),
    async (c) => {
      const { user_id, provider } = c.req.valid("param");
      const data = await store(c, user_id);
      if (!data || !(await data.purgeProvider(provider))) throw new HttpError(404, "Connection not found");
      return c.body(null, 204);
    },
  );
