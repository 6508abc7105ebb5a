import { env } from "cloudflare:test";
import { SignJWT, UnsecuredJWT, decodeProtectedHeader, importJWK, base64url } from "jose";
import { describe, expect, it } from "vitest";
import { signAccessToken, verifyAccessToken, type KeyConfig } from "../../src/auth/access-tokens";
import { keyConfig } from "../../src/auth/middleware";
import { call } from "../setup/harness";

const USER = "0b7e9a52-5f4a-4d8e-9a57-3f1f5b2f9c11";
const config = (): KeyConfig => keyConfig(env);
const privateJwk = () => JSON.parse(env.JWT_PRIVATE_KEY);

async function signWith(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importJWK(privateJwk(), "ES256");
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    scope: "sdk", app_id: "app_x", sub: USER, iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, iat: now, exp: now + 600, ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: "test-key", typ: "at+jwt", ...header }).sign(key);
}

describe("SDK access tokens", () => {
  it("are ES256 JWTs with a kid that the JWKS publishes, and keep the reference's claims", async () => {
    const token = await signAccessToken(config(), USER, "app_abc");
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "ES256", kid: "test-key", typ: "at+jwt" });
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[1]!)));
    expect(payload).toMatchObject({ sub: USER, scope: "sdk", app_id: "app_abc", iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE });
    expect(payload.exp - payload.iat).toBe(15 * 60);

    const jwks = await call("GET", "/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    expect(jwks.json.keys).toHaveLength(1);
    expect(jwks.json.keys[0]).toMatchObject({ kid: "test-key", kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(jwks.json.keys[0].d).toBeUndefined();

    expect(await verifyAccessToken(config(), token)).toEqual({ userId: USER, appId: "app_abc" });
  });

  it("rejects alg none", async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = new UnsecuredJWT({ scope: "sdk", app_id: "a" }).setSubject(USER).setIssuer(env.JWT_ISSUER)
      .setAudience(env.JWT_AUDIENCE).setExpirationTime(now + 600).encode();
    expect(await verifyAccessToken(config(), unsigned)).toBeNull();
  });

  it("rejects HS256 signed with the public key (algorithm confusion)", async () => {
    const { d: _d, ...pub } = privateJwk();
    const secret = new TextEncoder().encode(JSON.stringify(pub));
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ scope: "sdk", app_id: "a" })
      .setProtectedHeader({ alg: "HS256", kid: "test-key", typ: "at+jwt" })
      .setSubject(USER).setIssuer(env.JWT_ISSUER).setAudience(env.JWT_AUDIENCE).setExpirationTime(now + 600)
      .sign(secret);
    expect(await verifyAccessToken(config(), forged)).toBeNull();
  });

  it("rejects a wrong audience, a wrong issuer, a wrong typ and a non-SDK scope", async () => {
    expect(await verifyAccessToken(config(), await signWith({ aud: "someone-else" }))).toBeNull();
    expect(await verifyAccessToken(config(), await signWith({ iss: "https://evil.example" }))).toBeNull();
    expect(await verifyAccessToken(config(), await signWith({}, { typ: "JWT" }))).toBeNull();
    expect(await verifyAccessToken(config(), await signWith({ scope: "developer" }))).toBeNull();
    expect(await verifyAccessToken(config(), await signWith({ sub: "not-a-uuid" }))).toBeNull();
    // The control: the same construction with the right claims verifies.
    expect(await verifyAccessToken(config(), await signWith({}))).toEqual({ userId: USER, appId: "app_x" });
  });

  it("rejects an expired token", async () => {
    const token = await signAccessToken(config(), USER, "app_abc", Date.now() - 16 * 60_000);
    expect(await verifyAccessToken(config(), token)).toBeNull();
  });

  it("rejects a tampered payload and a token signed by another key", async () => {
    const token = await signAccessToken(config(), USER, "app_abc");
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    const tampered = `${h}.${base64url.encode(JSON.stringify({ ...claims, sub: "1b7e9a52-5f4a-4d8e-9a57-3f1f5b2f9c11" }))}.${s}`;
    expect(await verifyAccessToken(config(), tampered)).toBeNull();

    const other = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])) as CryptoKeyPair;
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT({ scope: "sdk", app_id: "a" })
      .setProtectedHeader({ alg: "ES256", kid: "test-key", typ: "at+jwt" })
      .setSubject(USER).setIssuer(env.JWT_ISSUER).setAudience(env.JWT_AUDIENCE).setExpirationTime(now + 600)
      .sign(other.privateKey);
    expect(await verifyAccessToken(config(), foreign)).toBeNull();
  });

  it("throws (a server fault, so 5xx) rather than rejecting when the signing key is misconfigured", async () => {
    await expect(verifyAccessToken({ ...config(), privateJwk: "{not json" }, "a.b.c")).rejects.toThrow();
  });

  it("publishes retiring keys during a rotation and still verifies their tokens", async () => {
    const old = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const oldPublic = { ...(await crypto.subtle.exportKey("jwk", old.publicKey)), kid: "old-key" } as Record<string, unknown>;
    const rotated: KeyConfig = { ...config(), previousPublicJwks: JSON.stringify([oldPublic]) };
    const now = Math.floor(Date.now() / 1000);
    const oldToken = await new SignJWT({ scope: "sdk", app_id: "a" })
      .setProtectedHeader({ alg: "ES256", kid: "old-key", typ: "at+jwt" })
      .setSubject(USER).setIssuer(env.JWT_ISSUER).setAudience(env.JWT_AUDIENCE).setIssuedAt(now).setExpirationTime(now + 600)
      .sign(old.privateKey);
    expect(await verifyAccessToken(config(), oldToken)).toBeNull();
    expect(await verifyAccessToken(rotated, oldToken)).toEqual({ userId: USER, appId: "a" });
  });

  describe("maximum age (attack: a token that claims to live longer than we ever issue)", () => {
    const now = () => Math.floor(Date.now() / 1000);

    it("rejects an iat in the future beyond the clock skew, whatever exp says", async () => {
      expect(await verifyAccessToken(config(), await signWith({ iat: now() + 3600, exp: now() + 3600 + 900 }))).toBeNull();
      expect(await verifyAccessToken(config(), await signWith({ iat: now() + 120, exp: now() + 1000 }))).toBeNull();
      // Within the skew (a verifier whose clock is a little behind the signer's) it is accepted.
      expect(await verifyAccessToken(config(), await signWith({ iat: now() + 30, exp: now() + 900 }))).toEqual({ userId: USER, appId: "app_x" });
    });

    it("rejects a token older than 15 minutes plus skew even if exp is years away", async () => {
      const tenYears = now() + 10 * 365 * 86400;
      expect(await verifyAccessToken(config(), await signWith({ iat: now() - 16 * 60 - 30, exp: tenYears }))).toBeNull();
      expect(await verifyAccessToken(config(), await signWith({ iat: now() - 365 * 86400, exp: tenYears }))).toBeNull();
      // 14 minutes old with a normal lifetime still works.
      expect(await verifyAccessToken(config(), await signWith({ iat: now() - 14 * 60, exp: now() + 60 }))).toEqual({ userId: USER, appId: "app_x" });
    });

    it("rejects a token without iat (its age cannot be judged)", async () => {
      expect(await verifyAccessToken(config(), await signWith({ iat: undefined }))).toBeNull();
    });

    it("is refused at the API with 401, not only by the verifier", async () => {
      const res = await call("POST", `/api/v1/sdk/users/${USER}/sync`, {
        headers: { Authorization: `Bearer ${await signWith({ iat: now() - 3600, exp: now() + 86400 * 365 })}` },
        body: { data: {} },
      });
      expect(res.status).toBe(401);
      expect(res.json.detail).toBeTypeOf("string");
    });
  });
});
