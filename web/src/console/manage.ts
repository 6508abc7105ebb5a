import { call } from "./api";

/** The API's own management routes, called with the console session (mounted under /api/v1/console/manage). */
export const manage = <T>(method: string, path: string, body?: unknown) => call<T>(method, `/manage${path}`, body);

export interface Application { id: string; app_id: string; name: string; created_at: string; app_secret?: string }
export interface AppSettings {
  app_id: string; display_name: string | null; logo_url: string | null; accent_color: string | null; requested_data_types: string[];
  deep_link_scheme: string; universal_link_base_url: string | null; app_store_url: string | null; play_store_url: string | null; redirect_url: string | null;
}
export interface ApiKey { id: string; key_id: string; key_prefix: string; name: string; created_at: string }
export interface Endpoint {
  id: string; url: string; description: string | null; filter_types: string[] | null; app_id: string | null; enabled: boolean;
  disabled_reason: string | null; consecutive_failures: number; last_success_at: string | null; created_at: string; secret?: string;
}
export interface Delivery { id: string; msgId: string; eventType: string; statusText: string; responseStatusCode: number; attempts: number; lastError: string | null; createdAt: string | null; deliveredAt: string | null }
export interface McpGrant {
  id: string; client_id: string; client_name: string | null; scope: string[]; granted_by: string | null; granted_by_label: string | null;
  created_at: string; expires_at: string | null;
}
