import { isoZ } from "../lib/time";
import { newSigningSecret, openSecret, sealSecret } from "./signing";

/** Webhook endpoints in D1: plain functions, no HTTP. */

export interface EndpointRow {
  id: string;
  organization_id: string;
  application_id: string | null;
  app_id: string | null; // joined from applications
  url: string;
  description: string | null;
  filter_types: string | null;
  user_id: string | null;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: number | null;
  disabled_at: number | null;
  disabled_reason: string | null;
  consecutive_failures: number;
  failing_since: number | null;
  last_success_at: number | null;
  created_at: number;
  updated_at: number | null;
}

const SELECT = `SELECT e.*, a.app_id AS app_id FROM webhook_endpoints e LEFT JOIN applications a ON a.id = e.application_id`;

export const parseFilter = (raw: string | null): string[] | null => (raw ? (JSON.parse(raw) as string[]) : null);

/** Wire shape: the reference's fields (`id,url,description,filter_types,user_id`) plus ours, added only. */
export const toEndpointRead = (row: EndpointRow) => ({
  id: row.id,
  url: row.url,
  description: row.description,
  filter_types: parseFilter(row.filter_types),
  user_id: row.user_id,
  app_id: row.app_id,
  enabled: row.disabled_at === null,
  disabled_at: row.disabled_at === null ? null : isoZ(row.disabled_at),
  disabled_reason: row.disabled_reason,
  consecutive_failures: row.consecutive_failures,
  last_success_at: row.last_success_at === null ? null : isoZ(row.last_success_at),
  previous_secret_expires_at: row.previous_secret_expires_at === null ? null : isoZ(row.previous_secret_expires_at),
  created_at: isoZ(row.created_at),
  updated_at: row.updated_at === null ? null : isoZ(row.updated_at),
});

export interface EndpointInput {
  url: string;
  description?: string | null;
  filter_types?: string[] | null;
  user_id?: string | null;
}

const filterJson = (types: string[] | null | undefined) => (types && types.length ? JSON.stringify([...new Set(types)]) : null);

export async function createEndpoint(db: D1Database, sealKey: string, orgId: string, applicationId: string | null, input: EndpointInput) {
  const id = crypto.randomUUID();
  const secret = newSigningSecret();
  await db.prepare(
    `INSERT INTO webhook_endpoints (id, organization_id, application_id, url, description, filter_types, user_id, secret_enc, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(id, orgId, applicationId, input.url, input.description ?? null, filterJson(input.filter_types), input.user_id ?? null,
    await sealSecret(sealKey, id, secret), Date.now()).run();
  return { row: (await getEndpoint(db, orgId, id))!, secret };
}

/** The endpoint inside the organization (another organization's reads as missing). */
export const getEndpoint = (db: D1Database, orgId: string, id: string) =>
  db.prepare(`${SELECT} WHERE e.id = ? AND e.organization_id = ?`).bind(id, orgId).first<EndpointRow>();

export async function listEndpoints(db: D1Database, orgId: string, applicationId?: string) {
  const stmt = applicationId
    ? db.prepare(`${SELECT} WHERE e.organization_id = ? AND e.application_id = ? ORDER BY e.created_at, e.id`).bind(orgId, applicationId)
    : db.prepare(`${SELECT} WHERE e.organization_id = ? ORDER BY e.created_at, e.id`).bind(orgId);
  return (await stmt.all<EndpointRow>()).results;
}

export async function getEndpointsByIds(db: D1Database, ids: string[]): Promise<Map<string, EndpointRow>> {
  const out = new Map<string, EndpointRow>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const { results } = await db.prepare(`${SELECT} WHERE e.id IN (${chunk.map(() => "?").join(",")})`).bind(...chunk).all<EndpointRow>();
    for (const row of results) out.set(row.id, row);
  }
  return out;
}

export interface EndpointPatch extends Partial<EndpointInput> { enabled?: boolean }

export async function updateEndpoint(db: D1Database, orgId: string, id: string, patch: EndpointPatch): Promise<EndpointRow | null> {
  const sets: string[] = [];
  const args: unknown[] = [];
  const set = (sql: string, value: unknown) => { sets.push(sql); args.push(value); };
  if (patch.url !== undefined) set("url = ?", patch.url);
  if (patch.description !== undefined) set("description = ?", patch.description);
  if (patch.filter_types !== undefined) set("filter_types = ?", filterJson(patch.filter_types));
  if (patch.user_id !== undefined) set("user_id = ?", patch.user_id);
  if (patch.enabled === true) sets.push("disabled_at = NULL", "disabled_reason = NULL", "consecutive_failures = 0", "failing_since = NULL");
  if (patch.enabled === false) {
    set("disabled_at = ?", Date.now());
    set("disabled_reason = ?", "Disabled through the API");
  }
  set("updated_at = ?", Date.now());
  const result = await db.prepare(`UPDATE webhook_endpoints SET ${sets.join(", ")} WHERE id = ? AND organization_id = ?`)
    .bind(...args, id, orgId).run();
  return result.meta.changes ? getEndpoint(db, orgId, id) : null;
}

export async function deleteEndpoint(db: D1Database, orgId: string, id: string): Promise<boolean> {
  return (await db.prepare(`DELETE FROM webhook_endpoints WHERE id = ? AND organization_id = ?`).bind(id, orgId).run()).meta.changes > 0;
}

/** New secret; the current one keeps signing alongside it for `graceSeconds` so receivers can roll over. */
export async function rotateEndpointSecret(db: D1Database, sealKey: string, row: EndpointRow, graceSeconds: number) {
  const secret = newSigningSecret();
  const now = Date.now();
  const keepOld = graceSeconds > 0;
  // The previous secret is re-sealed as-is; it never leaves the Worker.
  await db.prepare(
    `UPDATE webhook_endpoints SET secret_enc = ?, previous_secret_enc = ?, previous_secret_expires_at = ?, updated_at = ? WHERE id = ?`,
  ).bind(await sealSecret(sealKey, row.id, secret), keepOld ? row.secret_enc : null,
    keepOld ? now + graceSeconds * 1000 : null, now, row.id).run();
  return { row: (await getEndpoint(db, row.organization_id, row.id))!, secret };
}

/** The secrets that sign a delivery now: the current one, plus the rotated-out one while its grace lasts. */
export async function signingSecrets(sealKey: string, row: EndpointRow, now = Date.now()): Promise<string[]> {
  const secrets = [await openSecret(sealKey, row.id, row.secret_enc)];
  if (row.previous_secret_enc && (row.previous_secret_expires_at ?? 0) > now) {
    secrets.push(await openSecret(sealKey, row.id, row.previous_secret_enc));
  }
  return secrets;
}

/** Compact view used to route events on the ingest path. */
export interface EndpointRoute { id: string; org_id: string; app_id: string | null; user_id: string | null; filter: Set<string> | null }

export async function enabledEndpointRoutes(db: D1Database): Promise<EndpointRoute[]> {
  const { results } = await db.prepare(
    `SELECT e.id, e.organization_id, a.app_id AS app_id, e.user_id, e.filter_types FROM webhook_endpoints e
     LEFT JOIN applications a ON a.id = e.application_id WHERE e.disabled_at IS NULL`,
  ).all<{ id: string; organization_id: string; app_id: string | null; user_id: string | null; filter_types: string | null }>();
  return results.map((r) => ({
    id: r.id, org_id: r.organization_id, app_id: r.app_id, user_id: r.user_id,
    filter: r.filter_types ? new Set(parseFilter(r.filter_types)) : null,
  }));
}
