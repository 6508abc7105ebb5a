import { sha256Hex } from "./secrets";
import type { ImportedFamily } from "../data/sessions";

/**
 * Sessions issued before refresh-token families moved into the user's Durable Object. Their tokens (`rt-<hex>`)
 * do not name the user, so the first use after the upgrade reads the family from D1 once, hands it to the user's
 * object (data/sessions.ts `importFamily`) and marks it moved here; from then on the object alone rotates it and
 * every successor is routed (`rt-<user id>.<hex>`). Nothing else reads or writes these tables any more.
 */

interface FamilyRow {
  id: string;
  user_id: string;
  application_id: string | null;
  app_claim: string;
  created_at: number;
  absolute_expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  moved_at: number | null;
  secret_generation: number | null;
}

export interface LegacyFamily { userId: string; family: ImportedFamily; moved: boolean }

/** The family a pre-upgrade token belongs to, with all its tokens, or null when D1 never issued it. */
export async function readLegacyFamily(db: D1Database, presented: string): Promise<LegacyFamily | null> {
  const hash = await sha256Hex(presented);
  const family = await db.prepare(
    `SELECT f.*, a.secret_generation FROM refresh_tokens t
       JOIN refresh_families f ON f.id = t.family_id
       LEFT JOIN applications a ON a.id = f.application_id
      WHERE t.token_hash = ?`,
  ).bind(hash).first<FamilyRow>();
  if (!family) return null;
  const { results: tokens } = await db.prepare(
    `SELECT token_hash, created_at, idle_expires_at, rotated_at, successor_hash, successor_sealed FROM refresh_tokens WHERE family_id = ?`,
  ).bind(family.id).all<ImportedFamily["tokens"][number]>();
  return {
    userId: family.user_id,
    moved: family.moved_at !== null,
    family: {
      id: family.id,
      application_id: family.application_id,
      // Sessions revoked by an earlier rotation are already revoked here; live ones belong to the current generation.
      app_generation: family.application_id ? family.secret_generation : null,
      app_claim: family.app_claim,
      created_at: family.created_at,
      absolute_expires_at: family.absolute_expires_at,
      revoked_at: family.revoked_at,
      revoked_reason: family.revoked_reason,
      tokens,
    },
  };
}

export async function markFamilyMoved(db: D1Database, familyId: string, now = Date.now()): Promise<void> {
  await db.prepare(`UPDATE refresh_families SET moved_at = ? WHERE id = ? AND moved_at IS NULL`).bind(now, familyId).run();
}
