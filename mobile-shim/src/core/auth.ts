import type { HttpClient, HttpRequest, HttpResponse } from "../ports/http";
import { TransportError } from "../ports/http";
import type { Clock } from "../ports/runtime";
import type { SecureStore } from "../ports/storage";
import type { EventStream, Logger } from "./events";
import { utf8Length } from "./payload";
import type { AuthErrorEvent } from "./types";

/** Secure-store accounts, as in the iOS Keychain / Android EncryptedSharedPreferences of the official SDKs. */
const K = { userId: "userId", accessToken: "accessToken", refreshToken: "refreshToken", apiKey: "apiKey" } as const;

export interface Credentials { userId: string; accessToken: string | null; refreshToken: string | null; apiKey: string | null }

export type RefreshResult = "ok" | "authFailure" | "networkError";

const AUTH_MESSAGE = "Unauthorized - please re-authenticate";
/** Retries inside the server's 60 s reuse-grace window: a lost refresh response is recovered, never a sign-out. */
const REFRESH_RETRY_DELAYS_MS = [500, 2_000, 6_000];

/** Integrators pass "Bearer <jwt>" (the guide's example does); the stored form is the bare token. */
const bare = (token: string | null): string | null => (token ? token.replace(/^bearer\s+/i, "").trim() : null);

