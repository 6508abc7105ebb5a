import { createRoute, z } from "@hono/zod-openapi";
import { orgOf, requireAdmin } from "../auth/middleware";
import { HttpError } from "../http/errors";
import { API_KEY_SECURITY, errors, json, jsonBody, newRouter } from "../http/router";
import {
  createApplication, deleteApplication, listApplications, rotateApplicationSecret,
} from "../control/applications";
import { recordApplicationDeleted, recordSecretRotation } from "../auth/revocations";

const ApplicationRead = z.object({
  id: z.uuid(),
  app_id: z.string().openapi({ example: "app_3f2a…" }),
  name: z.string(),
  created_at: z.string(),
}).openapi("ApplicationRead");
const ApplicationWithSecret = ApplicationRead.extend({
  app_secret: z.string().openapi({ description: "Shown once. Only its hash is stored." }),
}).openapi("ApplicationReadWithSecret");
const ApplicationCreate = z.strictObject({ name: z.string().max(100) }).openapi("ApplicationCreate");
const AppIdParam = z.object({ app_id: z.string().max(64).openapi({ param: { name: "app_id", in: "path" } }) });

const base = { tags: ["Applications"], security: API_KEY_SECURITY, middleware: [requireAdmin] };
const notFound = () => new HttpError(404, "Application not found");

export const applicationRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/applications", summary: "List applications",
      responses: { 200: json(z.array(ApplicationRead)), ...errors(401) } }),
    async (c) => c.json(await listApplications(c.env.DB, orgOf(c)), 200),
  )
  .openapi(
    createRoute({ ...base, method: "post", path: "/applications", summary: "Create an application (returns its secret once)",
      request: { body: jsonBody(ApplicationCreate) },
      responses: { 201: json(ApplicationWithSecret), ...errors(400, 401, 413) } }),
    async (c) => c.json(await createApplication(c.env.DB, orgOf(c), c.req.valid("json").name), 201),
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/applications/{app_id}", summary: "Delete an application and end its sessions",
      request: { params: AppIdParam }, responses: { 204: { description: "Deleted" }, ...errors(401, 404) } }),
    async (c) => {
      const deleted = await deleteApplication(c.env.DB, orgOf(c), c.req.valid("param").app_id);
      if (!deleted) throw notFound();
      await recordApplicationDeleted(c.env.REVOCATIONS, deleted.id, deleted.secret_generation);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({ ...base, method: "post", path: "/applications/{app_id}/rotate-secret",
      summary: "Rotate the secret: the old one stops working at once and the app's sessions are revoked",
      request: { params: AppIdParam }, responses: { 200: json(ApplicationWithSecret), ...errors(401, 404) } }),
    async (c) => {
      const rotated = await rotateApplicationSecret(c.env.DB, orgOf(c), c.req.valid("param").app_id);
      if (!rotated) throw notFound();
      await recordSecretRotation(c.env.REVOCATIONS, rotated.row.id, rotated.row.secret_generation);
      return c.json(rotated.body, 200);
    },
  );
