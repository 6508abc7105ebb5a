import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";
import { UserDirectory } from "./data/user-directory";

/**
 * Builds the per-request services once, before any route runs; routes read them with `c.var.services` instead
 * of reaching for bindings. Tests hand the app an instrumented D1 binding through `env.DB` and see every query.
 */
export const services: MiddlewareHandler<AppEnv> = async (c, next) => {
  const db = c.env.DB;
  c.set("services", { db, users: new UserDirectory(c.env, db) });
  await next();
};
