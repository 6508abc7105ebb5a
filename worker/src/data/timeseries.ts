import { SERIES_TYPES } from "../ingest";
import { isoZ } from "../lib/time";
import { cursorPage, decodePageCursor, keysetPage, keysetSql, type Direction } from "./cursor";
import { loadSources } from "./source-metadata";

/** Time-series reads (reference §9.1), with real downsampling: buckets aggregated the way each series adds up. */

export const RESOLUTIONS = { raw: 0, "1min": 60_000, "5min": 300_000, "15min": 900_000, "1hour": 3_600_000 } as const;
export type Resolution = keyof typeof RESOLUTIONS;

const SERIES_BY_ID = new Map(Object.entries(SERIES_TYPES).map(([code, def]) => [def.id, { code, ...def }]));

export interface TimeseriesQuery {
  start: number;
  end: number;
  seriesIds: number[] | null;
  resolution: Resolution;
  cursor: string | null;
  limit: number;
}

type Row = {
  series_id: number;
  source_id: number;
  t: number;
  value: number;
  zone_offset: string | null;
  n: number;
  lo: number;
  hi: number;
};

export function readTimeseries(sql: SqlStorage, q: TimeseriesQuery) {
  let after: [number, number, number] | null = null;
  let dir: Direction | null = null;
  if (q.cursor) {
    const c = decodePageCursor(q.cursor, 3);
    if (!c || c.fields.some((f) => !/^-?\d+$/.test(f))) return { ok: false as const, detail: "Invalid cursor" };
    after = c.fields.map(Number) as [number, number, number];
    dir = c.dir;
  }
  const where = ["recorded_at >= ?", "recorded_at < ?"];
  const params: number[] = [q.start, q.end];
  if (q.seriesIds) {
    where.push(`series_id IN (${q.seriesIds.map(() => "?").join(",")})`);
    params.push(...q.seriesIds);
  }
  const bucket = RESOLUTIONS[q.resolution];
  const filter = where.join(" AND ");
  let rows: Row[];
  let total: number;
  if (bucket === 0) {
    const ks = keysetSql(["recorded_at", "series_id", "source_id"], "ASC", dir);
    rows = sql.exec<Row>(
      `SELECT series_id, source_id, recorded_at AS t, value, zone_offset, 1 AS n, value AS lo, value AS hi
         FROM samples WHERE ${filter}${ks.cond ? ` AND ${ks.cond}` : ""} ORDER BY ${ks.orderBy} LIMIT ?`,
      ...params, ...(after ?? []), q.limit + 1,
    ).toArray();
    total = sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM samples WHERE ${filter}`, ...params).one().n;
  } else {
    const ks = keysetSql(["t", "series_id", "source_id"], "ASC", dir);
    // Each bucket carries every aggregate; the series' own aggregation picks the value below.
    rows = sql.exec<Row & { total: number; mean: number }>(
      `SELECT series_id, source_id, (recorded_at / ${bucket}) * ${bucket} AS t, AVG(value) AS mean, SUM(value) AS total,
              MIN(value) AS lo, MAX(value) AS hi, COUNT(*) AS n, MAX(zone_offset) AS zone_offset, 0 AS value
         FROM samples WHERE ${filter} GROUP BY series_id, source_id, t${ks.cond ? ` HAVING ${ks.cond}` : ""} ORDER BY ${ks.orderBy} LIMIT ?`,
      ...params, ...(after ?? []), q.limit + 1,
    ).toArray().map((r) => {
      const agg = SERIES_BY_ID.get(r.series_id)?.aggregation ?? "avg";
      return { ...r, value: agg === "sum" ? r.total : agg === "max" ? r.hi : r.mean };
    });
    total = sql.exec<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM samples WHERE ${filter} GROUP BY series_id, source_id, (recorded_at / ${bucket}))`,
      ...params,
    ).one().n;
  }

  const page = keysetPage(rows, q.limit, dir, (r) => [r.t, r.series_id, r.source_id]);
  const sources = loadSources(sql);
  const data = page.rows.map((r) => {
    const series = SERIES_BY_ID.get(r.series_id);
    const item: Record<string, unknown> = {
      timestamp: isoZ(r.t),
      zone_offset: r.zone_offset,
      type: series?.code ?? `series_${r.series_id}`,
      value: round3(r.value),
      unit: series?.unit ?? null,
      source: sources.get(r.source_id)?.meta ?? null,
      is_daily_total: null,
    };
    // A bucket of one sample is that sample: no extremes to add, so a downsampled read is never larger than raw.
    if (bucket !== 0 && r.n > 1) Object.assign(item, { sample_count: r.n, min: round3(r.lo), max: round3(r.hi) });
    return item;
  });
  return cursorPage({
    data, total, resolution: q.resolution, start: q.start, end: q.end, nextCursor: page.next, previousCursor: page.prev,
  });
}

export const round3 = (v: number) => Math.round(v * 1000) / 1000;

export const seriesIdOf = (code: string): number | undefined => SERIES_TYPES[code]?.id;
