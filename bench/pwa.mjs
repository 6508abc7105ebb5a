// Onboarding PWA: first-screen JavaScript (gzipped), installability, and Lighthouse (mobile profile) scores,
// measured on the built PWA served by the real Worker (wrangler dev) in Debian's Chromium.
//
//   node bench/pwa.mjs            # builds web/ first
//   node bench/pwa.mjs --no-build
//
// Prints a JSON summary; full Lighthouse reports go to web/artifacts/lighthouse-*.html.
import { execFileSync } from "node:child_process";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { startWorker } from "../web/test/server.mjs";
import { lighthouseRun } from "./lib/lighthouse.mjs";
import { apiClient, openBrowser } from "../web/test/helpers.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "web", "dist");
const ARTIFACTS = join(ROOT, "web", "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });
const kb = (n) => Math.round((n / 1024) * 100) / 100;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;

if (!process.argv.includes("--no-build")) execFileSync("npm", ["run", "build", "-w", "web"], { cwd: ROOT, stdio: "inherit" });

// 1. Static view: the entry script and everything it imports statically (modulepreload), from index.html.
const html = readFileSync(join(DIST, "index.html"), "utf8");
const staticJs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]);
const staticGzip = staticJs.reduce((sum, src) => sum + gz(readFileSync(join(DIST, src))), 0);

const worker = await startWorker();
const summary = { date: new Date().toISOString(), first_screen_js: {}, installable: null, lighthouse: {} };
try {
  const api = apiClient(worker.origin, worker.adminKey);
  const app = await api.application("Bench", {
    display_name: "Acme Coaching", accent_color: "#e4572e", requested_data_types: ["steps", "heartRate", "sleep", "workout"],
  });
  const pages = {
    share: async () => `${worker.origin}/connect#${(await api.invite(app.app_id)).code}`,
    "enter-code": async () => `${worker.origin}/connect`,
    "open-app": async () => `${worker.origin}/connect?step=device#${(await api.invite(app.app_id)).code}`,
    status: async () => `${worker.origin}/connect?step=status#${(await api.invite(app.app_id)).code}`,
  };

  // 2. Browser view: JS the page actually fetched before the first screen was on it (the first heading).
  // A persistent profile: Chromium never offers to install from an incognito-like context.
  const browser = await openBrowser("iphone");
  try {
    const { context, page } = browser;
    const js = new Set();
    page.on("request", (r) => { if (r.resourceType() === "script") js.add(new URL(r.url()).pathname); });
    await page.goto(await pages.share());
    await page.locator("h1").first().waitFor();
    const firstScreen = [...js];
    const firstGzip = firstScreen.reduce((sum, p) => sum + gz(readFileSync(join(DIST, p))), 0);
    await page.waitForLoadState("networkidle");
    const afterLoad = [...js];
    const afterGzip = afterLoad.reduce((sum, p) => sum + gz(readFileSync(join(DIST, p))), 0);
    summary.first_screen_js = {
      static_entry_files: staticJs, static_entry_gzip_kb: kb(staticGzip),
      fetched_before_first_screen: firstScreen, fetched_before_first_screen_gzip_kb: kb(firstGzip),
      fetched_by_network_idle: afterLoad, fetched_by_network_idle_gzip_kb: kb(afterGzip),
      budget_kb: 30,
    };

    // 3. Installability as Chromium itself judges it (manifest, icons, service worker with a fetch handler).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    summary.installable = { ok: installabilityErrors.length === 0, errors: installabilityErrors };
  } finally {
    await browser.close();
  }

  // 4. Lighthouse, default (mobile) profile with simulated throttling, a fresh Chromium per page.
  for (const [name, url] of Object.entries(pages)) {
    summary.lighthouse[name] = await lighthouseRun(await url(), { reportPath: join(ARTIFACTS, `lighthouse-${name}.html`) });
  }
} finally {
  await worker.stop();
}
console.log(JSON.stringify(summary, null, 2));
