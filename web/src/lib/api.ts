/**
 * The two public, code-scoped endpoints of the API Worker that serves this page (same origin). Neither returns
 * a token or health values: branding, the code's state and record counts.
 */

export type CodeState = "valid" | "expired" | "used" | "unknown";

export interface Branding {
  display_name: string | null;
  logo_url: string | null;
  accent_color: string | null;
  deep_link_scheme: string;
  universal_link_base_url: string | null;
  app_store_url: string | null;
  play_store_url: string | null;
  redirect_url: string | null;
}

export interface ConnectInfo {
  code_state: CodeState;
  expires_at: string | null;
  application: Branding;
  requested_data_types: string[];
}

export interface ConnectStatus {
  code_state: CodeState;
  stage: "waiting_for_app" | "connected" | "receiving_data";
  connected_at: string | null;
  total_records: number;
  total_workouts: number;
  total_sleep_sessions: number;
  first_data_at: string | null;
  last_sync_at: string | null;
  server_time: string;
}

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
