import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

/**
 * The official SDK's MCP client against the Worker (SELF.fetch), with an in-memory OAuth client: the SDK does
 * discovery, dynamic registration, PKCE and the token exchange; the test plays the browser at the consent page.
 */

export const ORIGIN = "https://api.test";
export const MCP_URL = new URL(`${ORIGIN}/mcp`);
export const REDIRECT = "http://127.0.0.1:33418/callback";

const selfFetch = ((input: string | URL | Request, init?: RequestInit) => SELF.fetch(input as string, init)) as typeof fetch;

export class MemoryOAuthClient implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  authorizationUrl?: URL;
  constructor(private readonly name = "Test Assistant") {}
  get redirectUrl() { return REDIRECT; }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.name, redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  clientInformation() { return this.client; }
  saveClientInformation(info: OAuthClientInformationMixed) { this.client = info; }
  tokens() { return this.saved; }
  saveTokens(tokens: OAuthTokens) { this.saved = tokens; }
  redirectToAuthorization(url: URL) { this.authorizationUrl = url; }
  saveCodeVerifier(v: string) { this.verifier = v; }
  codeVerifier() { return this.verifier; }
}

/** The consent page as a browser sees it: its HTML, the handle in the form and the cookie binding it to "this browser". */
export async function openConsent(url: URL, consoleCookie?: string) {
  const res = await SELF.fetch(url.toString(), { redirect: "manual", headers: consoleCookie ? { Cookie: consoleCookie } : {} });
  const html = await res.text();
  const binding = res.headers.get("Set-Cookie")?.split(";")[0] ?? "";
  const cookie = [binding, consoleCookie].filter(Boolean).join("; ");
  const handle = /name="handle" value="([^"]+)"/.exec(html)?.[1] ?? "";
  return { status: res.status, html, cookie, handle, headers: res.headers };
}

/** Submits the consent form; returns the redirect (to the client's callback) or the page shown instead. */
export async function submitConsent(url: URL, page: { cookie: string; handle: string }, fields: Record<string, string>) {
  const body = new URLSearchParams({ handle: page.handle, ...fields });
  const res = await SELF.fetch(url.toString(), {
    method: "POST", redirect: "manual", body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: page.cookie },
  });
  return { status: res.status, location: res.headers.get("Location"), text: await res.text() };
}

export function transportFor(provider?: OAuthClientProvider, headers: Record<string, string> = {}) {
  return new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: selfFetch, requestInit: { headers } });
}

/** Starts the SDK's OAuth flow (discovery, registration, PKCE) up to the consent page's URL. */
export async function startAuthorization(name?: string) {
  const provider = new MemoryOAuthClient(name);
  const first = new Client({ name: "test", version: "1.0.0" });
  await first.connect(transportFor(provider)).then(
    () => { throw new Error("connected without authorization"); },
    (e) => { if (!(e instanceof UnauthorizedError)) throw e; },
  );
  return provider;
}

/** Exchanges the code the consent page redirected with, and connects. */
export async function finishAuthorization(provider: MemoryOAuthClient, location: string) {
  const code = new URL(location).searchParams.get("code")!;
  await transportFor(provider).finishAuth(code);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(transportFor(provider));
  return client;
}

/** Runs the whole OAuth flow with the SDK and approves with `apiKey`; returns a connected client and its provider. */
export async function authorizedClient(apiKey: string, name?: string) {
  const provider = await startAuthorization(name);
  const page = await openConsent(provider.authorizationUrl!);
  const decided = await submitConsent(provider.authorizationUrl!, page, { decision: "approve", api_key: apiKey });
  if (decided.status !== 302) throw new Error(`consent: ${decided.status} ${decided.text}`);
  const code = new URL(decided.location!).searchParams.get("code")!;
  const transport = transportFor(provider);
  await transport.finishAuth(code);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(transportFor(provider));
  return { client, provider };
}

/** A client authenticating with an organization API key as the bearer token (headless). */
export async function keyClient(apiKey: string) {
  const client = new Client({ name: "headless", version: "1.0.0" });
  await client.connect(transportFor(undefined, { Authorization: `Bearer ${apiKey}` }));
  return client;
}

/** A tool's JSON answer (and whether it was a tool error). */
export async function callTool(client: Client, name: string, args: Record<string, unknown>) {
  const res = (await client.callTool({ name, arguments: args })) as { content: { type: string; text: string }[]; isError?: boolean };
  return { isError: !!res.isError, json: JSON.parse(res.content[0]!.text), size: res.content[0]!.text.length };
}
