import type { Context } from "hono";
import type { AppEnv } from "../env";
import { verifyApiKey } from "../control/api-keys";

/**
 * Who is giving consent to an MCP client, and for which organization. The one place the consent page learns it.
 *
 * Interim, until the console's session module (branch i14-console: console/cookies.ts `readSessionCookie`,
 * console/sessions.ts `resolveSession`) is on main: the member proves they act for an organization by typing one of
 * its API keys into the consent form (POST body, never the URL), and the grant is that key's organization. Once the
 * console is merged this becomes: `const id = readSessionCookie(c); const m = id && await resolveSession(db, id);`
 * returning `{ orgId: m.orgId, subject: m.memberId, label: m.displayName }`, and `CREDENTIAL_FIELD` becomes null (the
 * page then shows "signed in as …" instead of the field).
 */
export interface Consenter {
  orgId: string;
  /** Stored on the grant for audit: the member id (or, in the interim, the API key's id). */
  subject: string;
  label: string;
}

/** The form field the consent page asks for, or null when the signed-in session is enough. */
export const CREDENTIAL_FIELD: string | null = "api_key";

export async function consenterOf(c: Context<AppEnv>, form: FormData | null): Promise<Consenter | null> {
  const key = form?.get("api_key");
  if (typeof key !== "string" || !key.trim()) return null;
  const verified = await verifyApiKey(c.var.services.db, key.trim());
  return verified ? { orgId: verified.orgId, subject: verified.id, label: `API key ${verified.id}` } : null;
}
