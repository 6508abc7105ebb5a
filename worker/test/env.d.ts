import type { D1Migration } from "@cloudflare/vitest-pool-workers";

// `env` from cloudflare:test is the generated Cloudflare.Env (worker/worker-configuration.d.ts) plus the test's own bindings.
declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      MIGRATION_DB: D1Database;
    }
  }
}
