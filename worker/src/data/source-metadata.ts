import type { SourceInfo } from "../ingest";
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

export function toSourceMetadata(row: SourceRow): SourceMetadata {
  const info = JSON.parse(row.info) as SourceInfo;
  return {
    provider: row.provider,
    source: info.sourceName ?? info.appId ?? null,
    device: info.deviceModel ?? null,
    device_type: info.inferredDeviceType ?? "unknown",
    // The reference's rule: the model's marketing name, else the raw model; without a model, the name sent.
    device_name: resolveDeviceName(info.deviceModel) ?? info.deviceName ?? null,
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

/** Lower is preferred when several sources report the same day (reference priority_service sort key). */
export function sourcePriority(meta: SourceMetadata, p: Priorities = DEFAULT_PRIORITIES): [number, number, string] {
  return [p.providers[meta.provider] ?? 99, p.deviceTypes[meta.device_type ?? "unknown"] ?? 99, meta.device ?? ""];
}

export function comparePriority(a: SourceMetadata, b: SourceMetadata, p: Priorities = DEFAULT_PRIORITIES): number {
  const [pa, da, ma] = sourcePriority(a, p);
  const [pb, db, mb] = sourcePriority(b, p);
  return pa - pb || da - db || ma.localeCompare(mb);
}
