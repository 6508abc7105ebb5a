import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { CREDENTIAL_FIELD, consenterOf, signedInMember } from "./consenter";
import { consentPage, errorPage } from "./consent-page";
import { SCOPE, oauthLibrary } from "./oauth";

/**
 * The authorization endpoint's two steps (MCP spec: the authorization server's own page). GET validates the client,
 * redirect URI, PKCE and resource (the library), and shows the consent page bound to this browser; POST takes the
 * decision and records a grant for the consenting organization: the grant's `userId` is the organization, its props
 * what every token of it carries (`McpCaller`).
 */

const html = (c: Context<AppEnv>, body: string, status: 200 | 400 | 401, headers?: Headers) => {
  const h = new Headers(headers);
  h.set("Content-Type", "text/html; charset=utf-8");
  h.set("Cache-Control", "no-store");
  h.set("X-Frame-Options", "DENY");
  h.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'");
  return c.body(body, status, Object.fromEntries(h));
};

/** Errors before the client and its redirect URI are validated are shown here, never redirected (RFC 6749 §4.1.2.1). */
async function failure(c: Context<AppEnv>, error: unknown) {
  const { AuthorizationError, CimdFetchError } = await oauthLibrary();
  if (error instanceof AuthorizationError && error.redirectTo) return c.redirect(error.redirectTo, 302);
  if (error instanceof AuthorizationError) return html(c, errorPage(error.description ?? error.code), 400);
  if (error instanceof CimdFetchError) return html(c, errorPage("This app could not be verified."), 400);
  throw error;
}

export async function showConsent(c: Context<AppEnv>, oauth: OAuthHelpers) {
  try {
    const request = await oauth.parseAuthRequest(c.req.raw);
    const details = await oauth.describeConsent(request);
    const member = await signedInMember(c);
    const consent = await oauth.beginConsent(request);
    return html(c, consentPage(details, consent.handle, member ? null : CREDENTIAL_FIELD, member?.label ?? null), 200, consent.headers);
  } catch (error) {
    return failure(c, error);
  }
}

export async function decideConsent(c: Context<AppEnv>, oauth: OAuthHelpers) {
  const form = await c.req.raw.clone().formData().catch(() => null);
  const handle = form?.get("handle");
  if (typeof handle !== "string" || !handle) return html(c, errorPage("This consent form is incomplete. Start connecting again from your app."), 400);
  try {
    if (form!.get("decision") !== "approve") {
      const denied = await oauth.denyConsent(c.req.raw, handle);
      return new Response(null, { status: 302, headers: denied.headers });
    }
    // Identify first: a wrong key leaves the form usable (the handle is consumed only by a decision).
    const who = await consenterOf(c, form);
    if (!who) return html(c, errorPage("Sign in to the console in this browser, or enter a valid API key of your organization. Go back and try again."), 401);
    const approved = await oauth.approveConsent(c.req.raw, handle, { scope: [SCOPE] });
    const client = await oauth.lookupClient(approved.request.clientId);
    const { redirectTo } = await oauth.completeAuthorization({
      request: approved.request,
      userId: who.orgId,
      scope: approved.request.scope,
      metadata: { client_name: client?.clientName ?? null, granted_by: who.subject, granted_by_label: who.label },
      props: { orgId: who.orgId, subject: who.subject, via: "oauth" },
    });
    approved.headers.set("Location", redirectTo);
    return new Response(null, { status: 302, headers: approved.headers });
  } catch (error) {
    return failure(c, error);
  }
}
