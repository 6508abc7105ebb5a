import { useState } from "preact/hooks";
import { PageTitle } from "../Shell";
import { dateTime } from "../format";
import { useLoad } from "../useLoad";
import { manage, type McpGrant } from "../manage";

/**
 * The MCP clients (assistants) the organization has authorized at /mcp, and revoking one: its tokens stop at once.
 * Any member may revoke, as with API keys: revoking only takes access away.
 */
export function Assistants() {
  const grants = useLoad(() => manage<{ items: McpGrant[] }>("GET", "/mcp/grants"));
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const mcpUrl = `${location.origin}/mcp`;
  const name = (g: McpGrant) => g.client_name ?? g.client_id;
  const revoke = async (g: McpGrant) => {
    if (!confirm(`Revoke access of “${name(g)}”? It can no longer read your organization's data until someone approves it again.`)) return;
    setError(null);
    setDone(null);
    try {
      await manage("DELETE", `/mcp/grants/${encodeURIComponent(g.id)}`);
      setDone(`“${name(g)}” no longer has access.`);
      grants.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const items = grants.data?.items;
  return (
    <>
      <PageTitle title="Assistants (MCP)">Assistants (MCP)</PageTitle>
      <p>
        AI assistants (Claude, Cursor, any MCP client) read your organization's health data through this deployment's MCP
        server at <code data-testid="mcp-url">{mcpUrl}</code>, after a member of the organization approves them.
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      {done && <p role="status">{done}</p>}
      {grants.error && !items ? <p class="error" role="alert">Could not load the assistants: {grants.error}</p>
        : !items ? <p class="loading" role="status">Loading…</p>
        : items.length === 0 ? (
          <div data-testid="no-grants">
            <h2>No assistant is connected</h2>
            <ol>
              <li>In the assistant, add a custom connector (Claude: Settings → Connectors; others: “remote MCP server”, transport Streamable HTTP) with the URL <code>{mcpUrl}</code>.</li>
              <li>The assistant opens a consent page in your browser: while signed in to this console, choose <strong>Allow</strong>.</li>
              <li>The assistant appears here; revoke it at any time.</li>
            </ol>
          </div>
        ) : (
          <table data-testid="grants">
            <caption>{items.length} {items.length === 1 ? "assistant has" : "assistants have"} access to this organization's data</caption>
            <thead><tr><th scope="col">Assistant</th><th scope="col">Approved by</th><th scope="col">Scope</th><th scope="col">Approved</th><th scope="col">Expires</th><th scope="col">Action</th></tr></thead>
            <tbody>{items.map((g) => (
              <tr key={g.id}>
                <th scope="row">{name(g)}</th>
                <td>{g.granted_by_label ?? g.granted_by ?? "unknown"}</td>
                <td>{g.scope.map((s) => <code key={s}>{s}</code>)}</td>
                <td>{dateTime(g.created_at)}</td>
                <td>{g.expires_at ? dateTime(g.expires_at) : "when revoked"}</td>
                <td><button type="button" class="btn secondary small" onClick={() => revoke(g)} aria-label={`Revoke ${name(g)}`}>Revoke</button></td>
              </tr>
            ))}</tbody>
          </table>
        )}
    </>
  );
}
