// The update prompt: a new service worker waits, the page offers it, and taking it reloads into the new version.
// Runs on its own copy of the built PWA, so changing files here never touches web/dist.
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, it } from "node:test";
import { startWorker } from "./server.mjs";
import { apiClient, openBrowser, shot } from "./helpers.mjs";

const DIST = fileURLToPath(new URL("../dist", import.meta.url));
let copy;
let worker;

before(async () => {
  copy = mkdtempSync(join(tmpdir(), "ow-dist-"));
  cpSync(DIST, copy, { recursive: true });
  worker = await startWorker({ assetsDir: copy });
});
after(async () => {
  await worker?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

it("offers a new version instead of swapping it in mid-flow", { timeout: 120_000 }, async () => {
  const api = apiClient(worker.origin, worker.adminKey);
  const app = await api.application("Acme", { display_name: "Acme Coaching" });
  const { code } = await api.invite(app.app_id);
  const b = await openBrowser("iphone");
  const { page } = b;
  try {
    await page.goto(`${worker.origin}/connect#${code}`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), "the service worker controls the page");

    // A deploy: the service worker script changes.
    appendFileSync(join(copy, "sw.js"), "\n// a new version\n");
    const deadline = Date.now() + 20_000;
    while (!(await (await fetch(`${worker.origin}/sw.js`, { cache: "no-store" })).text()).includes("a new version")) {
      assert.ok(Date.now() < deadline, "wrangler dev serves the changed file");
      await new Promise((r) => setTimeout(r, 300));
    }
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const prompt = page.getByText("A new version of this page is available.");
    await prompt.waitFor({ timeout: 30_000 });
    assert.ok(await page.getByText("Acme Coaching would like to read your health data").isVisible(), "the step stays");
    await shot(page, "19-update-prompt");

    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Update" }).click()]);
    await page.getByText("Acme Coaching would like to read your health data").waitFor();
    assert.equal(await prompt.count(), 0);
    const waiting = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting));
    assert.equal(waiting, false, "the new version is the active one");
  } finally {
    await b.close();
  }
});
