// Developer console: chart rendering of a day of 1 Hz heart rate (86,400 points, uPlot) in Chromium, first-screen
// JavaScript of the onboarding page and of the console, and Lighthouse (desktop) on the overview and a user page.
// The real Worker (wrangler dev) serves the built web/ and ingests the samples through the SDK sync endpoint.
//
//   node bench/console.mjs            # builds web/ first
//   node bench/console.mjs --no-build
//
// Prints a JSON summary; Lighthouse reports go to web/artifacts/lighthouse-console-*.html.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { startWorker } from "../web/test/server.mjs";
import { lighthouseRun } from "./lib/lighthouse.mjs";
import { apiClient, openBrowser } from "../web/test/helpers.mjs";
import { addPasskeyDevice, localhostOf } from "../web/test/console-helpers.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "web", "dist");
const ARTIFACTS = join(ROOT, "web", "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });
const kb = (n) => Math.round((n / 1024) * 100) / 100;
const gz = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const RUNS = 5;

if (!process.argv.includes("--no-build")) execFileSync("npm", ["run", "build", "-w", "web"], { cwd: ROOT, stdio: "inherit" });

/** The entry script of an HTML file and everything it preloads (what the browser fetches before first render). */
function entryJs(html) {
  const text = readFileSync(join(DIST, html), "utf8");
  const files = [...text.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
  return { files, gzip_kb: kb(files.reduce((n, f) => n + gz(f), 0)) };
}
const uplot = readdirSync(join(DIST, "assets")).find((f) => /^uPlot.*\.js$/.test(f));
const summary = {
  date: new Date().toISOString(),
  first_screen_js: { onboarding: entryJs("index.html"), console: entryJs("console.html"), uplot_chunk_gzip_kb: uplot ? kb(gz(`assets/${uplot}`)) : null },
  heart_rate_day: {},
  lighthouse: {},
};

const worker = await startWorker({ vars: { REDEEM_ATTEMPTS_PER_WINDOW: "1000" } });
try {
  const api = apiClient(worker.origin, worker.adminKey);
  const admin = { "X-Open-Wearables-API-Key": worker.adminKey };
  const base = localhostOf(worker.origin);

  // 1. A day of 1 Hz heart rate (yesterday, UTC), uploaded as the iOS SDK would, 10,000 samples per batch.
  const user = (await api.call("POST", "/users", { email: "bench@example.org" }, admin)).json;
  const { code } = (await api.call("POST", `/users/${user.id}/invitation-code`, {}, admin)).json;
  const tokens = await api.redeem(code);
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const start = Date.parse(`${day}T00:00:00Z`);
  const source = { appId: "com.apple.health", deviceId: null, deviceName: "Apple Watch", deviceManufacturer: "Apple", deviceModel: "Watch7,1", deviceType: "watch", recordingMethod: "automatic" };
  let stored = 0;
  for (let from = 0; from < 86_400; from += 10_000) {
    const records = [];
    for (let i = from; i < Math.min(86_400, from + 10_000); i++) {
      const at = new Date(start + i * 1000).toISOString().replace(".000Z", "Z");
      const bpm = Math.round(62 + 25 * Math.sin(i / 5400) + 10 * Math.sin(i / 300) + ((i * 7919) % 11));
      records.push({ id: `hr-${i}`, type: "HKQuantityTypeIdentifierHeartRate", startDate: at, endDate: at, zoneOffset: null, source, value: bpm, unit: "bpm", parentId: null, metadata: null });
    }
    const res = await api.call("POST", `/sdk/users/${user.id}/sync`, {
      provider: "apple", sdkVersion: "0.9.0", syncTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"), data: { records, sleep: [], workouts: [] },
    }, { Authorization: `Bearer ${tokens.access_token}` });
    if (res.status !== 202) throw new Error(`sync: ${res.status} ${JSON.stringify(res.json)}`);
    stored += res.json.records_saved;
  }

  // 2. Sign up in Chromium with a virtual passkey, open the user, draw the day raw and at 1 minute, RUNS times each.
  const link = localhostOf((await api.call("POST", "/console/signup-links", {}, admin)).json.url);
  const b = await openBrowser("desktop");
  let cookie;
  try {
    const { page, context } = b;
    await addPasskeyDevice(context, page);
    await page.goto(link);
    await page.getByLabel("Your name").fill("Bench");
    await page.getByRole("button", { name: "Create passkey and join" }).click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor({ timeout: 20_000 });
    cookie = (await context.cookies(base)).map((c) => `${c.name}=${c.value}`).join("; ");
    await page.goto(`${base}/console/users/${user.id}`);
    await page.getByLabel("Day (UTC)").fill(day);
    const chart = page.getByTestId("hr-chart");
    const draw = async (resolution, points) => {
      await page.getByLabel(resolution === "raw" ? "Raw" : "1 minute").check();
      await page.waitForFunction((n) => (document.querySelector('[data-testid="hr-chart"]')?.dataset.points === String(n) && !!document.querySelector('[data-testid="hr-chart"]')?.dataset.renderMs), points, { timeout: 60_000 });
      const fetchMs = await page.evaluate((r) => {
        const e = performance.getEntriesByType("resource").filter((x) => x.name.includes("/heart-rate?") && x.name.includes(`resolution=${r}`)).at(-1);
        return e ? Math.round(e.duration) : null;
      }, resolution);
      return { render_ms: Number(await chart.getAttribute("data-render-ms")), fetch_ms: fetchMs };
    };
    const raw = [];
    const minute = [];
    for (let i = 0; i < RUNS; i++) {
      minute.push(await draw("1min", 1440));
      raw.push(await draw("raw", 86_400));
    }
    summary.heart_rate_day = {
      samples_stored: stored, runs: RUNS,
      raw_86400_points: { render_ms_median: median(raw.map((r) => r.render_ms)), render_ms_max: Math.max(...raw.map((r) => r.render_ms)), fetch_ms_median: median(raw.map((r) => r.fetch_ms)) },
      one_minute_1440_points: { render_ms_median: median(minute.map((r) => r.render_ms)), fetch_ms_median: median(minute.map((r) => r.fetch_ms)) },
      budget_render_ms: 200,
    };
  } finally {
    await b.close();
  }

  // 3. Lighthouse, desktop profile, signed in (the session cookie as a header), a fresh Chromium per page.
  const pages = { overview: `${base}/console`, user: `${base}/console/users/${user.id}` };
  for (const [name, url] of Object.entries(pages)) {
    summary.lighthouse[name] = await lighthouseRun(url, { reportPath: join(ARTIFACTS, `lighthouse-console-${name}.html`),
      config: desktopConfig, extraHeaders: { Cookie: cookie } });
  }
} finally {
  await worker.stop();
}
console.log(JSON.stringify(summary, null, 2));
