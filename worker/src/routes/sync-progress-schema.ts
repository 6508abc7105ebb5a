import { z } from "@hono/zod-openapi";

/** The response shape of `data/sync-progress.ts` (shared by the onboarding status and the read API). */
export const FirstSync = z.object({
  state: z.enum(["in_progress", "done"]),
  percent: z.number().int().min(0).max(100),
  types_total: z.number().int(),
  types_done: z.number().int(),
  done_types: z.array(z.string()),
  in_progress_types: z.array(z.string()),
  records_sent: z.number().int(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  last_activity_at: z.string(),
  stalled: z.boolean().openapi({ description: "Unfinished, and neither telemetry nor uploads for 15 minutes." }),
  message: z.string().openapi({ example: "First sync 40 % done: heart rate done, steps in progress" }),
  sdk_version: z.string(),
  provider: z.string(),
}).openapi("FirstSyncProgress");
