import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HttpError } from "./errors";

/** Control-plane bodies are small; anything bigger is a mistake or an attack. */
export const CONTROL_BODY_LIMIT_BYTES = 64 * 1024;

export const limitBody = (maxSize: number, label: string): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new HttpError(413, `Request body too large: the limit is ${label}`);
    },
  });

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * JSON is the only body we take. A body without Content-Type is read as JSON (as the reference does, and as
 * `curl` users expect); any other declared type is a 400 rather than being silently read as `{}`.
 */
export const jsonOnly: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "POST" || c.req.method === "PATCH" || c.req.method === "PUT") {
    const type = c.req.header("Content-Type")?.split(";")[0]?.trim();
    if (!type) {
      if (!c.req.raw.body || c.req.header("Content-Length") === "0") return next();
      const headers = new Headers(c.req.raw.headers);
      headers.set("Content-Type", "application/json");
      c.req.raw = new Request(c.req.raw, { headers });
    } else if (!JSON_TYPE.test(type)) {
      throw new HttpError(400, `Content-Type must be application/json, not ${type}`);
    }
  }
  await next();
};
