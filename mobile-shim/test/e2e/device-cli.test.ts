import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { api, createUser, invitationCode, origin } from "../support/server";

/** Runs `npm run device -- <link> ...` as a person would, and returns its output lines. */
function runDevice(args: string[], opts: { tty?: boolean; home?: string } = {}): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    // Without home each run is a fresh phone (its own --data-dir); with it, state lives in <home>/.device/<user>.
    const dirArgs = opts.home ? [] : ["--data-dir", mkdtempSync(join(tmpdir(), "ow-cli-"))];
    const argv = ["tsx", "src/cli/device.ts", ...args, ...dirArgs];
    // util-linux `script` gives the CLI a pseudo-terminal, as when a person runs it.
    const [cmd, cmdArgs] = opts.tty ? ["script", ["-qec", `npx ${argv.map((a) => `'${a}'`).join(" ")}`, "/dev/null"]] : ["npx", argv];
    const child = spawn(cmd as string, cmdArgs as string[], {
      cwd: join(import.meta.dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, COLUMNS: "140", ...(opts.home ? { OW_DEVICE_DIR: join(opts.home, ".device") } : {}) },
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
    // Not a terminal: plain progress lines, newest first — the last 24 h, then older data, then done.
    const progress = lines.filter((l) => l.startsWith("first sync: "));
    const at = (prefix: string) => progress.findIndex((l) => l.startsWith(`first sync: ${prefix}`));
    expect(at("last 24 h of every type")).toBe(0);
    expect(at("older data, newest first")).toBeGreaterThan(0);
    expect(at("100 % · done")).toBe(progress.length - 1);
    const pcts = progress.map((l) => /^first sync: (\d+) %/.exec(l)?.[1]).filter(Boolean).map(Number);
    expect(pcts.length).toBeGreaterThan(2);
    expect([...pcts].sort((a, b) => a - b)).toEqual(pcts);
    expect(progress.some((l) => / · reached \d{4}-\d\d-\d\d/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("\x1b["))).toBe(false);

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

  it("draws a progress bar in place on a terminal", async () => {
    const userId = await createUser();
    const link = `openwearables://connect?host=${encodeURIComponent(origin())}&code=${await invitationCode(userId)}`;
    const { code: exit, lines } = await runDevice([link, "--days", "3", "--once"], { tty: true });
    const out = lines.join("\n");
    if (process.env.CLI_TTY_DUMP) (await import("node:fs")).writeFileSync(process.env.CLI_TTY_DUMP, out);
    expect(exit, out).toBe(0);
    // Redrawn in place (carriage return + erase line), ending at 100 %, with the phase it is in.
    const frames = out.split("\r\x1b[2K").map((f) => f.trim()).filter((f) => f.startsWith("First sync ["));
    expect(frames.length).toBeGreaterThan(3);
    expect(frames[0]).toContain("last 24 h of every type");
    expect(frames.some((f) => f.includes("older data, newest first"))).toBe(true);
    expect(frames.at(-1)).toMatch(/^First sync \[█+\] 100 %/);
    expect(out).toMatch(/✓ HeartRate \([\d,]+ items\)/);
    expect(JSON.parse(lines.map((l) => l.trim()).filter((l) => l.startsWith("{")).at(-1)!)).toMatchObject({ userId, initialExportDone: true });
  }, 120_000);

  it("keeps the phone in .device/<user> and resumes it with --user: nothing re-sent, no new code needed", async () => {
    const userId = await createUser();
    const link = `openwearables://connect?host=${encodeURIComponent(origin())}&code=${await invitationCode(userId)}`;
    const home = mkdtempSync(join(tmpdir(), "ow-cli-home-"));
    const first = await runDevice([link, "--days", "2", "--once"], { home });
    expect(first.code, first.lines.join("\n")).toBe(0);
    expect(existsSync(join(home, ".device", userId, "secure"))).toBe(true);
    const firstRequests = JSON.parse(first.lines[first.lines.length - 1]!).requests;
    expect(firstRequests).toBeGreaterThan(0);

    const resumed = await runDevice(["--user", userId, "--days", "2", "--once"], { home });
    expect(resumed.code, resumed.lines.join("\n")).toBe(0);
    const summary = JSON.parse(resumed.lines[resumed.lines.length - 1]!);
    expect(summary).toMatchObject({ userId, initialExportDone: true, lastError: null });
    // The backfill is not repeated: at most the few samples that appeared since the first run.
    expect(summary.requests).toBeLessThan(firstRequests);

    const unknown = await runDevice(["--user", "00000000-0000-4000-8000-000000000000", "--once"], { home });
    expect(unknown.code).toBe(1);
    expect(unknown.lines.join("\n")).toMatch(/no saved phone/);
  }, 120_000);
});