/** Seconds-since-epoch `exp` of a JWT, or null. Hand-rolled base64url so the core needs no host globals. */
export function jwtExpiry(token: string): number | null {
  const part = token.split(".")[1];
  if (!part) return null;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let bits = 0, acc = 0, out = "";
  for (const ch of part.replace(/=+$/, "")) {
    const v = alphabet.indexOf(ch === "+" ? "-" : ch === "/" ? "_" : ch);
    if (v < 0) return null;
    acc = (acc << 6) | v; bits += 6;
    if (bits >= 8) { bits -= 8; out += String.fromCharCode((acc >> bits) & 0xff); }
  }
  try {
    const exp = (JSON.parse(out) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp : null;
  } catch { return null; }
}

/**
 * Holds the signed-in credentials and performs authenticated requests: one coalesced refresh per expired
 * access token, rotated refresh token persisted before the new access token is used, and only a 401/403
 * from the refresh endpoint counts as "signed out by the server".
 */
export class AuthSession {
  private creds: Credentials | null = null;
  private inflight: Promise<RefreshResult> | null = null;
  /** Set after the server rejected our credentials; cleared by signIn/updateTokens. Stops useless passes. */
  authFailed = false;

  constructor(
    private readonly secure: SecureStore,
    private readonly http: HttpClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly authErrors: EventStream<AuthErrorEvent>,
    private readonly apiBase: () => string,
  ) {}

  get credentials(): Credentials | null { return this.creds; }
  get isApiKeyMode(): boolean { return !!this.creds?.apiKey && !this.creds.accessToken; }

  /** Restores the stored session: a user id plus a token or an API key (§1.2.8). */
  async load(): Promise<Credentials | null> {
    const [userId, accessToken, refreshToken, apiKey] = await Promise.all(
      [K.userId, K.accessToken, K.refreshToken, K.apiKey].map((k) => this.secure.get(k)));
    this.creds = userId && (accessToken || apiKey) ? { userId, accessToken: accessToken ?? null, refreshToken: refreshToken ?? null, apiKey: apiKey ?? null } : null;
    return this.creds;
  }

  async save(c: Credentials): Promise<void> {
    const next = { ...c, accessToken: bare(c.accessToken), refreshToken: bare(c.refreshToken) };
    for (const key of [K.accessToken, K.refreshToken, K.apiKey] as const) {
      const v = next[key];
      if (v) await this.secure.set(key, v); else await this.secure.delete(key);
    }
    await this.secure.set(K.userId, next.userId);
    this.creds = next;
    this.authFailed = false;
  }

  async updateTokens(accessToken: string, refreshToken: string | null): Promise<void> {
    if (!this.creds) return;
    // The refresh token is written first: a crash in between leaves a usable pair, never a dead one.
    if (refreshToken) await this.secure.set(K.refreshToken, bare(refreshToken)!);
    await this.secure.set(K.accessToken, bare(accessToken)!);
    this.creds = { ...this.creds, accessToken: bare(accessToken), refreshToken: refreshToken ? bare(refreshToken) : this.creds.refreshToken };
    this.authFailed = false;
  }

  async clear(): Promise<void> {
    for (const k of Object.values(K)) await this.secure.delete(k);
    this.creds = null;
    this.inflight = null;
  }

  private authHeaders(): Record<string, string> {
    if (!this.creds) return {};
    if (this.creds.accessToken) return { Authorization: `Bearer ${this.creds.accessToken}` };
    if (this.creds.apiKey) return { "X-Open-Wearables-API-Key": this.creds.apiKey };
    return {};
  }

  private emitAuthError(statusCode: number): void {
    this.authFailed = true;
    this.logger.log(`Auth error ${statusCode}: credentials rejected`);
    this.authErrors.emit({ statusCode, message: AUTH_MESSAGE });
  }

  /**
   * Refreshes once for everyone who saw `staleAccess` expire. If another caller already rotated it, returns
   * at once; concurrent callers share one in-flight request.
   */
  refresh(staleAccess: string | null): Promise<RefreshResult> {
    if (this.creds?.accessToken && this.creds.accessToken !== staleAccess) return Promise.resolve("ok");
    if (!this.inflight) {
      this.inflight = this.doRefresh().finally(() => { this.inflight = null; });
    }
    return this.inflight;
  }

  private async doRefresh(): Promise<RefreshResult> {
    const presented = this.creds?.refreshToken;
    if (!presented) { this.emitAuthError(401); return "authFailure"; }
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse | null = null;
      try {
        res = await this.http({ method: "POST", url: `${this.apiBase()}/token/refresh`, timeoutMs: 20_000,
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: utf8(JSON.stringify({ refresh_token: presented })) });
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
      }
      if (res && res.status >= 200 && res.status < 300) {
        let body: { access_token?: unknown; refresh_token?: unknown } = {};
        try { body = JSON.parse(res.body); } catch { /* treated as a transient failure below */ }
        if (typeof body.access_token === "string") {
          // Signed out meanwhile: do not resurrect credentials.
          if (!this.creds || this.creds.refreshToken !== presented) return "networkError";
          await this.updateTokens(body.access_token, typeof body.refresh_token === "string" ? body.refresh_token : null);
          this.logger.log("Token refreshed");
          return "ok";
        }
      } else if (res && (res.status === 400 || res.status === 401 || res.status === 403)) {
        this.emitAuthError(res.status === 400 ? 401 : res.status);
        return "authFailure";
      }
      const delay = REFRESH_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        this.logger.log(`Token refresh failed (${res ? `HTTP ${res.status}` : "network"}); will retry later, staying signed in`);
        return "networkError";
      }
      await this.clock.sleep(delay);
    }
  }

  /**
   * Sends an authenticated request: refreshes ahead of expiry, and on 401 refreshes once and retries once.
   * Returns the response (which may still be 401/403 after the retry: then an auth error was emitted) or
   * throws TransportError. `networkError` from refresh is reported as status 0 so callers back off.
   */
  async send(build: (headers: Record<string, string>) => HttpRequest): Promise<HttpResponse> {
    const exp = this.creds?.accessToken ? jwtExpiry(this.creds.accessToken) : null;
    if (exp !== null && exp * 1000 - this.clock.now() < 30_000 && this.creds?.refreshToken) {
      const r = await this.refresh(this.creds.accessToken);
      if (r === "authFailure") return { status: 401, headers: {}, body: "" };
    }
    const used = this.creds?.accessToken ?? null;
    const first = await this.http(build(this.authHeaders()));
    if (first.status !== 401) return first;
    if (this.isApiKeyMode || !this.creds) { this.emitAuthError(401); return first; }
    const r = await this.refresh(used);
    if (r === "authFailure") return first;
    if (r === "networkError") return { status: 0, headers: {}, body: "" };
    const second = await this.http(build(this.authHeaders()));
    if (second.status === 401 || second.status === 403) this.emitAuthError(second.status);
    return second;
  }
}

/** UTF-8 bytes of `s`; uses the host's TextEncoder when there is one, a preallocated loop otherwise. */
export function utf8(s: string): Uint8Array {
  const Encoder = (globalThis as { TextEncoder?: new () => { encode(s: string): Uint8Array } }).TextEncoder;
  if (Encoder) return new Encoder().encode(s);
  const out = new Uint8Array(utf8Length(s));
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) { out[o++] = 0xc0 | (c >> 6); out[o++] = 0x80 | (c & 63); }
    else if (c < 0x10000) { out[o++] = 0xe0 | (c >> 12); out[o++] = 0x80 | ((c >> 6) & 63); out[o++] = 0x80 | (c & 63); }
    else { out[o++] = 0xf0 | (c >> 18); out[o++] = 0x80 | ((c >> 12) & 63); out[o++] = 0x80 | ((c >> 6) & 63); out[o++] = 0x80 | (c & 63); }
  }
  return out;
}
