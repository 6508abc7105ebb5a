/**
 * The two public, code-scoped endpoints of the API Worker that serves this page (same origin). Neither returns
 * a token or health values: branding, the code's state and record counts.
 */

import type { components } from "@open-wearables-edge/client";

// The shapes are the API's own (generated from its OpenAPI document into client/), not a copy kept by hand.
type Schemas = components["schemas"];
export type ConnectInfo = Schemas["ConnectInfo"];
export type Branding = Schemas["ConnectBranding"];
export type CodeState = ConnectInfo["code_state"];
/** `first_sync` is null until the app's SDK reports progress (and absent from servers older than that report). */
export type ConnectStatus = Omit<Schemas["ConnectStatus"], "first_sync"> & { first_sync?: FirstSync | null };
/** The app's first sync, from the SDK's own progress reports: type names and counts only. */
export type FirstSync = NonNullable<Schemas["FirstSyncProgress"]>;

export type Failure =
  | { kind: "unknown" }
  | { kind: "malformed" }
  | { kind: "expired"; info: ConnectInfo | null }
  | { kind: "rate-limited"; retryAfter: number }
  | { kind: "offline" }
  | { kind: "network" };

export type Result<T> = { kind: "ok"; value: T; stale?: boolean } | Failure;

/** The code travels in a header, never in the request's path or query string (which server logs keep). */
const CODE_HEADER = "X-Invitation-Code";
const cacheKey = (code: string) => `ow.connect.${code}`;

async function get<T>(url: string, code: string): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: "application/json", [CODE_HEADER]: code }, cache: "no-store" });
  } catch {
    return { kind: navigator.onLine === false ? "offline" : "network" };
  }
  if (res.status === 429) return { kind: "rate-limited", retryAfter: Number(res.headers.get("Retry-After")) || 30 };
  if (res.status === 404) return { kind: "unknown" };
  if (res.status === 400) return { kind: "malformed" };
  if (res.status === 410) {
    const body = (await res.json().catch(() => null)) as Partial<ConnectInfo> | null;
    return { kind: "expired", info: body?.application ? (body as ConnectInfo) : null };
  }
  if (!res.ok) return { kind: "network" };
  return { kind: "ok", value: (await res.json()) as T };
}

/**
 * Branding and state for a code. Kept in localStorage (nothing secret in it) so the steps already visited still
 * render offline; a stale copy is marked as such.
 */
export async function fetchConnectInfo(code: string): Promise<Result<ConnectInfo>> {
  const result = await get<ConnectInfo>("/api/v1/connect", code);
  if (result.kind === "ok") {
    try { localStorage.setItem(cacheKey(code), JSON.stringify(result.value)); } catch { /* private mode: no cache */ }
    return result;
  }
  if (result.kind === "offline" || result.kind === "network") {
    const saved = readSaved(code);
    if (saved) return { kind: "ok", value: saved, stale: true };
  }
  if (result.kind === "unknown" || result.kind === "expired") forget(code);
  return result;
}

export function readSaved(code: string): ConnectInfo | null {
  try {
    const raw = localStorage.getItem(cacheKey(code));
    return raw ? (JSON.parse(raw) as ConnectInfo) : null;
  } catch {
    return null;
  }
}

const forget = (code: string) => {
  try { localStorage.removeItem(cacheKey(code)); } catch { /* nothing to forget */ }
};

export const fetchStatus = (code: string) => get<ConnectStatus>("/api/v1/connect/status", code);
