import { isoZ } from "../lib/time";

export interface UserRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  external_user_id: string | null;
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
  external_user_id: row.external_user_id,
  last_synced_at: row.last_synced_at === null ? null : isoZ(row.last_synced_at),
  last_synced_provider: row.last_synced_provider,
  has_active_connection: row.last_synced_at !== null,
});

export const findUser = (db: D1Database, id: string) =>
  db.prepare(`SELECT * FROM users WHERE id = ?`).bind(id).first<UserRow>();

export type CreateUserResult = { kind: "created" | "existing"; user: UserRow } | { kind: "email_taken" };

/** Creates a user. A repeated `external_user_id` returns the existing user (the reference's behaviour). */
export async function createUser(db: D1Database, fields: UserFields): Promise<CreateUserResult> {
  if (fields.external_user_id) {
    const existing = await db.prepare(`SELECT * FROM users WHERE external_user_id = ?`).bind(fields.external_user_id).first<UserRow>();
    if (existing) return { kind: "existing", user: existing };
  }
  if (fields.email && (await emailTaken(db, fields.email))) return { kind: "email_taken" };
  const row: UserRow = {
    id: crypto.randomUUID(),
    first_name: fields.first_name ?? null,
    last_name: fields.last_name ?? null,
    email: fields.email ?? null,
    external_user_id: fields.external_user_id ?? null,
    created_at: Date.now(),
    last_synced_at: null,
    last_synced_provider: null,
  };
  await db.prepare(
    `INSERT INTO users (id, first_name, last_name, email, external_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ).bind(row.id, row.first_name, row.last_name, row.email, row.external_user_id, row.created_at).run();
  return { kind: "created", user: row };
}

async function emailTaken(db: D1Database, email: string, exceptId?: string): Promise<boolean> {
  const row = await db.prepare(`SELECT id FROM users WHERE email = ? AND id != ?`).bind(email, exceptId ?? "").first();
  return row !== null;
}

export type UpdateUserResult = { kind: "updated"; user: UserRow } | { kind: "not_found" } | { kind: "conflict"; detail: string };

/** Applies the fields that are present and non-null (a null never clears a field, as in the reference). */
export async function updateUser(db: D1Database, id: string, fields: UserFields): Promise<UpdateUserResult> {
  const user = await findUser(db, id);
  if (!user) return { kind: "not_found" };
  const changes = Object.entries(fields).filter(([, v]) => v !== null && v !== undefined) as [keyof UserFields, string][];
  if (changes.length === 0) return { kind: "updated", user };
  // Another user's e-mail is accepted, as in the reference (e-mail is not an identity here; create still refuses it).
  const external = fields.external_user_id;
  if (external && external !== user.external_user_id) {
    const taken = await db.prepare(`SELECT id FROM users WHERE external_user_id = ? AND id != ?`).bind(external, id).first();
    if (taken) return { kind: "conflict", detail: "User with this external_user_id already exists." };
  }
  const assignments = changes.map(([k]) => `${k} = ?`).join(", ");
  await db.prepare(`UPDATE users SET ${assignments} WHERE id = ?`).bind(...changes.map(([, v]) => v), id).run();
  return { kind: "updated", user: { ...user, ...Object.fromEntries(changes) } };
}

/** Deletes the user row; tokens, families and codes go with it (ON DELETE CASCADE). */
export async function deleteUser(db: D1Database, id: string): Promise<UserRow | null> {
  return db.prepare(`DELETE FROM users WHERE id = ? RETURNING *`).bind(id).first<UserRow>();
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

export async function listUsers(db: D1Database, q: UserListQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.search) {
    const like = `%${q.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(`(email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\')`);
    params.push(like, like, like);
  }
  if (q.email) { where.push(`email = ?`); params.push(q.email); }
  if (q.external_user_id) { where.push(`external_user_id = ?`); params.push(q.external_user_id); }
  const whereSql = where.length ? `WHERE ${where.join(" AND ")}` : "";
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

/** Records the latest successful upload on the user (shown in lists as last_synced_*). */
export async function markSynced(db: D1Database, userId: string, provider: string, now = Date.now()): Promise<void> {
  await db.prepare(`UPDATE users SET last_synced_at = ?, last_synced_provider = ? WHERE id = ?`).bind(now, provider, userId).run();
}
