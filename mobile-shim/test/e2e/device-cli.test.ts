import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { api, createUser, invitationCode, origin } from "../support/server";

/** Runs `npm run device -- <link> ...` as a person would, and returns its output lines. */
function runDevice(args: string[]): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", "src/cli/device.ts", ...args, "--data-dir", mkdtempSync(join(tmpdir(), "ow-cli-"))], {
      cwd: join(import.meta.dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, lines: out.trim().split("\n") }));
  });
}

describe("device simulator CLI", () => {
  it("redeems the link's code, backfills N days once, and the read API returns them without duplicates", async () => {
    const userId = await createUser();
    const code = await invitationCode(userId);
    // The form the PWA hands over: the code in the fragment.
    const link = `openwearables://connect?host=${encodeURIComponent(origin())}#${code}`;
    const { code: exit, lines } = await runDevice([link, "--days", "3", "--platform", "android", "--once"]);
    expect(exit, lines.join("\n")).toBe(0);
    const summary = JSON.parse(lines[lines.length - 1]!);
    expect(summary).toMatchObject({ userId, platform: "android", days: 3, initialExportDone: true, lastError: null });
    expect(summary.requests).toBeGreaterThan(0);

    const start = new Date(Date.now() - 4 * 86_400_000).toISOString();
    const end = new Date(Date.now() + 86_400_000).toISOString();
    const res = await api("GET", `/users/${userId}/timeseries?start_time=${start}&end_time=${end}&types=heart_rate&limit=10000`);
    expect(res.status).toBe(200);
    const samples = (res.json as { data: { timestamp: string; source: unknown }[] }).data;
    expect(samples.length).toBeGreaterThan(100);
    const keys = samples.map((s) => `${s.timestamp}|${JSON.stringify(s.source)}`);
    expect(new Set(keys).size).toBe(keys.length);

    // The code was single use: a second phone with the same link is refused.
    const again = await runDevice([link, "--days", "1", "--once"]);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.lines[again.lines.length - 1]!)).toMatchObject({ statusCode: 404 });
  }, 120_000);
});
