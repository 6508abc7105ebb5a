import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createUser, invitationCode, origin } from "../support/server";

const SHIM = join(import.meta.dirname, "..", "..");

it("the README's \"Using it\" example runs as written against the real Worker", async () => {
  const readme = readFileSync(join(SHIM, "README.md"), "utf8");
  const block = /## Using it[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, "README has a ts block under Using it").toBeTruthy();
  const file = join(SHIM, `.readme-example-${process.pid}.ts`);
  writeFileSync(file, block!);
  try {
    const userId = await createUser();
    const link = `openwearables://connect?host=${encodeURIComponent(origin())}&code=${await invitationCode(userId)}`;
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn("npx", ["tsx", file, link], { cwd: SHIM, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("exit", (code) => resolve({ code, out }));
    });
    expect(code, out).toBe(0);
    expect(out).toContain(`user ${userId}: initial export done = true`);
  } finally {
    rmSync(file, { force: true });
  }
}, 120_000);
