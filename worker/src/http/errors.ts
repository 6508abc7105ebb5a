import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error that becomes `{"detail": message}` with the given status. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (entity: string, id: string) => new HttpError(404, `${entity} with ID: ${id} not found.`);

/** 401 with the Bearer challenge the reference sends on token endpoints. */
export const unauthorized = (detail: string, bearerChallenge = false) =>
  new HttpError(401, detail, bearerChallenge ? { "WWW-Authenticate": "Bearer" } : {});
