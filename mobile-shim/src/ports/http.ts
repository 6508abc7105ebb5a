/** One HTTP exchange. Bodies are bytes so the engine controls encoding (gzip) and measures wire size. */
export interface HttpRequest {
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Abort and reject with a transport error after this long. */
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Rejects (throws) only for transport failures: DNS, refused, reset, timeout. Any status is a response. */
export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

export class TransportError extends Error {
  constructor(message: string, readonly timedOut = false) {
    super(message);
    this.name = "TransportError";
  }
}
