// The API reference page (/api/v1/docs) in Chromium with every other origin unreachable: the pinned viewer from
// our own assets must render the whole reference, under the page's CSP, without a single request elsewhere.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startWorker } from "./server.mjs";
import { openBrowser, shot } from "./helpers.mjs";

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

describe("API reference page", () => {
  it("renders offline from our origin only, with no CSP violation", { timeout: 90_000 }, async () => {
    const b = await openBrowser("desktop");
    const { page, context } = b;
    const foreign = [];
    const problems = [];
    // Offline for everything but our origin: a third-party request fails, and is recorded.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(worker.origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
      foreign.push(url);
      return route.abort("internetdisconnected");
    });
    page.on("console", (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
    try {
      const res = await page.goto(`${worker.origin}/api/v1/docs`);
      assert.equal(res.status(), 200);
      assert.match(res.headers()["content-security-policy"], /script-src 'self'/);
      // The viewer fetched our OpenAPI document and rendered its operations.
      await page.getByRole("heading", { name: "Open Wearables Edge API" }).first().waitFor({ timeout: 30_000 });
      await page.getByText("Download OpenAPI Document").first().waitFor();
      // The operations are listed (the sidebar's groups come from the document's tags).
      for (const tag of ["Applications", "Invitation codes", "Onboarding", "Webhooks"]) {
        await page.getByRole("button", { name: new RegExp(`^(Open|Close) Group - ${tag}$`) }).first().waitFor();
      }
      await page.screenshot({ path: new URL("../artifacts/api-docs.png", import.meta.url).pathname });
      assert.deepEqual(foreign, [], "no request left our origin");
      assert.deepEqual(problems, [], "no CSP violation");
      // The viewer file is served with nosniff and a long cache (its name carries the version).
      const viewer = await fetch(`${worker.origin}${await page.locator("script[src*=scalar]").getAttribute("src")}`);
      assert.equal(viewer.status, 200);
      assert.equal(viewer.headers.get("x-content-type-options"), "nosniff");
      assert.match(viewer.headers.get("cache-control") ?? "", /immutable/);
    } finally {
      await b.close();
    }
  });

  it("static assets carry nosniff and HSTS", async () => {
    for (const path of ["/connect", "/manifest.webmanifest", "/icon.svg"]) {
      const res = await fetch(`${worker.origin}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(res.headers.get("strict-transport-security"), "max-age=31536000", path);
    }
  });
});
