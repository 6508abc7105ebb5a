// Runs the README's quickstart (the ```sh blocks between the walkthrough markers, in order, in one bash session)
// against a real Worker (wrangler dev, fresh local state), so the documented journey cannot rot.
// Only the setup lines that point at `npm start`'s Worker are swapped for this Worker's origin and admin key, the
// receiver's port 9999 for a free one, and every curl fails on an HTTP error (--fail-with-body).
//   node --test scripts/test/quickstart.test.mjs        (PRINT=1 shows the walkthrough's output)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, freePort, startWorker } from "../local-worker.mjs";

export function walkthroughBlocks(markdown) {
  const section = markdown.split("<!-- walkthrough:start -->")[1]?.split("<!-- walkthrough:end -->")[0];
  if (!section) throw new Error("README has no walkthrough markers");
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

function bash(script, env) {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

let worker;
const deviceDir = mkdtempSync(join(tmpdir(), "ow-readme-"));
before(async () => {
  worker = await startWorker({ vars: { LOCAL_DEV: "true", WEBHOOK_ALLOW_PRIVATE_URLS: "true", WEBHOOK_SECRET_KEY: randomBytes(32).toString("base64") } });
});
after(async () => {
  await worker?.stop();
  rmSync(deviceDir, { recursive: true, force: true });
});

test("the README quickstart runs as written, step by step, against a real Worker", { timeout: 240_000 }, async () => {
  const blocks = walkthroughBlocks(readFileSync(join(ROOT, "README.md"), "utf8"));
  assert.ok(blocks.length >= 9, `expected the setup block and nine steps, found ${blocks.length} blocks`);
  const [setup, ...steps] = blocks;
  assert.match(setup, /^OW=http:\/\/localhost:8787$/m);
  assert.match(setup, /^ADMIN_KEY=\$\(sed .* \.dev\.vars\)/m);
  const hookPort = await freePort();
  const local = setup.replace(/^OW=.*$/m, `OW=${worker.origin}`).replace(/^ADMIN_KEY=.*$/m, `ADMIN_KEY=${worker.adminKey}`);
  // The deliveries are asynchronous (a queue): before the last step, wait for the delivery log to record them.
  const waitForDelivery = `node scripts/test/wait-for-json.mjs "$OW/api/v1/webhooks/endpoints/$HOOK_ID/attempts" "$ADMIN_KEY" data.0.status`;
  const script = [
    "set -euo pipefail",
    "curl() { command curl --fail-with-body \"$@\"; }",
    local,
    ...steps.slice(0, -1).map((s, i) => `echo "--- step ${i + 1}"\n${s}`),
    waitForDelivery,
    `echo "--- step ${steps.length}"\n${steps[steps.length - 1]}`,
  ].join("\n").replaceAll("9999", String(hookPort));
  const { code, out } = await bash(script, { ...process.env, OW_DEVICE_DIR: join(deviceDir, ".device") });
  if (process.env.PRINT) console.log(out);
  assert.equal(code, 0, out);
  // Spot checks on what each step printed.
  assert.match(out, /"app_secret": "secret_/);
  assert.match(out, /^sk-/m);
  assert.match(out, /"external_user_id": "alice-42"/);
  assert.match(out, /"records_saved": 1,\n {2}"workouts_saved": 1/);
  assert.match(out, /"url": "http:\/\/127\.0\.0\.1:\d+\/connect#[A-Z2-9]{8}"/);
  assert.match(out, /"initialExportDone":true/);
  assert.match(out, /webhook workout\.created\./);
  assert.match(out, /"statusText": "success"/);
});

/** Runs `npm start`'s script as a person would (PORT set), returning its exit code and output. */
function npmStart(port) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "scripts", "start.mjs")], {
      cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

test("a second npm start on a port the Worker already serves stops before the banner, naming the port and the fix", async () => {
  const port = Number(new URL(worker.origin).port);
  const { code, out } = await npmStart(port);
  assert.equal(code, 1, out);
  assert.match(out, new RegExp(`already running on port ${port} \\(another \`npm start\`\\)`));
  assert.match(out, /PORT=8788 npm start/);
  assert.doesNotMatch(out, /Admin API key|is running at/);
});

test("npm start on a port another program holds stops at once, naming the port and the fix", async () => {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const { port } = server.address();
    const { code, out } = await npmStart(port);
    assert.equal(code, 1, out);
    assert.match(out, new RegExp(`Port ${port} is in use by another program`));
    assert.match(out, /PORT=8788 npm start/);
  } finally {
    server.close();
  }
});
