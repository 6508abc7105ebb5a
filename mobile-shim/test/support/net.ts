import { gunzipSync } from "node:zlib";
import type { HttpClient, HttpRequest, HttpResponse } from "../../src/ports/http";
import { TransportError } from "../../src/ports/http";

/** Thrown to simulate the OS killing the app: not a TransportError, so nothing in the SDK handles it. */
export class Killed extends Error { constructor(where: string) { super(`killed ${where}`); this.name = "Killed"; } }

export interface Exchange { url: string; path: string; status: number; gzip: boolean; wireBytes: number; body: any; response: any }

/** Records every exchange with the real server (decoding gzip bodies) for assertions. */
export class WireTap {
  readonly exchanges: Exchange[] = [];
  wrap(inner: HttpClient): HttpClient {
    return async (req) => {
      const res = await inner(req);
      this.record(req, res);
      return res;
    };
  }
  record(req: HttpRequest, res: HttpResponse) {
    const gzip = req.headers["Content-Encoding"] === "gzip";
    const raw = req.body ? (gzip ? gunzipSync(req.body) : Buffer.from(req.body)) : null;
    let body: any = null, response: any = null;
    try { body = raw ? JSON.parse(raw.toString("utf8")) : null; } catch { body = raw?.toString("utf8"); }
    try { response = res.body ? JSON.parse(res.body) : null; } catch { response = res.body; }
    this.exchanges.push({ url: req.url, path: new URL(req.url).pathname, status: res.status, gzip, wireBytes: req.body?.length ?? 0, body, response });
  }
  syncs(ok = true) { return this.exchanges.filter((e) => e.path.endsWith("/sync") && (!ok || (e.status >= 200 && e.status < 300))); }
  /** Ids of every item the server acknowledged (with repeats, in order). */
  ackedIds(): string[] {
    return this.syncs().flatMap((e) => [...e.body.data.records, ...e.body.data.sleep, ...e.body.data.workouts].map((i: any) => i.id));
  }
  saved() {
    return this.syncs().reduce((n, e) => ({ records: n.records + e.response.records_saved, workouts: n.workouts + e.response.workouts_saved,
      sleep: n.sleep + e.response.sleep_saved, dupRecords: n.dupRecords + e.response.duplicates.records }), { records: 0, workouts: 0, sleep: 0, dupRecords: 0 });
  }
  count(pathSuffix: string) { return this.exchanges.filter((e) => e.path.endsWith(pathSuffix)).length; }
}

export type FaultAction =
  | { kind: "status"; status: number; headers?: Record<string, string> }   // answered without reaching the server
  | { kind: "dropResponse" }                                              // reached the server, response lost
  | { kind: "timeout" }                                                   // reached the server, then timed out
  | { kind: "refused" }                                                   // never reached the server
  | { kind: "killBeforeSend" } | { kind: "killAfterResponse" }
  | { kind: "hang" };                                                     // never answers (a server that stalls)

export interface Fault { path: string; nth?: number; times?: number; action: FaultAction }

/**
 * Fault injection at the HTTP port, wrapping the real fetch: a fault matches requests whose path ends with
 * `path`, starting at the nth matching request (1-based), for `times` requests.
 */
export class FaultyNet {
  private seen = new Map<Fault, number>();
  constructor(private readonly inner: HttpClient, public faults: Fault[] = [], private readonly tap?: WireTap) {}
  /** Lets a test alter a request on its way out (e.g. present an expired token). */
  onRequest: ((req: HttpRequest) => void) | null = null;
  readonly client: HttpClient = async (req) => {
    const path = new URL(req.url).pathname;
    this.onRequest?.(req);
    const fault = this.faults.find((f) => {
      if (!path.endsWith(f.path)) return false;
      const n = (this.seen.get(f) ?? 0) + 1;
      this.seen.set(f, n);
      const from = f.nth ?? 1;
      return n >= from && n < from + (f.times ?? 1);
    });
    const a = fault?.action;
    if (a?.kind === "status") return { status: a.status, headers: Object.fromEntries(Object.entries(a.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])), body: JSON.stringify({ detail: "injected" }) };
    if (a?.kind === "refused") throw new TransportError("network error: ECONNREFUSED (injected)");
    if (a?.kind === "killBeforeSend") throw new Killed(`before ${path}`);
    if (a?.kind === "hang") return new Promise<never>(() => undefined);
    const res = await this.inner(req);
    this.tap?.record(req, res);
    if (a?.kind === "dropResponse") throw new TransportError("response lost (injected)");
    if (a?.kind === "timeout") throw new TransportError("request timed out (injected)", true);
    if (a?.kind === "killAfterResponse") throw new Killed(`after ${path}`);
    return res;
  };
}
