import type { Context } from "hono";
import type { z } from "zod";
import { HttpError } from "./errors";

/** First issue of a zod error as one readable sentence: `name: String should have at most 100 characters`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid request";
  const path = issue.path.map(String).join(".");
  let message = issue.message;
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) message = "Field required";
  return path ? `${path}: ${message}` : message;
}

/** defaultHook for @hono/zod-openapi: every validation failure is 400 {"detail"} (never 422). */
export function validationHook(result: { success: boolean; error?: z.ZodError }, _c: Context): void {
  if (!result.success && result.error) throw new HttpError(400, describeIssue(result.error));
}
