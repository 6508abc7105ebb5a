import type { Env } from "../env";
import { userDataStub } from "../data/user-directory";
import { seriesIdOf, type Resolution, type readTimeseries } from "../data/timeseries";

/**
 * Chart data in columns (what uPlot draws directly): times in Unix seconds and values as parallel arrays, read
 * from the user's object page by page. A day of 1 Hz heart rate is 86,400 points: as columns that is about 1 MB
 * of JSON instead of the read API's ~20 MB of objects.
 */
const PAGE = 10_000;
const MAX_POINTS = 200_000;

export interface Columns {
  t: number[];
  v: number[];
  min?: number[];
  max?: number[];
}

export async function seriesColumns(env: Env, userId: string, code: string, start: number, end: number, resolution: Resolution = "raw"): Promise<Columns> {
  const id = seriesIdOf(code);
  if (id === undefined) throw new Error(`unknown series ${code}`);
  const store = userDataStub(env, userId);
  const out: Columns = resolution === "raw" ? { t: [], v: [] } : { t: [], v: [], min: [], max: [] };
  let cursor: string | null = null;
  do {
    const result = (await store.timeseries({ start, end, seriesIds: [id], resolution, cursor, limit: PAGE })) as unknown as ReturnType<typeof readTimeseries>;
    if (!result.ok) break;
    const page = result.page;
    for (const item of page.data as { timestamp: string; value: number; min?: number; max?: number }[]) {
      out.t.push(Date.parse(item.timestamp) / 1000);
      out.v.push(item.value);
      if (out.min) out.min.push(item.min ?? item.value);
      if (out.max) out.max.push(item.max ?? item.value);
    }
    cursor = page.pagination.next_cursor;
  } while (cursor && out.t.length < MAX_POINTS);
  return out;
}
