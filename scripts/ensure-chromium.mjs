#!/usr/bin/env node
// Makes sure the browser tests have a Chromium before any of them starts (run by `npm test`).
//   CHROMIUM_PATH=/path/to/chrome   use that browser (any Chromium or Chrome); nothing is installed
//   default                         /usr/bin/chromium, installed from Debian/Ubuntu packages when missing and the
//                                   machine allows it (root or password-less sudo, apt-get), else a failure that
//                                   prints the one command to run.
//   --install                       run the package install even when the browser is present (CI images)
import { accessSync, constants } from "node:fs";
import { spawnSync } from "node:child_process";

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";
const FIX = "sudo apt-get update && sudo apt-get install -y chromium";

const executable = (path) => {
  try { accessSync(path, constants.X_OK); return true; } catch { return false; }
};
const fail = (message) => {
  console.error(`\n${message}\n`);
  process.exit(1);
};
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

const override = process.env.CHROMIUM_PATH;
if (override) {
  if (!executable(override)) {
    fail(`CHROMIUM_PATH=${override} is not an executable browser.\n` +
      `Point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it to use ${DEFAULT_CHROMIUM} (installed with: ${FIX}).`);
  }
  process.exit(0);
}
if (executable(DEFAULT_CHROMIUM) && !process.argv.includes("--install")) process.exit(0);

const root = process.getuid?.() === 0;
const sudo = !root && has("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
if (process.platform !== "linux" || !has("apt-get") || !(root || sudo)) {
  fail(`The browser tests need Chromium at ${DEFAULT_CHROMIUM}, and this machine cannot install it unattended.\n` +
    `Fix: ${FIX}\n   or: CHROMIUM_PATH=/path/to/chromium-or-chrome npm test`);
}
console.log(`Chromium is missing at ${DEFAULT_CHROMIUM}; installing it with apt-get (about a minute) ...`);
const prefix = root ? [] : ["sudo", "-n"];
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]]) {
  const [cmd, ...rest] = [...prefix, ...args];
  const r = spawnSync(cmd, rest, { stdio: "inherit", env });
  if (r.status !== 0) fail(`\`${args.join(" ")}\` failed (exit ${r.status}). Fix: ${FIX}`);
}
if (!executable(DEFAULT_CHROMIUM)) fail(`apt-get installed chromium but ${DEFAULT_CHROMIUM} is missing. Fix: set CHROMIUM_PATH.`);
console.log(`Chromium installed: ${DEFAULT_CHROMIUM}`);
