/**
 * Floor Worker for bench/ingest.ts: receives the same request bodies as the real sync endpoint, hands the text to
 * the user's Durable Object (as the real Worker does), which does JSON.parse and inserts one row per item
 * (records, workouts and sleep alike) into a WITHOUT ROWID table shaped like `samples`
 * (worker/src/data/schema.ts), in one transaction. No auth, validation, normalization, dedup bookkeeping or
 * sync-run record: what is left is the unavoidable cost the real ingest is compared with.
 */
import { DurableObject } from "cloudflare:workers";

interface Env { FLOOR: DurableObjectNamespace<FloorStore> }
type Item = { type?: string; stage?: string; startDate?: string; endDate?: string; value?: unknown; zoneOffset?: string | null; id?: string };

export class FloorStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  // Types get small integer ids, like series types do in the real schema.
  private readonly typeIds = new Map<string, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS samples (
      series_id INTEGER NOT NULL, recorded_at INTEGER NOT NULL, source_id INTEGER NOT NULL, end_at INTEGER,
      value REAL NOT NULL, zone_offset TEXT, external_id TEXT,
      PRIMARY KEY (series_id, recorded_at, source_id)) WITHOUT ROWID`);
  }

  ingest(text: string): number {
    const body = JSON.parse(text) as { data: { records: Item[]; workouts: Item[]; sleep: Item[] } };
    const items = [...body.data.records, ...body.data.workouts, ...body.data.sleep];
    let written = 0;
    this.ctx.storage.transactionSync(() => {
      for (const it of items) {
        const key = it.type ?? it.stage ?? "";
        let series = this.typeIds.get(key);
        if (series === undefined) this.typeIds.set(key, (series = this.typeIds.size + 1));
        // The key mirrors the real one (type, start, source); a clash (e.g. a sleep stage nested in another) is
        // still a row written by the real store's upsert, so it is an upsert here too.
        written += this.sql.exec(
          `INSERT INTO samples (series_id, recorded_at, source_id, end_at, value, zone_offset, external_id)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT DO UPDATE SET value = excluded.value, end_at = excluded.end_at`,
          series, Date.parse(it.startDate ?? ""), 1, Date.parse(it.endDate ?? ""), typeof it.value === "number" ? it.value : 0,
          it.zoneOffset ?? null, it.id ?? null,
        ).rowsWritten;
      }
    });
    return written;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const m = url.pathname.match(/^\/floor\/([^/]+)$/);
    if (request.method !== "POST" || !m) return new Response("floor ok");
    const text = await request.text();
    const rows = await env.FLOOR.get(env.FLOOR.idFromName(m[1]!)).ingest(text);
    return Response.json({ rows }, { status: 202 });
  },
} satisfies ExportedHandler<Env>;
