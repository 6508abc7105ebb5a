import type { HttpResponse } from "../ports/http";
import { TransportError } from "../ports/http";
import type { Clock, Gzip } from "../ports/runtime";
import type { KeyValueStore } from "../ports/storage";
import type { AuthSession } from "./auth";
import { utf8 } from "./auth";
import { backoffDelay, classifyStatus, parseRetryAfter, type BackoffPolicy } from "./backoff";
import type { Logger } from "./events";

export interface UploadStats { requests: number; rawBytes: number; wireBytes: number; retries: number }

/** Result of delivering one chunk. `deadLettered` items were refused for good and will not be re-sent. */
export type UploadResult =
  | { ok: true; deadLettered: number; response: Record<string, unknown> | null }
  | { ok: false; reason: "auth" | "retryLater" | "cancelled"; retryInMs: number; detail: string };

export interface UploaderDeps {
  auth: AuthSession;
  clock: Clock;
  gzip: Gzip | null;
  kv: KeyValueStore;
  logger: Logger;
  backoff: BackoffPolicy;
  random: () => number;
  timeoutMs: number;
  isCancelled: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

const gzipOffKey = (url: string) => `ow.config.gzipOff.${encodeURIComponent(url.split("/api/")[0] ?? url)}`;

/**
 * Sends chunk bodies: gzip (falling back to identity once for servers that cannot read it), 401 handled by
 * AuthSession, 408/429/5xx/transport retried with jittered backoff honouring Retry-After, 400/413/422
 * bisected so one bad record is dead-lettered instead of blocking or silently dropping the whole chunk.
 */
export class Uploader {
  readonly stats: UploadStats = { requests: 0, rawBytes: 0, wireBytes: 0, retries: 0 };
  constructor(private readonly d: UploaderDeps) {}

  /** Starts compressing a body ahead of its upload (null without gzip). Never rejects before it is awaited. */
  precompress(body: string): Promise<Uint8Array> | null {
    if (!this.d.gzip) return null;
    const p = this.d.gzip(utf8(body));
    p.catch(() => undefined);
    return p;
  }

  private async post(url: string, body: string, pre?: Promise<Uint8Array>): Promise<HttpResponse> {
    const raw = utf8(body);
    const useGzip = this.d.gzip && (await this.d.kv.get(gzipOffKey(url))) !== "1";
    const wire = useGzip ? await (pre ?? this.d.gzip!(raw)) : raw;
    this.stats.requests++;
    this.stats.rawBytes += raw.length;
    this.stats.wireBytes += wire.length;
    const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
    if (useGzip) headers["Content-Encoding"] = "gzip";
    const res = await this.d.auth.send((auth) => ({ method: "POST", url, headers: { ...headers, ...auth }, body: wire, timeoutMs: this.d.timeoutMs }));
    if (useGzip && (res.status === 415 || res.status === 400)) {
      // A server that cannot read gzip answers 415 (or 400 for undecodable JSON): retry once in identity and remember.
      const plain = await this.d.auth.send((auth) => ({ method: "POST", url, headers: { "Content-Type": "application/json", Accept: "application/json", ...auth }, body: raw, timeoutMs: this.d.timeoutMs }));
      this.stats.requests++;
      this.stats.wireBytes += raw.length;
      if (plain.status !== 415 && plain.status !== 400) {
        await this.d.kv.set(gzipOffKey(url), "1");
        this.d.logger.log("Server does not accept gzip bodies; sending uncompressed from now on");
      }
      return plain;
    }
    return res;
  }

  /** Delivers one body, retrying transient failures within this pass up to the policy's attempt budget. */
  async deliver(url: string, body: string, pre?: Promise<Uint8Array>): Promise<UploadResult> {
    for (let attempt = 1; ; attempt++) {
      if (this.d.isCancelled()) return { ok: false, reason: "cancelled", retryInMs: 0, detail: "cancelled" };
      let res: HttpResponse | null = null;
      let detail: string;
      try {
        res = await this.post(url, body, pre);
        detail = `HTTP ${res.status}`;
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        detail = e.timedOut ? "timeout" : "network error";
      }
      const outcome = res ? (res.status === 0 ? "retry" : classifyStatus(res.status)) : "retry";
      if (outcome === "success") return { ok: true, deadLettered: countRejected(res!), response: parseJson(res!.body) };
      if (outcome === "unauthorized" || res?.status === 403) {
        return { ok: false, reason: "auth", retryInMs: 0, detail };
      }
      if (outcome === "reject" || outcome === "tooLarge") return this.bisect(url, body, detail);
      const delay = backoffDelay(this.d.backoff, attempt, parseRetryAfter(res?.headers["retry-after"], this.d.clock.now()), this.d.random);
      if (attempt >= this.d.backoff.maxAttemptsPerPass) return { ok: false, reason: "retryLater", retryInMs: delay, detail };
      this.stats.retries++;
      this.d.logger.log(`Upload failed (${detail}); retrying in ${Math.round(delay / 100) / 10}s`);
      await this.d.sleep(delay);
    }
  }

  /** Splits a refused body in halves until the refused items are isolated; those are dead-lettered. */
  private async bisect(url: string, body: string, detail: string): Promise<UploadResult> {
    const parsed = JSON.parse(body) as { data: Record<"records" | "sleep" | "workouts", unknown[]> } & Record<string, unknown>;
    const all = (["records", "sleep", "workouts"] as const).flatMap((k) => parsed.data[k].map((item) => ({ k, item })));
    if (all.length <= 1) {
      this.d.logger.log(`Server refused a single item (${detail}); dead-lettered`);
      return { ok: true, deadLettered: all.length, response: null };
    }
    this.d.logger.log(`Server refused a chunk of ${all.length} items (${detail}); splitting it`);
    let dead = 0;
    for (const half of [all.slice(0, all.length >> 1), all.slice(all.length >> 1)]) {
      const data = { records: [] as unknown[], sleep: [] as unknown[], workouts: [] as unknown[] };
      for (const { k, item } of half) data[k].push(item);
      const r = await this.deliver(url, JSON.stringify({ ...parsed, data }));
      if (!r.ok) return r;
      dead += r.deadLettered;
    }
    return { ok: true, deadLettered: dead, response: null };
  }
}

function parseJson(text: string): Record<string, unknown> | null {
  try { const v = JSON.parse(text); return v && typeof v === "object" ? v as Record<string, unknown> : null; } catch { return null; }
}

/** Our server's additive `rejected` field (a count or a list); other servers omit it. */
function countRejected(res: HttpResponse): number {
  const body = parseJson(res.body);
  const r = body?.rejected;
  return typeof r === "number" ? r : Array.isArray(r) ? r.length : 0;
}
