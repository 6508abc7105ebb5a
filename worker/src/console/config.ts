/** Console policy: how long sessions, links and WebAuthn ceremonies live. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;
/** Sliding expiry is written at most this often, so reading pages does not write D1 on every call. */
export const SESSION_TOUCH_MS = 60_000;
export const LINK_TTL_MS = 7 * 24 * 3600_000;
export const CEREMONY_TTL_MS = 5 * 60_000;
export const DEFAULT_ORG_ID = "org_default";
export type Role = "owner" | "member";
