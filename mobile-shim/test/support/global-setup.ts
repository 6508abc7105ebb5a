import type { TestProject } from "vitest/node";
// The repo's shared launcher: wrangler dev on a free port, migrations applied to a temp --persist-to dir,
// throwaway ADMIN_API_KEY and ES256 JWT_PRIVATE_KEY.
// @ts-expect-error plain ESM helper without types
import { startWorker } from "../../../scripts/local-worker.mjs";

declare module "vitest" {
  export interface ProvidedContext { workerOrigin: string; adminKey: string }
}

export default async function setup(project: TestProject) {
  // Every test client redeems codes from 127.0.0.1, so the per-client redeem budget is raised for this Worker.
  const worker = (await startWorker({ args: ["--log-level", "error"], vars: { REDEEM_ATTEMPTS_PER_WINDOW: "1000" } })) as { origin: string; adminKey: string; stop(): Promise<void> };
  project.provide("workerOrigin", worker.origin);
  project.provide("adminKey", worker.adminKey);
  return () => worker.stop();
}
