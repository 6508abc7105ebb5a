import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { except } from "hono/combine";
import type { AppEnv } from "./env";
import { handleError } from "./http/app-errors";
import { CONTROL_BODY_LIMIT_BYTES, jsonOnly, limitBody } from "./http/json-body";
import { validationHook } from "./http/validation";
import { securityHeaders } from "./http/security-headers";
import { apiDocsPage } from "./http/api-docs";
import { finishDocument } from "./http/openapi-doc";
import { z } from "@hono/zod-openapi";
import { API_KEY_HEADER, ORGANIZATION_HEADER } from "./auth/middleware";
import { applicationRoutes } from "./routes/applications";
import { apiKeyRoutes } from "./routes/api-keys";
import { userRoutes } from "./routes/users";
import { tokenRoutes } from "./routes/tokens";
import { invitationCodeRoutes } from "./routes/invitation-codes";
import { jwksRoutes } from "./routes/jwks";
import { sdkRoutes } from "./routes/sdk";
import { readRoutes } from "./routes/read";
import { webhookRoutes } from "./routes/webhooks";
import { connectRoutes } from "./routes/connect";
import { organizationRoutes } from "./routes/organizations";
import { services } from "./services";
import { withOrganizationHeader } from "./http/openapi-tenancy";
import { consoleAuthRoutes } from "./routes/console-auth";
import { consoleTeamRoutes } from "./routes/console-team";
import { consoleDataRoutes } from "./routes/console-data";
import { consolePage } from "./console/page";
import { consoleManageRoutes } from "./routes/console-manage";

/** Builds the Worker's HTTP app: one router per concern under /api/v1, shared error and body handling. */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
  app.use("*", securityHeaders);
  app.onError(handleError);
  app.notFound((c) => c.json({ detail: "Not Found" }, 404));
  app.use("*", services);

  app.get("/", (c) => c.json({ message: "Server is running!" }));
  app.route("/", jwksRoutes);
  app.get("/console", consolePage);
  app.get("/console/*", consolePage);

  const api = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
  // Sync uploads read their own body (gzip, a larger cap); everything else is small JSON.
  const isSyncUpload = (c: Context) => /\/sdk\/users\/[^/]+\/sync\/?$/.test(c.req.path);
  api.use("*", except(isSyncUpload, jsonOnly));
  api.use("*", except(isSyncUpload, limitBody(CONTROL_BODY_LIMIT_BYTES, "64 KB")));
  api.route("/", organizationRoutes);
  api.route("/", applicationRoutes);
  api.route("/", apiKeyRoutes);
  api.route("/", userRoutes);
  api.route("/", tokenRoutes);
  api.route("/", invitationCodeRoutes);
  api.route("/", sdkRoutes);
  api.route("/", readRoutes);
  api.route("/", webhookRoutes);
  api.route("/", connectRoutes);
  api.route("/", consoleAuthRoutes);
  api.route("/", consoleTeamRoutes);
  api.route("/", consoleDataRoutes);
  api.route("/console/manage", consoleManageRoutes);

  api.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", { type: "apiKey", in: "header", name: API_KEY_HEADER });
  api.openAPIRegistry.registerComponent("securitySchemes", "SdkToken", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  // Not a security scheme of its own: with the admin key, names the organization to act in (default: the default one).
  api.openAPIRegistry.registerParameter("Organization", z.string().optional().openapi({
    param: { name: ORGANIZATION_HEADER, in: "header", required: false },
    description: "Admin key only: the organization to act in (`org_…`). Without it the default organization. An API key acts in its own.",
  }));
  const config = {
    openapi: "3.1.0",
    info: {
      title: "Open Wearables Edge API",
      version: "1.0.0",
      description: "Wire-compatible with the Open Wearables API. Errors are `{\"detail\": \"...\"}`. Read API range ends: " +
        "`start` inclusive, `end` exclusive, and an end at exactly midnight UTC includes that whole day. " +
        "Tenancy: every application, API key, user, code and webhook endpoint belongs to one organization. An API key " +
        `acts only in its own; the admin key acts in the organization named by the \`${ORGANIZATION_HEADER}\` header ` +
        "(the default organization without it) and manages organizations under `/organizations`.",
    },
    servers: [{ url: "/api/v1" }],
  };
  let document: ReturnType<typeof api.getOpenAPI31Document> | undefined;
  api.get("/openapi.json", (c) => c.json((document ??= finishDocument(withOrganizationHeader(api.getOpenAPI31Document(config))))));
  api.get("/docs", apiDocsPage("/api/v1/openapi.json", "Open Wearables Edge API"));
  app.route("/api/v1", api);
  return app;
}
