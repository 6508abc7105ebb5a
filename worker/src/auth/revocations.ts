/**
 * The revocation registry: what a refresh must know about a session's application without asking D1. Rotating an
 * application's secret records its new generation here; deleting it records the deletion. A session remembers the
 * generation it was minted under (data/sessions.ts) and is refused at its next refresh when they differ.
 *
 * Workers KV, because it is read at the edge and scales with reads: every refresh of an app's session reads it, and
 * that must not queue on the single D1 database. KV is eventually consistent: a write is seen everywhere within about
 * 60 s, which is the documented bound for bulk revocation (reads cache for 30 s of that).
 * A missing entry means generation 1 and not deleted (every application starts there).
 */

export interface AppRevocation { generation: number; deleted: boolean }

const key = (applicationId: string) => `app:${applicationId}`;
const READ_CACHE_SECONDS = 30;

export async function appRevocation(kv: KVNamespace, applicationId: string): Promise<AppRevocation> {
  const stored = await kv.get<AppRevocation>(key(applicationId), { type: "json", cacheTtl: READ_CACHE_SECONDS });
  return stored ?? { generation: 1, deleted: false };
}

export const recordSecretRotation = (kv: KVNamespace, applicationId: string, generation: number) =>
  kv.put(key(applicationId), JSON.stringify({ generation, deleted: false } satisfies AppRevocation));

export const recordApplicationDeleted = (kv: KVNamespace, applicationId: string, generation: number) =>
  kv.put(key(applicationId), JSON.stringify({ generation, deleted: true } satisfies AppRevocation));

/** Whether a session minted under `generation` of the application may still refresh. */
export const sessionStillValid = (state: AppRevocation, generation: number | null) =>
  !state.deleted && state.generation === (generation ?? 1);
