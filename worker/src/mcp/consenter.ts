import type { Context } from "hono";
import type { AppEnv } from "../env";
import { verifyApiKey } from "../control/api-keys";
import { readSessionCookie } from "../console/cookies";
import { resolveSession } from "../console/sessions";

/**
 * Who is giving consent to an MCP client, and for which organization. The one place the consent page learns it.
 *
 * A member signed in to the console (its session cookie) consents for the member's organization. Without a console
 * session, one of the organization's API keys typed into the form (POST body, never the URL) does: whoever holds a
 * key already reads everything an MCP grant can, so this widens nothing, and it serves deployments without members.
 */
export interface Consenter {
  orgId: string;
  /** Stored on the grant for audit: the member id, or the API key's id. */
  subject: string;
  label: string;
}

/** The console member signed in in this browser, if any. */
export async function signedInMember(c: Context<AppEnv>): Promise<Consenter | null> {
  const sessionId = readSessionCookie(c);
  const member = sessionId ? await resolveSession(c.var.services.db, sessionId) : null;
  return member ? { orgId: member.orgId, subject: member.memberId, label: member.displayName } : null;
}

/** The form field the consent page asks for when no member is signed in. */
export const CREDENTIAL_FIELD = "api_key";

export async function consenterOf(c: Context<AppEnv>, form: FormData | null): Promise<Consenter | null> {
  const member = await signedInMember(c);
  if (member) return member;
  const key = form?.get(CREDENTIAL_FIELD);
  if (typeof key !== "string" || !key.trim()) return null;
  const verified = await verifyApiKey(c.var.services.db, key.trim());
  return verified ? { orgId: verified.orgId, subject: verified.id, label: `API key ${verified.id}` } : null;
}
