import type { Context } from "hono";
import { z } from "zod";
import { HttpError } from "../http/errors";
import { describeIssue } from "../http/validation";

/** A console call's JSON body (or query) through a zod schema; any problem is a 400 {"detail"}. */
export async function readBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, "Body is not valid JSON");
    }
  }
  return parseWith(schema, value);
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, describeIssue(result.error));
  return result.data;
}
