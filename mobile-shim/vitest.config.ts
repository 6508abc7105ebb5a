import { defineConfig } from "vitest/config";

// One real Worker (wrangler dev on workerd, fresh local state) for the whole suite: see test/support/global-setup.ts.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
