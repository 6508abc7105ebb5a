import { createRoute, z } from "@hono/zod-openapi";
import { orgOf, requireApiKey } from "../auth/middleware";
import { startUserSession } from "../auth/sessions";
import { HttpError, notFound } from "../http/errors";
import { API_KEY_SECURITY, UserIdParam, errors, json, jsonBody, newRouter } from "../http/router";
import { CODE_PATTERN, createInvitationCode, normalizeCode, redeemInvitationCode } from "../control/invitation-codes";
import { findApplication } from "../control/applications";
import { appRevocation } from "../auth/revocations";
import { findUser } from "../control/users";
import { DEFAULT_CODE_LIMITS, chargeCodeFailure, guardCodeAttempt } from "../ratelimit/code-guard";
import { TokenResponse, tokenResponse } from "./tokens";

const InvitationCodeRead = z.object({
  id: z.uuid(),
  code: z.string().openapi({ example: "K7MPQ2XA" }),
  user_id: z.uuid(),
  expires_at: z.string(),
  created_at: z.string(),
}).openapi("InvitationCodeRead");
const CreateBody = z.strictObject({
  app_id: z.string().max(64).optional().openapi({ description: "Application the code connects to (branding, session binding)." }),
}).openapi("InvitationCodeCreate");
const RedeemBody = z.strictObject({
  code: z.string().max(32).transform(normalizeCode).pipe(z.string().regex(CODE_PATTERN, {
    error: "code must be 8 characters from A–Z (without I and O) and 2–9",
  })),
}).openapi("InvitationCodeRedeem");
const RedeemResponse = TokenResponse.extend({ user_id: z.uuid() }).openapi("InvitationCodeRedeemResponse");

export const invitationCodeRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post", path: "/users/{user_id}/invitation-code", tags: ["Invitation codes"], security: API_KEY_SECURITY,
      middleware: [requireApiKey],
      summary: "Create a one-time code (valid 7 days) for the user; older codes stop working",
      request: { params: UserIdParam, body: jsonBody(CreateBody, false) },
      responses: { 201: json(InvitationCodeRead), ...errors(400, 401, 404) },
    }),
    async (c) => {
      const userId = c.req.valid("param").user_id.toLowerCase();
      const appId = c.req.valid("json")?.app_id;
      const orgId = orgOf(c);
      if (!(await findUser(c.env.DB, orgId, userId))) throw notFound("User", userId);
      const app = appId ? await findApplication(c.env.DB, orgId, appId) : null;
      if (appId && !app) throw new HttpError(404, "Application not found");
      const auth = c.get("auth");
      const createdBy = auth.kind === "api_key" ? auth.apiKeyId : "admin";
      return c.json(await createInvitationCode(c.env.DB, { orgId, userId, applicationId: app?.id ?? null, createdBy }), 201);
    },
  )
  .openapi(
    createRoute({
      method: "post", path: "/invitation-code/redeem", tags: ["Invitation codes"],
      summary: "Exchange a one-time code for an SDK token pair",
      description: `Rate-limited to ${DEFAULT_CODE_LIMITS.redeem.attempts} attempts per network (IPv6 /64) per 15 minutes; ` +
        "failed attempts also count against the deployment's failure budget, so rotating addresses does not help.",
      // Counted before the body is judged, so malformed guesses cost the same as wrong ones.
      middleware: [async (c, next) => {
        await guardCodeAttempt(c, "redeem");
        try {
          await next();
        } finally {
          // Anything but a redeemed code (malformed, unknown, used, expired) is a failed guess.
          if (c.res.status !== 200) await chargeCodeFailure(c, "redeem");
        }
      }],
      request: { body: jsonBody(RedeemBody) },
      responses: { 200: json(RedeemResponse), ...errors(400, 404, 429) },
    }),
    async (c) => {
      const redeemed = await redeemInvitationCode(c.env.DB, c.req.valid("json").code);
      if (!redeemed) throw new HttpError(404, "Invalid or expired invitation code");
      const appClaim = `invite:${redeemed.app_id ?? redeemed.created_by}`;
      // The session belongs to the code's application at its current secret generation (from the registry, not D1).
      const generation = redeemed.application_id ? (await appRevocation(c.env.REVOCATIONS, redeemed.application_id)).generation : null;
      const session = await startUserSession(c.var.services.users, redeemed.user_id, redeemed.organization_id, {
        applicationId: redeemed.application_id, appGeneration: generation, appClaim, codeId: redeemed.id,
      });
      if (!session) throw new HttpError(404, "Invalid or expired invitation code");
      const tokens = await tokenResponse(c, session);
      return c.json({ ...tokens, user_id: redeemed.user_id }, 200);
    },
  );
