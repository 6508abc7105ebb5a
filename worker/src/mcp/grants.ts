import type { GrantSummary, OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { isoZ } from "../lib/time";

/**
 * An organization's MCP grants (the grant's `userId` is the organization id, see mcp/consent.ts): listed and revoked
 * one by one from the console and the API, and all at once when what approved them goes away (the organization, the
 * member who consented, the API key typed into the consent form: `granted_by` holds the member's or the key's id).
 */

const MAX_LISTED = 1000;
/** Grants revoked at once (each revocation lists and deletes the grant's tokens in KV). */
const REVOKE_CONCURRENCY = 10;

const metaString = (g: GrantSummary, field: string) => (g.metadata?.[field] as string | null | undefined) ?? null;

/** Every grant of the organization, page by page. */
async function* grantsOf(oauth: OAuthHelpers, orgId: string) {
  let cursor: string | undefined;
  do {
    const page = await oauth.listUserGrants(orgId, { limit: 100, cursor });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor);
}

export async function listGrants(oauth: OAuthHelpers, orgId: string) {
  const items = [];
  for await (const g of grantsOf(oauth, orgId)) {
    items.push({
      id: g.id,
      client_id: g.clientId,
      client_name: metaString(g, "client_name"),
      scope: g.scope,
      granted_by: metaString(g, "granted_by"),
      granted_by_label: metaString(g, "granted_by_label"),
      created_at: isoZ(g.createdAt * 1000),
      expires_at: g.expiresAt ? isoZ(g.expiresAt * 1000) : null,
    });
    if (items.length >= MAX_LISTED) break;
  }
  return items;
}

/** Revokes one of the organization's grants; false when it has no such grant (another organization's is "none"). */
export async function revokeGrant(oauth: OAuthHelpers, orgId: string, grantId: string): Promise<boolean> {
  const grants = await listGrants(oauth, orgId);
  if (!grants.some((g) => g.id === grantId)) return false;
  await oauth.revokeGrant(grantId, orgId);
  return true;
}

/**
 * Revokes the organization's grants `which` selects (all of them by default); returns how many. Collected before
 * revoking so deletions never shift the listing under its cursor. Throws if KV fails: callers revoke before they
 * delete what approved the grants, so a failure leaves that in place and the call can be retried.
 */
export async function revokeGrantsWhere(oauth: OAuthHelpers, orgId: string, which: (g: GrantSummary) => boolean = () => true) {
  const ids: string[] = [];
  for await (const g of grantsOf(oauth, orgId)) if (which(g)) ids.push(g.id);
  for (let i = 0; i < ids.length; i += REVOKE_CONCURRENCY) {
    await Promise.all(ids.slice(i, i + REVOKE_CONCURRENCY).map((id) => oauth.revokeGrant(id, orgId)));
  }
  return ids.length;
}

/** The grants a member or an API key approved (`granted_by` is the member's or the key's id). */
export const approvedBy = (subject: string) => (g: GrantSummary) => metaString(g, "granted_by") === subject;
