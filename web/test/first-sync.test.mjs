// The status page shows the app's first sync as the SDK reports it: the device simulator (the real mobile shim)
// uploads a heavy history newest-first and sends the official telemetry; the page turns it into progress.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startWorker } from "./server.mjs";
import { apiClient, exposedText, openBrowser, shot } from "./helpers.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let worker;
let api;

before(async () => {
  worker = await startWorker();
  api = apiClient(worker.origin, worker.adminKey);
});
after(async () => {
  await worker?.stop();
});

/** The phone: the simulator redeems the page's own link and runs its first sync (in the background). */
function startDevice(link, days) {
  const child = spawn("npm", ["run", "-s", "device", "-w", "mobile-shim", "--", link, "--days", String(days), "--profile", "heavy", "--once", "--quiet"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1))) : reject(new Error(`device exited ${code}: ${out}`))));
  });
}

describe("first-sync progress on the status page", () => {
  it("shows how far the app's first sync got, from the SDK's telemetry, then that it finished", { timeout: 240_000 }, async () => {
    const app = await api.application("Acme", { display_name: "Acme Coaching", requested_data_types: ["steps", "heartRate", "sleep"], deep_link_scheme: "acmecoach" });
    const { code } = await api.invite(app.app_id);
    const b = await openBrowser("iphone");
    const { page } = b;
    try {
      await page.goto(`${worker.origin}/connect?code=${code}&step=device`);
      const link = await page.getByTestId("open-app").getAttribute("href"); // acmecoach://connect?host=…&code=…
      await page.getByRole("button", { name: "I've opened the app" }).click();
      await page.getByText("Waiting for the app").waitFor();

      const device = startDevice(link, 120);
      // Mid-way: some kinds of data done (sparse ones reach the floor first), others still walking back.
      const progress = page.getByTestId("first-sync");
      await page.getByText("Uploading your history").waitFor({ timeout: 120_000 });
      await progress.getByText(/^In progress: /).waitFor({ timeout: 60_000 });
      await progress.getByText(/^Done: /).waitFor({ timeout: 60_000 });
      const text = await progress.innerText();
      const pct = Number(/(\d+) % done/.exec(text)?.[1]);
      assert.ok(pct > 0 && pct < 100, text);
      assert.match(text, /\d+ of \d+ kinds of data complete/);
      const mid = (await (await fetch(`${worker.origin}/api/v1/connect/status`, { headers: { "X-Invitation-Code": code } })).json()).first_sync;
      assert.ok([...mid.done_types, ...mid.in_progress_types].includes("heart rate"), JSON.stringify(mid));
      assert.ok(await page.getByText("Your history is still uploading. Keep Acme Coaching open").isVisible());
      const bar = page.locator("progress.history");
      assert.equal(Number(await bar.getAttribute("value")), pct);
      await shot(page, "11-status-first-sync-progress");

      const summary = await device;
      assert.equal(summary.initialExportDone, true);
      assert.equal(summary.lastError, null);
      await page.getByText("History uploaded").waitFor({ timeout: 30_000 });
      assert.match(await progress.innerText(), /^All \d+ kinds of data are up to date\.$/);
      await shot(page, "12-status-first-sync-done");
      const status = await (await fetch(`${worker.origin}/api/v1/connect/status`, { headers: { "X-Invitation-Code": code } })).json();
      assert.equal(status.first_sync.state, "done");
      assert.equal(status.first_sync.percent, 100);
      assert.doesNotMatch(await exposedText(page, b.urls), /eyJ[\w-]+\.[\w-]+\.[\w-]+|access_token|refresh_token/);
    } finally {
      await b.close();
    }
  });
});
