// Renders the PWA's PNG icons from the SVG sources with Debian's Chromium. Run once when the SVGs change;
// the PNGs are committed so a build needs no browser.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const out = (f) => new URL(`../public/${f}`, import.meta.url);
const jobs = [
  ["icon.svg", "icon-192.png", 192],
  ["icon.svg", "icon-512.png", 512],
  ["icon-maskable.svg", "icon-maskable-512.png", 512],
  ["icon-maskable.svg", "apple-touch-icon.png", 180],
];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
for (const [svg, png, size] of jobs) {
  const markup = readFileSync(out(svg), "utf8");
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${markup}`);
  await page.screenshot({ path: out(png).pathname, omitBackground: true });
}
await browser.close();
