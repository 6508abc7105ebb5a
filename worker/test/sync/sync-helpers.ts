import { SELF } from "cloudflare:test";
import { call, signedInUser, type Tokens } from "../setup/harness";

/** Posts a batch the way the official SDKs do (Bearer token, JSON body). */
export async function upload(userId: string, tokens: Pick<Tokens, "access_token">, body: unknown, headers: Record<string, string> = {}) {
  return call("POST", `/api/v1/sdk/users/${userId}/sync`, {
    headers: { Authorization: `Bearer ${tokens.access_token}`, ...headers },
    body,
  });
}

export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function rawUpload(userId: string, token: string, bytes: BodyInit, headers: Record<string, string>) {
  const res = await SELF.fetch(`https://api.test/api/v1/sdk/users/${userId}/sync`, {
    method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers }, body: bytes,
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}

export { signedInUser };
