import { isoZ } from "../lib/time";
import { digestsEqual, newApiKey, randomHex, sha256Hex } from "../auth/secrets";
import { TtlCache } from "./cache";

/**
 * API keys for customer backends. The key itself (`sk-…`) is shown once, on create and rotate, as `id` (the
 * reference's field). Lists show the public handle `key_…` as `id` plus the key's first characters; management
 * paths accept either the handle or the key itself. Every key belongs to one organization and acts only inside it.
 */

interface ApiKeyRow {
  id: string;
  key_hash: string;
  key_prefix: string;
  name: string;
  created_by: string | null;
  created_at: number;
  organization_id: string;
}

const toRead = (row: ApiKeyRow) => ({
  id: row.id,
  key_id: row.id,
  key_prefix: row.key_prefix,
  name: row.name,
  created_by: row.created_by,
  created_at: isoZ(row.created_at),
});

export async function createApiKey(db: D1Database, orgId: string, name: string) {
  const key = newApiKey();
  const row: ApiKeyRow = {
    id: `key_${randomHex(8)}`,
    key_hash: await sha256Hex(key),
    key_prefix: key.slice(0, 7),
    name,
    created_by: null,
    created_at: Date.now(),
    organization_id: orgId,
  };
  await db.prepare(
    `INSERT INTO api_keys (id, key_hash, key_prefix, name, created_by, created_at, organization_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).bind(row.id, row.key_hash, row.key_prefix, row.name, row.created_by, row.created_at, orgId).run();
  return { ...toRead(row), id: key };
}

export async function listApiKeys(db: D1Database, orgId: string) {
  const { results } = await db.prepare(`SELECT * FROM api_keys WHERE organization_id = ? ORDER BY created_at DESC, id`)
    .bind(orgId).all<ApiKeyRow>();
  return results.map(toRead);
}

async function findByHandleOrKey(db: D1Database, orgId: string, idOrKey: string): Promise<ApiKeyRow | null> {
  if (idOrKey.startsWith("sk-")) {
    return db.prepare(`SELECT * FROM api_keys WHERE key_hash = ? AND organization_id = ?`)
      .bind(await sha256Hex(idOrKey), orgId).first<ApiKeyRow>();
  }
  return db.prepare(`SELECT * FROM api_keys WHERE id = ? AND organization_id = ?`).bind(idOrKey, orgId).first<ApiKeyRow>();
}

/** The key's handle (`key_…`) from its handle or the key itself, inside the organization; null if unknown. */
export const apiKeyHandle = async (db: D1Database, orgId: string, idOrKey: string) => (await findByHandleOrKey(db, orgId, idOrKey))?.id ?? null;

export async function renameApiKey(db: D1Database, orgId: string, idOrKey: string, name: string | null | undefined) {
  const row = await findByHandleOrKey(db, orgId, idOrKey);
  if (!row) return null;
  if (name !== null && name !== undefined) {
    await db.prepare(`UPDATE api_keys SET name = ? WHERE id = ?`).bind(name, row.id).run();
    row.name = name;
  }
  return toRead(row);
}

export async function deleteApiKey(db: D1Database, orgId: string, idOrKey: string) {
  const row = await findByHandleOrKey(db, orgId, idOrKey);
  if (!row) return null;
  await db.prepare(`DELETE FROM api_keys WHERE id = ?`).bind(row.id).run();
  keyCache.delete(row.key_hash);
  return toRead(row);
}

/** Replaces the key: the old one stops working at once. Unlike the reference, the name is kept. */
export async function rotateApiKey(db: D1Database, orgId: string, idOrKey: string) {
  const row = await findByHandleOrKey(db, orgId, idOrKey);
  if (!row) return null;
  const key = newApiKey();
  const keyHash = await sha256Hex(key);
  await db.prepare(`UPDATE api_keys SET key_hash = ?, key_prefix = ?, created_at = ? WHERE id = ?`)
    .bind(keyHash, key.slice(0, 7), Date.now(), row.id).run();
  keyCache.delete(row.key_hash);
  return { ...toRead({ ...row, key_hash: keyHash, key_prefix: key.slice(0, 7) }), id: key };
}

export interface VerifiedKey { id: string; orgId: string }

const keyCache = new TtlCache<VerifiedKey | null>();

/**
 * The key's handle and organization when `presented` is a live API key, else null. Cached per isolate by hash
 * (control/cache.ts): a key's steady traffic costs no D1 query; a deleted or rotated key stops working here at once
 * and in other isolates within the cache's TTL.
 */
export async function verifyApiKey(db: D1Database, presented: string): Promise<VerifiedKey | null> {
  const hash = await sha256Hex(presented);
  return keyCache.get(hash, async () => {
    const row = await db.prepare(`SELECT id, key_hash, organization_id FROM api_keys WHERE key_hash = ?`).bind(hash)
      .first<{ id: string; key_hash: string; organization_id: string }>();
    return row && digestsEqual(row.key_hash, hash) ? { id: row.id, orgId: row.organization_id } : null;
  });
}

/** Forgets cached keys (an organization was deleted: its keys must stop at once in this isolate). */
export const forgetCachedKeys = () => keyCache.clear();
