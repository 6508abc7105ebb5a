import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { validationHook } from "./validation";

/** Every router shares the 400-on-validation hook and trailing-slash tolerance. */
export const newRouter = () => new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });

export const ErrorSchema = z.object({ detail: z.string() }).openapi("Error");

/** Standard error responses for the OpenAPI document. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503)[]) {
  const descriptions: Record<number, string> = {
    400: "Invalid request",
    401: "Missing or invalid credentials",
    403: "Credentials do not cover this resource",
    404: "Not found",
    409: "Conflict",
    413: "Request body too large",
    429: "Too many requests",
    500: "Server error (transient: retry)",
    503: "Temporarily unavailable",
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s]!, content: { "application/json": { schema: ErrorSchema } } }]),
  );
}

export const UserIdParam = z.object({
  user_id: z.uuid({ error: "Input should be a valid UUID" }).openapi({ param: { name: "user_id", in: "path" } }),
});

export const json = <T extends z.ZodType>(schema: T, description = "") => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { "application/json": { schema } },
});

export const API_KEY_SECURITY: Record<string, string[]>[] = [{ ApiKey: [] }];
export const SDK_SECURITY: Record<string, string[]>[] = [{ SdkToken: [] }, { ApiKey: [] }];
