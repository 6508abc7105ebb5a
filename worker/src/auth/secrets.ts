/** Random credentials and their at-rest form: only SHA-256 hashes are stored, compared in constant time. */

const encoder = new TextEncoder();

export function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Constant-time comparison of two hex digests (equal length by construction). */
export function digestsEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.byteLength !== y.byteLength) return false;
  return crypto.subtle.timingSafeEqual(x, y);
}

/** Hashes `presented` and compares it to a stored digest in constant time. */
export async function matchesHash(presented: string, storedHash: string): Promise<boolean> {
  return digestsEqual(await sha256Hex(presented), storedHash);
}

// Wire formats kept from the reference so existing clients recognise them.
export const newAppId = () => `app_${randomHex(16)}`;
export const newAppSecret = () => `secret_${randomHex(32)}`;
export const newApiKey = () => `sk-${randomHex(16)}`;
/** `rt-<user id>.<128 random bits>`: the user id routes a refresh to the user's object without asking D1. */
export const newRefreshToken = (userId: string) => `rt-${userId}.${randomHex(16)}`;
const ROUTED_REFRESH = /^rt-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[0-9a-f]{32}$/;
/** The user a refresh token routes to; null for tokens issued before sessions moved to the user's object. */
export const refreshTokenUser = (token: string): string | null => ROUTED_REFRESH.exec(token)?.[1] ?? null;

/**
 * Seals `plaintext` so only a holder of `keyMaterial` can open it (AES-GCM, key = SHA-256 of the material).
 * Used to keep a rotated refresh token's successor retrievable by whoever presents the rotated token, without
 * storing any token in the clear.
 */
export async function seal(keyMaterial: string, plaintext: string): Promise<string> {
  const key = await aesKey(keyMaterial);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(plaintext)));
  return `${b64(iv)}.${b64(ct)}`;
}

export async function unseal(keyMaterial: string, sealed: string): Promise<string> {
  const [iv, ct] = sealed.split(".");
  const key = await aesKey(keyMaterial);
  const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv!) }, key, unb64(ct!));
  return new TextDecoder().decode(pt);
}

async function aesKey(material: string): Promise<CryptoKey> {
  const raw = await crypto.subtle.digest("SHA-256", encoder.encode(`seal:${material}`));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
