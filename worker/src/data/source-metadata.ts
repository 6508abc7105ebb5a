import type { SourceInfo } from "../ingest";

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

export function toSourceMetadata(row: SourceRow): SourceMetadata {
  const info = JSON.parse(row.info) as SourceInfo;
  return {
    provider: row.provider,
    source: info.sourceName ?? info.appId ?? null,
    device: info.deviceModel ?? null,
    device_type: info.inferredDeviceType ?? "unknown",
    device_name: info.deviceName ?? null,
  };
}

/** All of a user's sources, by id (a user has a handful). */
export function loadSources(sql: SqlStorage): Map<number, { row: SourceRow; meta: SourceMetadata; info: SourceInfo }> {
  const map = new Map<number, { row: SourceRow; meta: SourceMetadata; info: SourceInfo }>();
  for (const row of sql.exec<SourceRow>(`SELECT * FROM sources`).toArray()) {
    map.set(row.id, { row, meta: toSourceMetadata(row), info: JSON.parse(row.info) as SourceInfo });
  }
  return map;
}

const DEVICE_PRIORITY: Record<string, number> = { watch: 1, band: 2, ring: 3, phone: 4, scale: 5, other: 6 };
const PROVIDER_PRIORITY: Record<string, number> = { apple: 1, garmin: 2, polar: 3, suunto: 4, whoop: 5 };

/** Lower is preferred when several sources report the same day (reference §9.3). */
export function sourcePriority(meta: SourceMetadata): [number, number, string] {
  return [PROVIDER_PRIORITY[meta.provider] ?? 99, DEVICE_PRIORITY[meta.device_type ?? ""] ?? 99, meta.device ?? ""];
}

export function comparePriority(a: SourceMetadata, b: SourceMetadata): number {
  const [pa, da, ma] = sourcePriority(a);
  const [pb, db, mb] = sourcePriority(b);
  return pa - pb || da - db || ma.localeCompare(mb);
}
