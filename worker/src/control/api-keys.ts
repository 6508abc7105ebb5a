import { isoZ } from "../lib/time";
import { digestsEqual, newApiKey, randomHex, sha256Hex } from "../auth/secrets";

/**
 * API keys for customer backends. The key itself (`sk-…`) is shown once, on create and rotate, as `id` (the
 * reference's field). Lists show the public handle `key_…` as `id` plus the key's first characters; management
 * paths accept either the handle or the key itself.
 */

interface ApiKeyRow {
  id: string;
  key_hash: string;
  key_prefix: string;
  name: string;
  created_by: string | null;
  created_at: number;
}

const toRead = (row: ApiKeyRow) => ({
  id: row.id,
  key_id: row.id,
  key_prefix: row.key_prefix,
  name: row.name,
  created_by: row.created_by,
  created_at: isoZ(row.created_at),
});

export async function createApiKey(db: D1Database, name: string) {
  const key = newApiKey();
  const row: ApiKeyRow = {
    id: `key_${randomHex(8)}`,
    key_hash: await sha256Hex(key),
    key_prefix: key.slice(0, 7),
    name,
    created_by: null,
    created_at: Date.now(),
  };
  await db.prepare(`INSERT INTO api_keys (id, key_hash, key_prefix, name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .bind(row.id, row.key_hash, row.key_prefix, row.name, row.created_by, row.created_at).run();
  return { ...toRead(row), id: key };
}

export async function listApiKeys(db: D1Database) {
  const { results } = await db.prepare(`SELECT * FROM api_keys ORDER BY created_at DESC, id`).all<ApiKeyRow>();
  return results.map(toRead);
}

async function findByHandleOrKey(db: D1Database, idOrKey: string): Promise<ApiKeyRow | null> {
  if (idOrKey.startsWith("sk-")) {
    return db.prepare(`SELECT * FROM api_keys WHERE key_hash = ?`).bind(await sha256Hex(idOrKey)).first<ApiKeyRow>();
  }
  return db.prepare(`SELECT * FROM api_keys WHERE id = ?`).bind(idOrKey).first<ApiKeyRow>();
}

export async function renameApiKey(db: D1Database, idOrKey: string, name: string | null | undefined) {
  const row = await findByHandleOrKey(db, idOrKey);
  if (!row) return null;
  if (name !== null && name !== undefined) {
    await db.prepare(`UPDATE api_keys SET name = ? WHERE id = ?`).bind(name, row.id).run();
    row.name = name;
  }
  return toRead(row);
}

export async function deleteApiKey(db: D1Database, idOrKey: string) {
  const row = await findByHandleOrKey(db, idOrKey);
  if (!row) return null;
  await db.prepare(`DELETE FROM api_keys WHERE id = ?`).bind(row.id).run();
  return toRead(row);
}

/** Replaces the key: the old one stops working at once. Unlike the reference, the name is kept. */
export async function rotateApiKey(db: D1Database, idOrKey: string) {
  const row = await findByHandleOrKey(db, idOrKey);
  if (!row) return null;
  const key = newApiKey();
  const keyHash = await sha256Hex(key);
  await db.prepare(`UPDATE api_keys SET key_hash = ?, key_prefix = ?, created_at = ? WHERE id = ?`)
    .bind(keyHash, key.slice(0, 7), Date.now(), row.id).run();
  return { ...toRead({ ...row, key_hash: keyHash, key_prefix: key.slice(0, 7) }), id: key };
}

/** The key's handle when `presented` is a live API key, else null. */
export async function verifyApiKey(db: D1Database, presented: string): Promise<string | null> {
  const hash = await sha256Hex(presented);
  const row = await db.prepare(`SELECT id, key_hash FROM api_keys WHERE key_hash = ?`).bind(hash).first<{ id: string; key_hash: string }>();
  return row && digestsEqual(row.key_hash, hash) ? row.id : null;
}
