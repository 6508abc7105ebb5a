import type { SourceInfo } from "../ingest";
import { isoZ } from "../lib/time";
import { encodeCursor } from "./cursor";
import { resolveDeviceName } from "./device-names";
import { DEFAULT_PRIORITIES, type Priorities } from "../control/priorities";

/** The read API's `SourceMetadata` (reference §9), from a stored source row. */
export interface SourceMetadata {
  provider: string;
  source: string | null;
  device: string | null;
  device_type: string | null;
  device_name: string | null;
}

export type SourceRow = {
  id: number;
  source_key: string;
  provider: string;
  info: string;
  first_seen: number;
  last_seen: number;
};

export function toSourceMetadata(row: SourceRow, info: SourceInfo = JSON.parse(row.info) as SourceInfo): SourceMetadata {
  return {
    provider: row.provider,
    source: info.sourceName ?? info.appId ?? null,
    device: info.deviceModel ?? null,
    device_type: info.inferredDeviceType ?? "unknown",
    // The reference's rule: the model's marketing name, else the raw model; without a model, the name sent.
    device_name: resolveDeviceName(info.deviceModel) ?? info.deviceName ?? null,
  };
}

export type LoadedSource = { row: SourceRow; meta: SourceMetadata; info: SourceInfo };

// Parsed sources per object database, kept until a source is added or changes (sourcesChanged): reads then parse
// nothing. Bounded by MAX_SOURCES_PER_USER (ingest/limits.ts).
const cache = new WeakMap<SqlStorage, Map<number, LoadedSource>>();

/** Every writer of `sources` calls this (store-batch's SourceIds does; a wipe goes through it too). */
export function sourcesChanged(sql: SqlStorage): void {
  cache.delete(sql);
}

/** All of a user's sources, by id, parsed once and cached (read-only for callers). */
export function loadSources(sql: SqlStorage): ReadonlyMap<number, LoadedSource> {
  let map = cache.get(sql);
  if (map === undefined) {
    map = new Map();
    for (const row of sql.exec<SourceRow>(`SELECT * FROM sources ORDER BY id`)) {
      const info = JSON.parse(row.info) as SourceInfo;
      map.set(row.id, { row, meta: toSourceMetadata(row, info), info });
    }
    cache.set(sql, map);
  }
  return map;
}

export const DATA_SOURCES_DEFAULT_LIMIT = 100;
export const DATA_SOURCES_MAX_LIMIT = 1000;

/**
 * `GET /users/{id}/data-sources`: the reference's `{items, total}` plus the `{data, pagination}` envelope of the
 * other lists (same page in both). Ordered by id; the cursor is the last id returned.
 */
export function listDataSources(
  sql: SqlStorage, userId: string, q: { afterId: number; limit: number }, connections: ReadonlyMap<string, string> = new Map(),
) {
  const all = [...loadSources(sql).values()];
  const after = all.filter(({ row }) => row.id > q.afterId);
  const page = after.slice(0, q.limit).map(({ row, meta, info }) => ({
    id: row.id,
    user_id: userId,
    user_connection_id: connections.get(row.provider) ?? null,
    provider: row.provider,
    device_model: meta.device,
    software_version: info.softwareVersion ?? null,
    source: meta.source,
    device_type: meta.device_type,
    original_source_name: info.sourceName ?? null,
    display_name: meta.device_name ?? meta.source,
    app_id: info.appId ?? null,
    first_seen_at: isoZ(row.first_seen),
    last_seen_at: isoZ(row.last_seen),
  }));
  const hasMore = after.length > q.limit;
  return {
    items: page,
    total: all.length,
    data: page,
    pagination: { next_cursor: hasMore ? encodeCursor(page[page.length - 1]!.id) : null, previous_cursor: null, has_more: hasMore, total_count: all.length },
  };
}

/** Lower is preferred when several sources report the same day (reference priority_service sort key). */
export function sourcePriority(meta: SourceMetadata, p: Priorities = DEFAULT_PRIORITIES): [number, number, string] {
  return [p.providers[meta.provider] ?? 99, p.deviceTypes[meta.device_type ?? "unknown"] ?? 99, meta.device ?? ""];
}

export function comparePriority(a: SourceMetadata, b: SourceMetadata, p: Priorities = DEFAULT_PRIORITIES): number {
  const [pa, da, ma] = sourcePriority(a, p);
  const [pb, db, mb] = sourcePriority(b, p);
  return pa - pb || da - db || ma.localeCompare(mb);
}
