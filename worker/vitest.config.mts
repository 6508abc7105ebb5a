import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Tests run inside workerd against real D1 and Durable Objects, configured from the same wrangler.toml.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "ES256" };
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "../wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ADMIN_API_KEY: "test-admin-key",
            JWT_PRIVATE_KEY: JSON.stringify(jwk),
            // Webhooks: fast retries, short timeout and a low disable threshold so the failure paths run in seconds.
            WEBHOOK_SECRET_KEY: "test-webhook-seal-key",
            WEBHOOK_RETRY_BASE_SECONDS: "0",
            WEBHOOK_TIMEOUT_MS: "1000",
            WEBHOOK_DISABLE_AFTER_FAILURES: "6",
            WEBHOOK_DISABLE_AFTER_SECONDS: "0",
            // The receiver tests deliver to a local server; the SSRF policy's production path is tested per request.
            WEBHOOK_ALLOW_PRIVATE_URLS: "true",
          },
          // An empty database for the upgrade test (test/control/migration.test.ts): migrated step by step there.
          d1Databases: ["MIGRATION_DB"],
          // Same queues as wrangler.toml, with fewer retries and no batching wait for the tests.
          queueConsumers: {
            "open-wearables-webhooks": { maxBatchSize: 50, maxBatchTimeout: 0, maxRetries: 3, deadLetterQueue: "open-wearables-webhooks-dlq" },
            "open-wearables-webhooks-dlq": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 3 },
          },
        },
      }),
    ],
    test: {
      setupFiles: ["./test/setup/apply-migrations.ts"],
      globalSetup: ["./test/webhooks/receiver-server.mjs"],
      testTimeout: 20_000,
    },
  };
});
