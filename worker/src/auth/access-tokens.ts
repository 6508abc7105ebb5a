import {
  SignJWT,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  importJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
} from "jose";

/** SDK access tokens: short-lived ES256 JWTs with the reference's claims (`sub`, `scope: "sdk"`, `app_id`). */

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** Clock difference tolerated between the signer and a verifier (the same fleet, so small). */
export const CLOCK_SKEW_SECONDS = 60;
const ALGORITHM = "ES256";
const TOKEN_TYPE = "at+jwt";

export interface KeyConfig {
  privateJwk: string;
  previousPublicJwks?: string;
  issuer: string;
  audience: string;
}

interface LoadedKeys {
  signingKey: CryptoKey;
  kid: string;
  jwks: JSONWebKeySet;
  verifySet: ReturnType<typeof createLocalJWKSet>;
}

// Importing keys costs more than signing; keep them per isolate, keyed by the secret's text.
let cache: { source: string; keys: Promise<LoadedKeys> } | undefined;

function loadKeys(config: KeyConfig): Promise<LoadedKeys> {
  const source = `${config.privateJwk}\n${config.previousPublicJwks ?? ""}`;
  if (cache?.source !== source) {
    const keys = importKeys(config);
    // A failed import must not be cached: the next request retries.
    keys.catch(() => { if (cache?.keys === keys) cache = undefined; });
    cache = { source, keys };
  }
  return cache.keys;
}

async function importKeys(config: KeyConfig): Promise<LoadedKeys> {
  if (!config.privateJwk) throw new Error("JWT_PRIVATE_KEY is not configured");
  const jwk = JSON.parse(config.privateJwk) as JWK;
  if (!jwk.kid) throw new Error("JWT_PRIVATE_KEY must carry a kid");
  const signingKey = (await importJWK({ ...jwk, alg: ALGORITHM }, ALGORITHM)) as CryptoKey;
  const { d: _private, ...publicJwk } = jwk;
  const previous = config.previousPublicJwks ? (JSON.parse(config.previousPublicJwks) as JWK[]) : [];
  const jwks: JSONWebKeySet = {
    keys: [publicJwk, ...previous].map((k) => ({ kty: k.kty, crv: k.crv, x: k.x, y: k.y, kid: k.kid, alg: ALGORITHM, use: "sig" })),
  };
  return { signingKey, kid: jwk.kid, jwks, verifySet: createLocalJWKSet(jwks) };
}

export async function publicJwks(config: KeyConfig): Promise<JSONWebKeySet> {
  return (await loadKeys(config)).jwks;
}

export async function signAccessToken(config: KeyConfig, userId: string, appId: string, now = Date.now()): Promise<string> {
  const { signingKey, kid } = await loadKeys(config);
  const iat = Math.floor(now / 1000);
  return new SignJWT({ scope: "sdk", app_id: appId })
    .setProtectedHeader({ alg: ALGORITHM, kid, typ: TOKEN_TYPE })
    .setSubject(userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(signingKey);
}

export interface SdkClaims {
  userId: string;
  appId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Verifies an SDK access token. Returns null for anything the client got wrong (bad signature, `alg: none`,
 * HS256 confusion, wrong `iss`/`aud`/`typ`, expired, `iat` in the future or older than the
 * maximum lifetime, malformed, not an SDK token). Server-side problems
 * (a missing or broken key) throw, so they surface as 5xx and never make an SDK drop its session.
 */
export async function verifyAccessToken(config: KeyConfig, token: string): Promise<SdkClaims | null> {
  const { verifySet } = await loadKeys(config);
  try {
    const { payload } = await jwtVerify(token, verifySet, {
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      typ: TOKEN_TYPE,
      requiredClaims: ["exp", "sub", "iat"],
      clockTolerance: CLOCK_SKEW_SECONDS,
      // Whatever `exp` says, a token is honoured only as long as we issue them for (a bug or a leaked key that
      // signs long-lived tokens must not yield tokens that live for years). With maxTokenAge jose also refuses
      // an `iat` in the future beyond the tolerance: a token minted "later" is a forged clock or a broken signer.
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
    });
    if (payload.scope !== "sdk" || typeof payload.app_id !== "string") return null;
    if (!payload.sub || !UUID.test(payload.sub)) return null;
    return { userId: payload.sub.toLowerCase(), appId: payload.app_id };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}

/** Creates a fresh signing key (used by `npm start` and the tests to fill JWT_PRIVATE_KEY). */
export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `k-${crypto.randomUUID().slice(0, 8)}`, alg: ALGORITHM };
}
