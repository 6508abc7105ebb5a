/**
 * The console's calls to its Worker (same origin). The session is an HttpOnly cookie the page never sees; every
 * call sends `X-Console-Request: 1`, which the Worker requires so no other site can make these calls.
 */

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Fired when the session ended (expired, signed out elsewhere, removed): the app shows the sign-in screen. */
export const SIGNED_OUT = "console:signed-out";

export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1/console${path}`, {
    method,
    credentials: "same-origin",
    headers: { "X-Console-Request": "1", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith("/auth/")) window.dispatchEvent(new Event(SIGNED_OUT));
    throw new ApiError(res.status, (json as { detail?: string }).detail ?? res.statusText);
  }
  return json as T;
}

export const get = <T>(path: string) => call<T>("GET", path);
export const post = <T>(path: string, body: unknown = {}) => call<T>("POST", path, body);
export const del = <T>(path: string, body?: unknown) => call<T>("DELETE", path, body);

export interface Me { member_id: string; display_name: string; role: "owner" | "member"; organization_id: string; organization_name: string | null }

export interface UserRow {
  id: string; email: string | null; first_name: string | null; last_name: string | null; external_id: string | null; created_at: string;
  total_records: number; total_workouts: number; total_sleep_sessions: number; last_sync_at: string | null;
  providers: string[]; stuck: boolean; last_rejected: number;
}
export interface UserDetail extends UserRow {
  data_sources: { id: string; provider: string; device_model: string | null; source: string | null; display_name: string | null; last_seen_at: string }[];
}
export interface Overview {
  users_total: number; sampled_users: number; connected_users: number; active_24h: number;
  per_day: { date: string; records: number; uploads: number }[];
  stuck_clients: { user_id: string; label: string; repeat_count: number; last_sync_at: string | null }[];
  failing_webhooks: { id: string; url: string; description: string | null; enabled: boolean; disabled_reason: string | null; consecutive_failures: number; failing_since: string | null }[];
}
export interface Columns { t: number[]; v: number[]; min?: number[]; max?: number[] }
export interface SyncRun {
  run_id: string; provider: string; status: string; started_at: string; duration_ms: number; items_processed: number;
  repeat_count: number; stuck_client_suspected: boolean; error: string | null;
  counts: { received?: Record<string, number>; records_saved?: number; workouts_saved?: number; sleep_saved?: number; dropped_count?: number; duplicates?: Record<string, number> };
  rejected_sample: { collection: string; index: number; id?: string | null; reason: string; message: string }[];
}
