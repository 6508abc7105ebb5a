import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { z } from "zod";
import type { Services } from "../env";
import type { McpCaller } from "./caller";
import { instructions, presentHealthData } from "./prompts";
import {
  ToolError, getActivitySummary, getBodySummary, getSleepSummary, getSyncStatus, getTimeseries, getUsers, getWorkoutEvents,
  type ToolContext,
} from "./tools";

/**
 * The MCP server on the Streamable HTTP transport of the official SDK, stateless: a server and transport per POST,
 * JSON responses (no SSE stream, no session id), so any isolate answers any request and nothing is kept between
 * them. GET (a server-to-client stream) and DELETE (ending a session) have no meaning without sessions: 405.
 */

const UserId = z.string().describe("UUID of the user. Use get_users to discover available users.");
const StartDate = z.string().describe("Start date, YYYY-MM-DD (or ISO 8601). Example: \"2026-01-01\"");
const EndDate = z.string().describe("End date, YYYY-MM-DD (or ISO 8601); a date includes that whole day. Example: \"2026-01-07\"");
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

type Result = { content: { type: "text"; text: string }[]; isError?: boolean };

/** Runs a tool: its answer as JSON text, or a tool error (isError) the model can read and correct. */
function run<A>(ctx: ToolContext, work: (ctx: ToolContext, args: A) => Promise<unknown>) {
  return async (args: A): Promise<Result> => {
    try {
      return { content: [{ type: "text", text: JSON.stringify(await work(ctx, args)) }] };
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      return { content: [{ type: "text", text: JSON.stringify({ error: error.message }) }], isError: true };
    }
  };
}

export function buildServer(ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: "open-wearables", version: "1.0.0" },
    { instructions: instructions(new Date()), jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  server.registerTool("get_users", {
    description: "Users of your organization (search by first name, last name or e-mail). Call first when you do not know the user's id.",
    inputSchema: { search: z.string().optional().describe("Filter by name or e-mail, e.g. \"John\""), limit: z.number().int().optional().describe("Maximum users to return (default 10, at most 50)") },
    annotations: READ_ONLY,
  }, run(ctx, getUsers));
  server.registerTool("get_activity_summary", {
    description: "Daily activity (steps, distance, calories, active minutes, heart rate) for a user over a date range, with totals and averages. At most 92 days.",
    inputSchema: { user_id: UserId, start_date: StartDate, end_date: EndDate },
    annotations: READ_ONLY,
  }, run(ctx, getActivitySummary));
  server.registerTool("get_sleep_summary", {
    description: "Nightly sleep (by wake-up date: start, end, minutes asleep, stages, efficiency) for a user over a date range. At most 92 days.",
    inputSchema: { user_id: UserId, start_date: StartDate, end_date: EndDate },
    annotations: READ_ONLY,
  }, run(ctx, getSleepSummary));
  server.registerTool("get_workout_events", {
    description: "Workouts (type, duration, distance, calories, heart rate) for a user over a date range, newest first, optionally of one type. At most 92 days and 100 workouts.",
    inputSchema: {
      user_id: UserId, start_date: StartDate, end_date: EndDate,
      workout_type: z.string().optional().describe("Filter by type: running, cycling, swimming, strength_training, walking, hiking, yoga, …"),
    },
    annotations: READ_ONLY,
  }, run(ctx, getWorkoutEvents));
  server.registerTool("get_timeseries", {
    description: "Time-series samples (heart_rate, steps, weight, oxygen_saturation, heart_rate_variability_sdnn, …) for a user in a time window. " +
      "Results stay small: above 500 points the server downsamples to the next coarser resolution and says so. At most 31 days.",
    inputSchema: {
      user_id: UserId,
      start_time: z.string().describe("Start of the window, ISO 8601. Example: \"2026-04-05T00:00:00Z\""),
      end_time: z.string().describe("End of the window, ISO 8601 (a date alone means the whole day). Example: \"2026-04-05T23:59:59Z\""),
      types: z.array(z.string()).describe("Series type codes, a list even for one: [\"heart_rate\"]. At most 5."),
      resolution: z.string().optional().describe("raw, 1min, 5min, 15min or 1hour (default raw; coarser when too many points)"),
    },
    annotations: READ_ONLY,
  }, run(ctx, getTimeseries));
  server.registerTool("get_body_summary", {
    description: "Body composition (weight, height, BMI, body fat) and recent vitals (resting heart rate, HRV, temperature, blood pressure) for a user.",
    inputSchema: {
      user_id: UserId,
      average_period: z.number().int().optional().describe("Days to average resting heart rate and HRV over, 1–7 (default 7)"),
      latest_window_hours: z.number().int().optional().describe("How recent a temperature or blood pressure reading must be, 1–24 hours (default 4)"),
    },
    annotations: READ_ONLY,
  }, run(ctx, getBodySummary));
  server.registerTool("get_sync_status", {
    description: "Whether a user's phone is syncing: the apps and devices their data comes from, and the latest uploads with counts, rejections and a stuck-client flag.",
    inputSchema: { user_id: UserId, limit: z.number().int().optional().describe("Uploads to return, newest first (default 5, at most 20)") },
    annotations: READ_ONLY,
  }, run(ctx, getSyncStatus));
  server.registerPrompt("present_health_data", {
    description: "Guidelines for presenting health data to users in a readable format.",
  }, () => ({ messages: [{ role: "user", content: { type: "text", text: presentHealthData } }] }));
  return server;
}

/** One MCP request for an authorized caller. */
export async function handleMcp(request: Request, caller: McpCaller, services: Services): Promise<Response> {
  if (request.method !== "POST") {
    return Response.json({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: this server is stateless (POST only)" }, id: null },
      { status: 405, headers: { Allow: "POST" } });
  }
  const server = buildServer({ orgId: caller.orgId, services });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(request);
}
