import { createRoute, z } from "@hono/zod-openapi";
import { HttpError } from "../../http/errors";
import { errors, json, newRouter } from "../../http/router";
import type { listRunsPage, runsAfter } from "../../data/sync-runs";
import { runEvents } from "../../data/sync-runs";
import { Cursor, Limit, Page, Params, base, existingStore } from "./shared";

/** Sync status (reference sync_status.py): runs, recent events, and a live stream of real sync runs. */

const POLL_MS = 1_000;
const HEARTBEAT_MS = 15_000;
/** A stream ends after this long; EventSource reconnects by itself (and replays what it missed). */
const STREAM_MAX_MS = 5 * 60_000;

const RunsQuery = z.object({
  limit: Limit(200, 20),
  cursor: Cursor,
  envelope: z.enum(["true", "false"]).default("true").openapi({
    description: "`false` returns the bare array the reference returns (compatibility); default `{data, pagination}` like every list.",
  }),
});

export const syncStatusRoutes = newRouter()
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/sync/runs", operationId: "listSyncRuns", summary: "Uploaded batches, newest first",
      description: "Each run: counts, duplicates, a sample of rejections, duration, and `stuck_client_suspected` when a client keeps re-sending the same data. The list envelope is `{data, pagination, metadata}` like every list (`envelope=false` for the reference's bare array).",
      request: { params: Params, query: RunsQuery }, responses: { 200: json(z.union([Page, z.array(z.record(z.string(), z.unknown()))]), "Runs"), ...errors(400, 401, 404) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const q = c.req.valid("query");
      const data = await existingStore(c, userId);
      const result = (await data.syncRunsPage(userId, q.cursor ?? null, q.limit)) as ReturnType<typeof listRunsPage>;
      if (!result.ok) throw new HttpError(400, result.detail);
      return c.json(q.envelope === "false" ? result.page.data : result.page, 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/sync/recent", operationId: "listRecentSyncEvents", summary: "Recent sync-status events, newest first",
      request: { params: Params, query: z.object({ limit: Limit(200, 50) }) }, responses: { 200: json(z.array(z.record(z.string(), z.unknown())), "Events (a bare array, as in the reference)"), ...errors(400, 401, 404) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const data = await existingStore(c, userId);
      return c.json(await data.syncRecent(userId, c.req.valid("query").limit), 200);
    },
  )
  .openapi(
    createRoute({ ...base, method: "get", path: "/users/{user_id}/sync/stream", operationId: "streamSyncStatus", summary: "Live sync status (server-sent events)",
      description: "`event: sync.status` messages whose `data` is a sync-status event (as in `/sync/recent`): first the last `replay` events, then each stored batch as it lands (a started and an ended event). Heartbeat comments every 15 s; the stream closes after 5 minutes and EventSource reconnects.",
      request: { params: Params, query: z.object({ replay: Limit(200, 20) }) },
      responses: { 200: { description: "Server-sent events", content: { "text/event-stream": { schema: z.string() } } }, ...errors(400, 401, 404) } }),
    async (c) => {
      const userId = c.req.valid("param").user_id;
      const data = await existingStore(c, userId);
      const replay = c.req.valid("query").replay;
      const encoder = new TextEncoder();
      let closed = false;
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          const send = (text: string) => controller.enqueue(encoder.encode(text));
          const started = Date.now();
          let lastBeat = started;
          // Replay: the newest runs' events, oldest first, trimmed to `replay` events.
          const initial = (await data.syncRunsAfter(userId, null, replay)) as ReturnType<typeof runsAfter>;
          let position = initial.length ? initial[initial.length - 1]!.position : null;
          const replayed = initial.flatMap((r) => runEvents(r.run, userId)).slice(-replay);
          send(": connected\n\n");
          for (const e of replayed) send(`event: sync.status\nid: ${e.event_id}\ndata: ${JSON.stringify(e)}\n\n`);
          while (!closed && Date.now() - started < STREAM_MAX_MS) {
            await new Promise((r) => setTimeout(r, POLL_MS));
            if (closed) break;
            const fresh = (await data.syncRunsAfter(userId, position, 50)) as ReturnType<typeof runsAfter>;
            for (const r of fresh) {
              for (const e of runEvents(r.run, userId)) send(`event: sync.status\nid: ${e.event_id}\ndata: ${JSON.stringify(e)}\n\n`);
              position = r.position;
            }
            if (Date.now() - lastBeat >= HEARTBEAT_MS) {
              send(": heartbeat\n\n");
              lastBeat = Date.now();
            }
          }
          if (!closed) controller.close();
        },
        cancel() {
          closed = true;
        },
      });
      return new Response(stream, {
        status: 200,
        headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" },
      }) as never;
    },
  );
