import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { HttpError } from "./errors";

/**
 * A Worker started without its setup (e.g. `npx wrangler dev` on a fresh clone) answers with what to run instead of
 * a bare 500: missing secrets are caught before any route, missing D1 tables when the first query fails.
 */
export const REQUIRED_SECRETS = ["ADMIN_API_KEY", "JWT_PRIVATE_KEY"] as const;

export const requireSecrets: MiddlewareHandler<AppEnv> = async (c, next) => {
  const missing = REQUIRED_SECRETS.filter((name) => !c.env[name]);
  if (missing.length) {
    throw new HttpError(503, `The Worker is missing the secret(s) ${missing.join(", ")}. Locally: run \`npm start\` once ` +
      "(it writes them to .dev.vars, which `wrangler dev` reads); in production: `npx wrangler secret put <NAME>`.");
  }
  await next();
};

/** D1's error when a table is missing: the migrations were not applied to this database. */
export function missingMigrations(error: Error): HttpError | null {
  if (!/no such table/i.test(error.message)) return null;
  return new HttpError(503, "The D1 database has no tables: apply the migrations with " +
    "`npx wrangler d1 migrations apply DB --local` (production: `--remote`), or run `npm start`, which applies them; then retry.");
}
