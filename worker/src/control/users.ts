import { isoZ } from "../lib/time";

/**
 * The user directory in D1: who exists, in which organization, for listing and search. Every function is scoped by
 * organization: another organization's user is indistinguishable from a missing one. The phone's requests do not
 * read this table; the user's Durable Object holds what they need (data/user-state.ts).
 */

export interface UserRow {
  id: string;
  organization_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  /** Unique per organization (the column `external_user_id` is retired; see migration 0004). */
  external_id: string | null;
  created_at: number;
  last_synced_at: number | null;
  last_synced_provider: string | null;
}

export interface UserFields {
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  external_user_id?: string | null;
}

export const toUserRead = (row: UserRow) => ({
  id: row.id,
  created_at: isoZ(row.created_at),
  first_name: row.first_name,
  last_name: row.last_name,
  email: row.email,
  external_user_id: row.external_id,
  last_synced_at: row.last_synced_at === null ? null : isoZ(row.last_synced_at),
  last_synced_provider: row.last_synced_provider,
  has_active_connection: row.last_synced_at !== null,
});

export const findUser = (db: D1Database, orgId: string, id: string) =>
  db.prepare(`SELECT * FROM users WHERE id = ? AND organization_id = ?`).bind(id, orgId).first<UserRow>();

/** Any organization's user: only to register a user created before its object knew its organization. */
export const findUserAnyOrganization = (db: D1Database, id: string) =>
  db.prepare(`SELECT * FROM users WHERE id = ?`).bind(id).first<UserRow>();

export type CreateUserResult = { kind: "created" | "existing"; user: UserRow } | { kind: "email_taken" };

/** Creates a user. A repeated `external_user_id` returns the existing user (the reference's behaviour). */
export async function createUser(db: D1Database, orgId: string, fields: UserFields): Promise<CreateUserResult> {
  const byExternal = (id: string) =>
    db.prepare(`SELECT * FROM users WHERE organization_id = ? AND external_id = ?`).bind(orgId, id).first<UserRow>();
  if (fields.external_user_id) {
    const existing = await byExternal(fields.external_user_id);
    if (existing) return { kind: "existing", user: existing };
  }
  if (fields.email && (await emailTaken(db, orgId, fields.email))) return { kind: "email_taken" };
  const row: UserRow = {
    id: crypto.randomUUID(),
    organization_id: orgId,
    first_name: fields.first_name ?? null,
    last_name: fields.last_name ?? null,
    email: fields.email ?? null,
    external_id: fields.external_user_id ?? null,
    created_at: Date.now(),
    last_synced_at: null,
    last_synced_provider: null,
  };
  // ON CONFLICT: two concurrent creates with one external id agree on one user (the unique index decides).
  const inserted = await db.prepare(
    `INSERT INTO users (id, organization_id, first_name, last_name, email, external_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  ).bind(row.id, orgId, row.first_name, row.last_name, row.email, row.external_id, row.created_at).run();
  if (inserted.meta.changes === 0 && row.external_id) {
    const existing = await byExternal(row.external_id);
    if (existing) return { kind: "existing", user: existing };
  }
  return { kind: "created", user: row };
}

async function emailTaken(db: D1Database, orgId: string, email: string, exceptId?: string): Promise<boolean> {
  const row = await db.prepare(`SELECT id FROM users WHERE organization_id = ? AND email = ? AND id != ?`)
    .bind(orgId, email, exceptId ?? "").first();
  return row !== null;
}

export type UpdateUserResult = { kind: "updated"; user: UserRow } | { kind: "not_found" } | { kind: "conflict"; detail: string };

/** Applies the fields that are present and non-null (a null never clears a field, as in the reference). */
export async function updateUser(db: D1Database, orgId: string, id: string, fields: UserFields): Promise<UpdateUserResult> {
  const user = await findUser(db, orgId, id);
  if (!user) return { kind: "not_found" };
  // The wire name `external_user_id` is stored in `external_id`.
  const changes = Object.entries(fields).filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => [k === "external_user_id" ? "external_id" : k, v]) as [Exclude<keyof UserRow, "external_user_id">, string][];
  if (changes.length === 0) return { kind: "updated", user };
  // Another user's e-mail is accepted, as in the reference (e-mail is not an identity here; create still refuses it).
  const external = fields.external_user_id;
  if (external && external !== user.external_id) {
    const taken = await db.prepare(`SELECT id FROM users WHERE organization_id = ? AND external_id = ? AND id != ?`)
      .bind(orgId, external, id).first();
    if (taken) return { kind: "conflict", detail: "User with this external_user_id already exists." };
  }
  const assignments = changes.map(([k]) => `${k} = ?`).join(", ");
  await db.prepare(`UPDATE users SET ${assignments} WHERE id = ?`).bind(...changes.map(([, v]) => v), id).run();
  return { kind: "updated", user: { ...user, ...Object.fromEntries(changes) } };
}

/** Deletes the user row; pre-move sessions and codes go with it (ON DELETE CASCADE). */
export async function deleteUser(db: D1Database, orgId: string, id: string): Promise<UserRow | null> {
  return db.prepare(`DELETE FROM users WHERE id = ? AND organization_id = ? RETURNING *`).bind(id, orgId).first<UserRow>();
}

export interface UserListQuery {
  page: number;
  limit: number;
  sort_by: "created_at" | "email" | "first_name" | "last_name" | "last_synced_at";
  sort_order: "asc" | "desc";
  search?: string;
  email?: string;
  external_user_id?: string;
}

export async function listUsers(db: D1Database, orgId: string, q: UserListQuery) {
  const where: string[] = ["organization_id = ?"];
  const params: unknown[] = [orgId];
  if (q.search) {
    const like = `%${q.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(`(email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\')`);
    params.push(like, like, like);
  }
  if (q.email) { where.push(`email = ?`); params.push(q.email); }
  if (q.external_user_id) { where.push(`external_id = ?`); params.push(q.external_user_id); }
  const whereSql = `WHERE ${where.join(" AND ")}`;
  const dir = q.sort_order === "asc" ? "ASC" : "DESC";
  // last_synced_at: never-synced users first when ascending, last when descending (as the reference).
  const nulls = q.sort_by === "last_synced_at" ? (dir === "ASC" ? "NULLS FIRST" : "NULLS LAST") : "";
  const [count, page] = await db.batch([
    db.prepare(`SELECT COUNT(*) AS total FROM users ${whereSql}`).bind(...params),
    db.prepare(`SELECT * FROM users ${whereSql} ORDER BY ${q.sort_by} ${dir} ${nulls}, id ${dir} LIMIT ? OFFSET ?`)
      .bind(...params, q.limit, (q.page - 1) * q.limit),
  ]);
  const total = (count!.results[0] as { total: number }).total;
  const pages = Math.ceil(total / q.limit);
  return {
    items: (page!.results as unknown as UserRow[]).map(toUserRead),
    total,
    page: q.page,
    limit: q.limit,
    pages,
    has_next: q.page < pages,
    has_prev: q.page > 1,
  };
}

/**
 * The directory's copy of the latest upload, for list sorting. Written behind by the user's object at most once a
 * UTC day per user (data/user-state.ts); the live value comes from the object.
 */
export async function copyLastSync(db: D1Database, userId: string, provider: string, now: number): Promise<void> {
  await db.prepare(`UPDATE users SET last_synced_at = ?, last_synced_provider = ? WHERE id = ?`).bind(now, provider, userId).run();
}
