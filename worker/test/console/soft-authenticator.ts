import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A software passkey (platform authenticator with user verification) producing real WebAuthn responses, so the
 * Worker's SimpleWebAuthn verification runs unchanged inside workerd. The browser tests use Chromium's virtual
 * authenticator instead.
 */

const enc = new TextEncoder();
const b64 = (bytes: Uint8Array | ArrayBuffer) => isoBase64URL.fromBuffer(new Uint8Array(bytes) as Uint8Array<ArrayBuffer>);
const sha256 = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const u32 = (n: number) => new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

/** Raw r||s (WebCrypto) → ASN.1 DER (what WebAuthn carries). */
function derSignature(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.slice(i);
    if (v[0]! & 0x80) v = concat(new Uint8Array([0]), v);
    return concat(new Uint8Array([0x02, v.length]), v);
  };
  const body = concat(int(raw.slice(0, 32)), int(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

export class SoftPasskey {
  private keys!: CryptoKeyPair;
  readonly credentialId = crypto.getRandomValues(new Uint8Array(32));
  private counter = 0;
  private userHandle = "";
  constructor(readonly origin: string, private userVerified = true) {}

  get id() { return b64(this.credentialId); }

  private async authData(rpId: string, attested?: Uint8Array) {
    const flags = 0x01 | (this.userVerified ? 0x04 : 0) | (attested ? 0x40 : 0);
    return concat(await sha256(enc.encode(rpId)), new Uint8Array([flags]), u32(++this.counter), attested ?? new Uint8Array());
  }

  private clientData(type: string, challenge: string, origin = this.origin) {
    return enc.encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** A registration response for `navigator.credentials.create(options)`. */
  async create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, origin = this.origin) {
    this.keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    this.userHandle = options.user.id;
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([
      [1, 2], [3, -7], [-1, 1], [-2, isoBase64URL.toBuffer(jwk.x!)], [-3, isoBase64URL.toBuffer(jwk.y!)],
    ]));
    const attested = concat(new Uint8Array(16), new Uint8Array([0, this.credentialId.length]), this.credentialId, cose);
    const authData = await this.authData(options.rp.id ?? new URL(this.origin).hostname, attested);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]) as never);
    return {
      id: this.id, rawId: this.id, type: "public-key" as const,
      response: { clientDataJSON: b64(this.clientData("webauthn.create", options.challenge, origin)), attestationObject: b64(attestationObject), transports: ["internal"] },
      clientExtensionResults: {}, authenticatorAttachment: "platform",
    };
  }

  /** An authentication response for `navigator.credentials.get(options)`. */
  async get(options: { challenge: string; rpId?: string }, origin = this.origin) {
    const authData = await this.authData(options.rpId ?? new URL(this.origin).hostname);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, origin);
    const signed = concat(authData, await sha256(clientDataJSON));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, signed));
    return {
      id: this.id, rawId: this.id, type: "public-key" as const,
      response: { clientDataJSON: b64(clientDataJSON), authenticatorData: b64(authData), signature: b64(derSignature(raw)), userHandle: this.userHandle },
      clientExtensionResults: {}, authenticatorAttachment: "platform",
    };
  }
}
