// Browser and API helpers for the PWA's end-to-end tests: Debian's Chromium through playwright-core, and the
// API calls a customer's backend (settings, users, codes) and a phone app (redeem, sync) would make.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

export const ARTIFACTS = fileURLToPath(new URL("../artifacts/", import.meta.url));
mkdirSync(ARTIFACTS, { recursive: true });

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync",
];

export const DEVICES = {
  iphone: {
    userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  },
  android: {
    userAgent: "Mozilla/5.0 (Linux; Android 15; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36",
    viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  },
  desktop: {
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false,
  },
};

let clients = 0;
let closed = 0;

/**
 * A fresh browser profile per scenario, so service workers and storage never leak between tests. Each gets its
 * own client address (as Cloudflare would report it), so the per-IP rate limits see separate people.
 */
export async function openBrowser(device) {
  const profile = mkdtempSync(join(tmpdir(), "ow-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, ...DEVICES[device],
    extraHTTPHeaders: { "CF-Connecting-IP": `203.0.113.${++clients}` },
  });
  const urls = [];
  context.on("request", (r) => urls.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return {
    context, page, urls,
    async close() {
      // Whatever state the page ended in, keep a picture of it (the last step of a failing test, especially).
      await shot(page, `last-${device}-${++closed}`).catch(() => {});
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Everything a token could leak into: every URL requested, the DOM, and both storages. */
export async function exposedText(page, urls) {
  const dom = await page.content();
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  return [...urls, page.url(), dom, storage].join("\n");
}

export function apiClient(origin, adminKey) {
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${origin}/api/v1${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const admin = { "X-Open-Wearables-API-Key": adminKey };
  const ok = (res, status, what) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };
  return {
    call,
    async application(name, settings) {
      const app = ok(await call("POST", "/applications", { name }, admin), 201, "create application");
      if (settings) ok(await call("PATCH", `/applications/${app.app_id}/settings`, settings, admin), 200, "settings");
      return app;
    },
    async invite(appId, userId) {
      const user = userId ? { id: userId } : ok(await call("POST", "/users", {}, admin), 201, "create user");
      const code = ok(await call("POST", `/users/${user.id}/invitation-code`, appId ? { app_id: appId } : {}, admin), 201, "code");
      return { userId: user.id, code: code.code };
    },
    /** What the phone app does with the code from the deep link. */
    redeem: async (code) => ok(await call("POST", "/invitation-code/redeem", { code }), 200, "redeem"),
    /** A first upload as the SDK sends it; null when this Worker has no ingest route yet. */
    async sync(userId, accessToken, records) {
      const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      const res = await call("POST", `/sdk/users/${userId}/sync`, {
        provider: "apple", sdkVersion: "0.9.0", syncTimestamp: now, data: { records, sleep: [], workouts: [] },
      }, { Authorization: `Bearer ${accessToken}` });
      if (res.status === 404 && res.json?.detail === "Not Found") return null;
      if (res.status >= 300) throw new Error(`sync: ${res.status} ${JSON.stringify(res.json)}`);
      return res.json;
    },
  };
}

export function heartRateRecords(n) {
  const start = Date.now() - n * 60_000;
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(start + i * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
    return {
      id: `hr-${start}-${i}`, type: "HKQuantityTypeIdentifierHeartRate", startDate: at, endDate: at, zoneOffset: null,
      source: { appId: "com.apple.health", deviceId: null, deviceName: "Apple Watch", deviceManufacturer: "Apple", deviceModel: "Watch6,1", deviceType: "watch", recordingMethod: "automatic" },
      value: 60 + (i % 30), unit: "bpm", parentId: null, metadata: null,
    };
  });
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const hasDeviceSimulator = () => existsSync(join(ROOT, "mobile-shim", "src", "cli", "device.ts"));

/**
 * The mobile shim's device simulator, given the deep link exactly as the page offers it: it redeems the code,
 * grants permissions and backfills `days` days, once. Returns its JSON summary (counts, no tokens).
 */
export async function runDevice(link, { platform = "ios", days = 1 } = {}) {
  const { stdout } = await promisify(execFile)("npm", [
    "run", "-s", "device", "-w", "mobile-shim", "--", link, "--days", String(days), "--once", "--quiet", "--platform", platform, "--data-dir", mkdtempSync(join(tmpdir(), "ow-web-device-")),
  ], { cwd: ROOT, timeout: 180_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}
