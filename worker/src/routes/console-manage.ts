import { Hono } from "hono";
import type { AppEnv } from "../env";
import { requireMember } from "../console/middleware";
import { applicationRoutes } from "./applications";
import { appSettingsRoutes } from "./connect-settings";
import { apiKeyRoutes } from "./api-keys";
import { webhookRoutes } from "./webhooks";

/**
 * The console manages applications, API keys and webhooks through the very routes the API serves (same validation,
 * shapes and status codes), mounted again under /api/v1/console/manage. Here the caller is the signed-in member
 * (session cookie + the console's cross-site checks), acting in their own organization: `requireAdmin` lets an
 * already-authenticated console caller through, and `orgOf` reads the member's organization. Only these routers
 * are mounted: organizations stay operator-only (`requireOperator` never accepts a console caller).
 * A plain Hono wrapper, so these paths are not added to the OpenAPI document a second time.
 */
export const consoleManageRoutes = new Hono<AppEnv>()
  .use("*", requireMember, async (c, next) => {
    const member = c.get("member");
    c.set("auth", { kind: "console", memberId: member.memberId, orgId: member.orgId });
    await next();
  })
  .route("/", applicationRoutes)
  .route("/", appSettingsRoutes)
  .route("/", apiKeyRoutes)
  .route("/", webhookRoutes);
