import { writeFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../web/test/helpers.mjs";

/**
 * One Lighthouse run (performance, accessibility, best practices) in a fresh Debian Chromium: writes the HTML
 * report to `reportPath` and returns the scores, the Web Vitals and the audits that fail (score < 0.9).
 * `config` is Lighthouse's (omit for the default mobile profile); `extraHeaders` e.g. a session cookie.
 */
export async function lighthouseRun(url, { reportPath, config, extraHeaders } = {}) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS });
  try {
    const result = await lighthouse(url, {
      port: chrome.port, output: "html", logLevel: "error", ...(extraHeaders ? { extraHeaders } : {}),
      onlyCategories: ["performance", "accessibility", "best-practices"],
    }, config);
    const { categories, audits } = result.lhr;
    if (reportPath) writeFileSync(reportPath, result.report);
    return {
      performance: Math.round(categories.performance.score * 100),
      accessibility: Math.round(categories.accessibility.score * 100),
      best_practices: Math.round(categories["best-practices"].score * 100),
      fcp_ms: Math.round(audits["first-contentful-paint"].numericValue),
      lcp_ms: Math.round(audits["largest-contentful-paint"].numericValue),
      tbt_ms: Math.round(audits["total-blocking-time"].numericValue),
      cls: Math.round(audits["cumulative-layout-shift"].numericValue * 1000) / 1000,
      failing: Object.values(audits)
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable")
        .map((a) => a.id),
    };
  } finally {
    await chrome.kill();
  }
}
