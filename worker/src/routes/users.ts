import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin, requireApiKey } from "../auth/middleware";
import { HttpError, notFound } from "../http/errors";
import { API_KEY_SECURITY, UserIdParam, errors, json, jsonBody, newRouter } from "../http/router";
import { createUser, deleteUser, findUser, listUsers, toUserRead, updateUser } from "../control/users";
import { deleteUserData } from "../data/user-data";

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
const apiKey = { tags, security: API_KEY_SECURITY, middleware: [requireApiKey] };
const admin = { tags, security: API_KEY_SECURITY, middleware: [requireAdmin] };

export const userRoutes = newRouter()
  .openapi(
    createRoute({ ...apiKey, method: "post", path: "/users", summary: "Create a user",
      description: "A repeated `external_user_id` returns the existing user.",
      request: { body: jsonBody(UserCreate, false) }, responses: { 201: json(UserRead), ...errors(400, 401, 409) } }),
    async (c) => {
      const result = await createUser(c.env.DB, c.req.valid("json") ?? {});
      if (result.kind === "email_taken") throw new HttpError(409, "User with this email already exists.");
      return c.json(toUserRead(result.user), 201);
    },
  )
  .openapi(
    createRoute({ ...apiKey, method: "get", path: "/users", summary: "List users",
      request: { query: ListQuery }, responses: { 200: json(UserList), ...errors(400, 401) } }),
    async (c) => c.json(await listUsers(c.env.DB, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({ ...apiKey, method: "get", path: "/users/{user_id}", summary: "Get a user",
      request: { params: UserIdParam }, responses: { 200: json(UserRead), ...errors(400, 401, 404) } }),
    async (c) => {
      const { user_id } = c.req.valid("param");
      const user = await findUser(c.env.DB, user_id.toLowerCase());
      if (!user) throw notFound("User", user_id);
      return c.json(toUserRead(user), 200);
    },
  )
  .openapi(
    createRoute({ ...admin, method: "patch", path: "/users/{user_id}", summary: "Update a user (null leaves a field unchanged)",
      request: { params: UserIdParam, body: jsonBody(UserUpdate) }, responses: { 200: json(UserRead), ...errors(400, 401, 404, 409) } }),
    async (c) => {
      const { user_id } = c.req.valid("param");
      const result = await updateUser(c.env.DB, user_id.toLowerCase(), c.req.valid("json"));
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
      if (!(await findUser(c.env.DB, id))) throw notFound("User", user_id);
      // Health data first: if that fails the user still exists and the delete can simply be retried.
      await deleteUserData(c.env, id);
      const user = await deleteUser(c.env.DB, id);
      if (!user) throw notFound("User", user_id);
      return c.json(toUserRead(user), 200);
    },
  );
