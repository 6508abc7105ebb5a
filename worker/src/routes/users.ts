import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { orgOf, requireAdmin, requireApiKey } from "../auth/middleware";
import { HttpError, notFound } from "../http/errors";
import { API_KEY_SECURITY, UserIdParam, errors, json, jsonBody, newRouter } from "../http/router";
import { createUser, deleteUser, findUser, listUsers, toUserRead, updateUser, type UserRow } from "../control/users";
import type { UserState } from "../data/user-state";

// Special-use and reserved TLDs that a deliverable address never has (email-validator rejects them too).
const SPECIAL_TLDS = new Set(["local", "localhost", "test", "invalid", "example", "onion", "arpa", "internal"]);
const Email = z.email({ error: "value is not a valid email address" })
  .max(254)
  .refine((v) => !SPECIAL_TLDS.has(v.split(".").pop()!.toLowerCase()), {
    error: "value is not a valid email address: the domain is a special-use or reserved name",
  });

const UserRead = z.object({
  id: z.uuid(),
  created_at: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable(),
  external_user_id: z.string().nullable(),
  last_synced_at: z.string().nullable(),
  last_synced_provider: z.string().nullable(),
  has_active_connection: z.boolean(),
}).openapi("UserRead");

const UserFields = z.strictObject({
  first_name: z.string().max(100).nullable().optional(),
  last_name: z.string().max(100).nullable().optional(),
  email: Email.nullable().optional(),
  external_user_id: z.string().max(255).nullable().optional(),
});
const UserCreate = UserFields.openapi("UserCreate");
const UserUpdate = UserFields.openapi("UserUpdate");

const UserList = z.object({
  items: z.array(UserRead), total: z.number().int(), page: z.number().int(), limit: z.number().int(),
  pages: z.number().int(), has_next: z.boolean(), has_prev: z.boolean(),
}).openapi("UserList");

const ListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  sort_by: z.enum(["created_at", "email", "first_name", "last_name", "last_synced_at"]).default("created_at"),
  sort_order: z.enum(["asc", "desc"]).default("desc"),
  search: z.string().max(200).optional(),
  email: Email.optional(),
  external_user_id: z.string().max(255).optional(),
});

const tags = ["Users"];

/** The directory row with the live last sync from the user's object (D1 keeps only a daily copy for sorting). */
async function withLiveSync(c: Context<AppEnv>, row: UserRow) {
  const state = (await c.var.services.users.stub(row.id).state()) as UserState | null;
  if (!state || state.lastSyncedAt === null) return toUserRead(row);
  return toUserRead({ ...row, last_synced_at: state.lastSyncedAt, last_synced_provider: state.lastSyncedProvider });
}
const apiKey = { tags, security: API_KEY_SECURITY, middleware: [requireApiKey] };
const admin = { tags, security: API_KEY_SECURITY, middleware: [requireAdmin] };

export const userRoutes = newRouter()
  .openapi(
    createRoute({ ...apiKey, method: "post", path: "/users", summary: "Create a user",
      description: "A repeated `external_user_id` returns the existing user.",
      request: { body: jsonBody(UserCreate, false) }, responses: { 201: json(UserRead), ...errors(400, 401, 409) } }),
    async (c) => {
      const orgId = orgOf(c);
      const result = await createUser(c.env.DB, orgId, c.req.valid("json") ?? {});
      if (result.kind === "email_taken") throw new HttpError(409, "User with this email already exists.");
      // The object learns its organization now, so the phone's first request needs no D1 lookup. If this fails,
      // the user is registered from D1 on first use instead (data/user-directory.ts).
      await c.var.services.users.stub(result.user.id).register(result.user.id, orgId, orgId)
        .catch((error: Error) => console.error("user registration deferred", error.message));
      return c.json(toUserRead(result.user), 201);
    },
  )
  .openapi(
    createRoute({ ...apiKey, method: "get", path: "/users", summary: "List users",
      request: { query: ListQuery }, responses: { 200: json(UserList), ...errors(400, 401) } }),
    async (c) => c.json(await listUsers(c.env.DB, orgOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ ...apiKey, method: "get", path: "/users/{user_id}", summary: "Get a user",
      request: { params: UserIdParam }, responses: { 200: json(UserRead), ...errors(400, 401, 404) } }),
    async (c) => {
      const { user_id } = c.req.valid("param");
      const user = await findUser(c.env.DB, orgOf(c), user_id.toLowerCase());
      if (!user) throw notFound("User", user_id);
      return c.json(await withLiveSync(c, user), 200);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "patch", path: "/users/{user_id}", summary: "Update a user (null leaves a field unchanged)",
      request: { params: UserIdParam, body: jsonBody(UserUpdate) }, responses: { 200: json(UserRead), ...errors(400, 401, 404, 409) } }),
    async (c) => {
      const { user_id } = c.req.valid("param");
      const result = await updateUser(c.env.DB, orgOf(c), user_id.toLowerCase(), c.req.valid("json"));
      if (result.kind === "not_found") throw notFound("User", user_id);
      if (result.kind === "conflict") throw new HttpError(409, result.detail);
      return c.json(toUserRead(result.user), 200);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "delete", path: "/users/{user_id}",
      summary: "Delete a user with their sessions, codes and all health data",
      request: { params: UserIdParam }, responses: { 200: json(UserRead), ...errors(400, 401, 404) } }),
    async (c) => {
      const { user_id } = c.req.valid("param");
      const id = user_id.toLowerCase();
      const orgId = orgOf(c);
      if (!(await findUser(c.env.DB, orgId, id))) throw notFound("User", user_id);
      // The object first: it erases everything and refuses what comes later. If the directory delete then fails,
      // the user is already unusable and the delete can simply be retried.
      await c.var.services.users.stub(id).erase(id, orgId);
      const user = await deleteUser(c.env.DB, orgId, id);
      if (!user) throw notFound("User", user_id);
      return c.json(toUserRead(user), 200);
    },
  );
