import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { isoZ } from "../lib/time";

/** An organization's MCP grants (the grant's `userId` is the organization id, see mcp/consent.ts). */

const MAX_GRANTS = 1000;

export async function listGrants(oauth: OAuthHelpers, orgId: string) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await oauth.listUserGrants(orgId, { limit: 100, cursor });
    for (const g of page.items) {
      items.push({
        id: g.id,
        client_id: g.clientId,
        client_name: (g.metadata?.client_name as string | null | undefined) ?? null,
        scope: g.scope,
        granted_by: (g.metadata?.granted_by as string | null | undefined) ?? null,
        created_at: isoZ(g.createdAt * 1000),
        expires_at: g.expiresAt ? isoZ(g.expiresAt * 1000) : null,
      });
    }
    cursor = page.cursor;
  } while (cursor && items.length < MAX_GRANTS);
  return items;
}

/** Revokes one of the organization's grants; false when it has no such grant (another organization's is "none"). */
export async function revokeGrant(oauth: OAuthHelpers, orgId: string, grantId: string): Promise<boolean> {
  const grants = await listGrants(oauth, orgId);
  if (!grants.some((g) => g.id === grantId)) return false;
  await oauth.revokeGrant(grantId, orgId);
  return true;
}
