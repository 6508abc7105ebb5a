// Helpers for the console's browser tests: a passkey per browser through Chromium's DevTools virtual
// authenticator, axe-core run in the page, and organizations/users seeded the way an operator would.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** WebAuthn needs a registrable host name: the console is opened at http://localhost:<port>, never 127.0.0.1. */
export const localhostOf = (origin) => origin.replace("127.0.0.1", "localhost");

/** A platform authenticator with user verification (Touch ID / Windows Hello alike) for this page's browser. */
export async function addPasskeyDevice(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}

/** axe-core in the page: no serious or critical violations (WCAG 2 A/AA and best practices). */
export async function assertAccessible(page, label) {
  // Evaluated through DevTools, not as an inline <script>: the console's CSP (script-src 'self') rightly refuses those.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`), [], `axe on ${label}`);
  assert.equal(await page.locator("h1").count(), 1, `one h1 on ${label}`);
  assert.equal(await page.locator("main").count(), 1, `one main landmark on ${label}`);
  return result.violations.length;
}
