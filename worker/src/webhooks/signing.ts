/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, the Svix scheme): HMAC-SHA256 over
 * `<id>.<timestamp>.<body>`, keyed with the base64 part of a `whsec_` secret; several `v1,<sig>` entries while a
 * rotated-out secret is still in its grace period. Secrets are sealed at rest with a key from a secret binding.
 */

const encoder = new TextEncoder();

const b64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export const newSigningSecret = () => `whsec_${b64(crypto.getRandomValues(new Uint8Array(32)))}`;

export async function hmacKey(secret: string): Promise<CryptoKey> {
  const raw = unb64(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** The `webhook-signature` header value for one message, signed with every key given (newest first). */
export async function signatureHeader(keys: CryptoKey[], id: string, timestamp: number, body: string): Promise<string> {
  const content = encoder.encode(`${id}.${timestamp}.${body}`);
  const sigs = await Promise.all(keys.map(async (k) => `v1,${b64(new Uint8Array(await crypto.subtle.sign("HMAC", k, content)))}`));
  return sigs.join(" ");
}

/** Headers a Standard Webhooks receiver verifies; the `svix-*` twins keep receivers built for the reference working. */
export function deliveryHeaders(id: string, timestamp: number, signature: string): Record<string, string> {
  const ts = String(timestamp);
  return {
    "Content-Type": "application/json",
    "User-Agent": "open-wearables-edge-webhooks/1",
    "webhook-id": id,
    "webhook-timestamp": ts,
    "webhook-signature": signature,
    "svix-id": id,
    "svix-timestamp": ts,
    "svix-signature": signature,
  };
}

// --- sealing secrets at rest -------------------------------------------------------------------------------------

const sealKeys = new Map<string, Promise<CryptoKey>>();

function sealKey(material: string): Promise<CryptoKey> {
  let key = sealKeys.get(material);
  if (!key) {
    key = crypto.subtle.digest("SHA-256", encoder.encode(`webhook-secret:${material}`))
      .then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    sealKeys.set(material, key);
  }
  return key;
}

/**
 * AES-GCM with the endpoint id as associated data, so a sealed secret copied onto another endpoint row does not
 * open. Format `v1.<iv>.<ciphertext>`; the version leaves room for re-keying.
 */
export async function sealSecret(material: string, endpointId: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(endpointId) }, await sealKey(material), encoder.encode(secret));
  return `v1.${b64(iv)}.${b64(new Uint8Array(ct))}`;
}

export async function openSecret(material: string, endpointId: string, sealed: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !ct) throw new Error("Unknown sealed-secret format");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: unb64(iv), additionalData: encoder.encode(endpointId) }, await sealKey(material), unb64(ct));
  return new TextDecoder().decode(pt);
}
