/**
 * Applies a customer's accent colour without breaking contrast: text on the accent gets black or white, and
 * the accent used as text on white is darkened until it reaches 4.5:1 (WCAG AA).
 */

export const DEFAULT_ACCENT = "#0b5cad";

const channel = (v: number) => {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const rgb = (hex: string): [number, number, number] => {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const luminance = ([r, g, b]: [number, number, number]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
export const contrast = (a: string, b: string) => {
  const [l1, l2] = [luminance(rgb(a)), luminance(rgb(b))].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
};
const toHex = (c: [number, number, number]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

/** Darkens `hex` step by step until it reads on white. */
export function readableOnWhite(hex: string): string {
  let c = rgb(hex);
  for (let i = 0; i < 20 && contrast(toHex(c), "#ffffff") < 4.5; i++) c = c.map((v) => v * 0.9) as [number, number, number];
  return toHex(c);
}

export function applyAccent(accent: string | null, root: HTMLElement = document.documentElement) {
  const base = accent && /^#[0-9a-f]{6}$/i.test(accent) ? accent.toLowerCase() : DEFAULT_ACCENT;
  // Buttons use the darkened accent too, so white-or-black text on them always reaches 4.5:1.
  const strong = readableOnWhite(base);
  root.style.setProperty("--accent", strong);
  root.style.setProperty("--on-accent", contrast(strong, "#ffffff") >= contrast(strong, "#000000") ? "#ffffff" : "#000000");
  root.style.setProperty("--accent-soft", `${base}1f`);
  document.querySelector('meta[name="theme-color"]')?.setAttribute("content", strong);
}
