import type { HttpClient } from "../../ports/http";
import { TransportError } from "../../ports/http";

/** fetch-based HTTP port. Response header names are lower-cased (the engine reads `retry-after`). */
export const fetchHttpClient: HttpClient = async (req) => {
  let res: Response;
  try {
    res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs) });
  } catch (e) {
    const err = e as Error;
    throw new TransportError(err.name === "TimeoutError" ? "request timed out" : `network error: ${err.message}`, err.name === "TimeoutError");
  }
  let body: string;
  try { body = await res.text(); } catch (e) { throw new TransportError(`response lost: ${(e as Error).message}`); }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => { headers[k.toLowerCase()] = v; });
  return { status: res.status, headers, body };
};
