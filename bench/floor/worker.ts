/**
 * Floor Worker for bench/ingest.ts: receives the same request bodies as the real sync endpoint, hands the text to
 * the user's Durable Object (as the real Worker does), which does JSON.parse and inserts one row per item
 * (records, workouts and sleep alike) into a WITHOUT ROWID table shaped like `samples`
 * (worker/src/data/schema.ts), in one transaction. No auth, validation, normalization, dedup bookkeeping or
 * sync-run record: what is left is the unavoidable cost the real ingest is compared with.
 */
import { DurableObject } from "cloudflare:workers";
import { normalizeEnvelope } from "../../worker/src/ingest/index";
import { migrate } from "../../worker/src/data/schema";
import { SourceIds, storeBatch } from "../../worker/src/data/store-batch";
import { batchFingerprint } from "../../worker/src/data/sync-runs";
import { ingestBatch } from "../../worker/src/data/ingest-batch";

interface Env { FLOOR: DurableObjectNamespace<FloorStore>; STAGES: DurableObjectNamespace<StageStore> }
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

/**
 * The real ingest modules run up to a stage, for bench/ingest-stages.ts (CPU per stage = difference between
 * consecutive stages, same Worker, same bodies): 0 JSON.parse, 1 + normalizeEnvelope, 2 + batch fingerprint,
 * 3 + storeBatch in a transaction (sources, samples, workouts, sleep stages and sessions), 4 the whole of
 * ingestBatch as the user's object runs it (adds the body scan, sync-run row; no webhook listener).
 */
export class StageStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly sources: SourceIds;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sources = new SourceIds(this.sql);
    migrate(this.sql);
  }

  run(stage: number, text: string): number {
    const now = Date.now();
    if (stage >= 4) {
      const { outcome } = ingestBatch({ sql: this.sql, sources: this.sources, transaction: (fn) => this.ctx.storage.transactionSync(fn) }, text, { userId: "bench", auth: "sdk_token", now });
      return outcome.ok ? 1 : 0;
    }
    const body = JSON.parse(text) as unknown;
    if (stage < 1) return 1;
    const r = normalizeEnvelope(body, { now, sources: this.sources.known() });
    if (!r.ok) throw new Error(r.detail);
    if (stage < 2) return r.batch.samples.length;
    batchFingerprint(r.batch);
    if (stage < 3) return r.batch.samples.length;
    const stored = this.ctx.storage.transactionSync(() => storeBatch(this.sql, this.sources, r.batch, now));
    return stored.records_saved;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const st = url.pathname.match(/^\/stage\/(\d)\/([^/]+)$/);
    if (request.method === "POST" && st) {
      const n = await env.STAGES.get(env.STAGES.idFromName(st[2]!)).run(Number(st[1]), await request.text());
      return Response.json({ n }, { status: 202 });
    }
    const m = url.pathname.match(/^\/floor\/([^/]+)$/);
    if (request.method !== "POST" || !m) return new Response("floor ok");
    const text = await request.text();
    const rows = await env.FLOOR.get(env.FLOOR.idFromName(m[1]!)).ingest(text);
    return Response.json({ rows }, { status: 202 });
  },
} satisfies ExportedHandler<Env>;
