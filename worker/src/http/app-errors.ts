import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { HttpError } from "./errors";
import { missingMigrations } from "./setup-errors";

/** Every failure leaves as `{"detail": ...}`. Unexpected ones are 500 (transient for clients), never 4xx. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof HttpError) return c.json({ detail: error.message }, error.status, error.headers);
  if (error instanceof HTTPException) {
    const detail = error.message === "Malformed JSON in request body" ? "JSON decode error - malformed JSON in request body" : error.message;
    return c.json({ detail: detail || "Bad request" }, error.status);
  }
  const setup = missingMigrations(error);
  if (setup) return c.json({ detail: setup.message }, setup.status);
  // Log the kind of failure only: never bodies, tokens or health data.
  console.error("unhandled error", c.req.method, c.req.routePath, error.name, error.message);
  return c.json({ detail: "Internal server error; please retry" }, 500);
}
