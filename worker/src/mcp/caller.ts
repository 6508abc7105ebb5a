/**
 * Who calls the MCP server, as stored in an OAuth grant's props (or derived from an API key): the organization is
 * the only thing that scopes reads. `subject` is the consenting member (or the API key's id), for audit.
 */
export interface McpCaller {
  orgId: string;
  via: "oauth" | "api_key";
  subject: string;
}
