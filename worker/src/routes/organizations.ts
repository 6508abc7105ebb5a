import { createRoute, z } from "@hono/zod-openapi";
import { ORGANIZATION_HEADER, requireOperator } from "../auth/middleware";
import { HttpError } from "../http/errors";
import { API_KEY_SECURITY, errors, json, jsonBody, newRouter } from "../http/router";
import {
  DEFAULT_ORG_ID, createOrganization, deleteOrganizationRows, findOrganization, listOrganizations, organizationUserIds,
  renameOrganization, toOrganizationRead,
} from "../control/organizations";
import { forgetCachedKeys } from "../control/api-keys";
import { forgetCachedApplications } from "../control/applications";
import { invalidateEndpointCache } from "../webhooks/emit";
import { revokeGrantsWhere } from "../mcp/grants";
import { oauthApi } from "../mcp/oauth-api";

/**
 * Organizations (tenants), managed by the operator's admin key. Inside one, the admin acts by naming it in the
 * `X-Open-Wearables-Organization` header; API keys act only inside their own.
 */

const OrganizationRead = z.object({
  id: z.string().openapi({ example: "org_3f2a9c0d1e2b4a5c" }),
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string().nullable(),
  is_default: z.boolean().openapi({ description: "The organization requests act in when none is named." }),
}).openapi("OrganizationRead");
const OrganizationCreate = z.strictObject({ name: z.string().min(1).max(100) }).openapi("OrganizationCreate");
const OrgParam = z.object({ org_id: z.string().max(64).openapi({ param: { name: "org_id", in: "path" } }) });

const base = { tags: ["Organizations"], security: API_KEY_SECURITY, middleware: [requireOperator] };
const notFound = (id: string) => new HttpError(404, `Organization ${id} not found`);
/** Users whose objects are erased at once while an organization is deleted. */
const ERASE_CONCURRENCY = 20;

export const organizationRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/organizations", summary: "List organizations",
      responses: { 200: json(z.array(OrganizationRead)), ...errors(401) } }),
    async (c) => c.json(await listOrganizations(c.var.services.db), 200),
  )
  .openapi(
    createRoute({ ...base, method: "post", path: "/organizations",
      summary: `Create an organization; act inside it by sending its id in \`${ORGANIZATION_HEADER}\` with the admin key`,
      request: { body: jsonBody(OrganizationCreate) }, responses: { 201: json(OrganizationRead), ...errors(400, 401) } }),
    async (c) => c.json(await createOrganization(c.var.services.db, c.req.valid("json").name), 201),
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/organizations/{org_id}", summary: "Get an organization",
      request: { params: OrgParam }, responses: { 200: json(OrganizationRead), ...errors(401, 404) } }),
    async (c) => {
      const { org_id } = c.req.valid("param");
      const org = await findOrganization(c.var.services.db, org_id);
      if (!org) throw notFound(org_id);
      return c.json(toOrganizationRead(org), 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "patch", path: "/organizations/{org_id}", summary: "Rename an organization",
      request: { params: OrgParam, body: jsonBody(OrganizationCreate) }, responses: { 200: json(OrganizationRead), ...errors(400, 401, 404) } }),
    async (c) => {
      const { org_id } = c.req.valid("param");
      const org = await renameOrganization(c.var.services.db, org_id, c.req.valid("json").name);
      if (!org) throw notFound(org_id);
      return c.json(org, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "delete", path: "/organizations/{org_id}",
      summary: "Delete an organization with everything in it: users and all their data, sessions, applications, keys, codes, endpoints, MCP grants",
      description: "The organization's MCP grants are revoked first (their tokens stop at once), then each user's object is erased, then the organization's rows go in one batch. Safe to retry.",
      request: { params: OrgParam }, responses: { 204: { description: "Deleted" }, ...errors(401, 404, 409) } }),
    async (c) => {
      const { org_id } = c.req.valid("param");
      const { db, users } = c.var.services;
      if (org_id === DEFAULT_ORG_ID) throw new HttpError(409, "The default organization cannot be deleted");
      if (!(await findOrganization(db, org_id))) throw notFound(org_id);
      // Access first: if this fails nothing is deleted yet; if a later step fails, a retry finds no grants left.
      await revokeGrantsWhere(await oauthApi(c), org_id);
      for (let after = ""; ;) {
        const ids = await organizationUserIds(db, org_id, after, 200);
        if (!ids.length) break;
        for (let i = 0; i < ids.length; i += ERASE_CONCURRENCY) {
          await Promise.all(ids.slice(i, i + ERASE_CONCURRENCY).map((id) => users.stub(id).erase(id, org_id)));
        }
        after = ids[ids.length - 1]!;
      }
      if (!(await deleteOrganizationRows(db, org_id))) throw notFound(org_id);
      // This isolate stops honouring the organization's keys and apps at once; others within the cache TTL.
      forgetCachedKeys();
      forgetCachedApplications();
      invalidateEndpointCache(db);
      return c.body(null, 204);
    },
  );
