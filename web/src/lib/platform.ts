/** Which instructions to show. A guess from the browser; people can switch if it is wrong. */
export type Platform = "ios" | "android" | "desktop";

export function detectPlatform(nav: Pick<Navigator, "userAgent" | "maxTouchPoints"> = navigator): Platform {
  const ua = nav.userAgent;
  if (/Android/i.test(ua)) return "android";
  if (/iPhone|iPad|iPod/i.test(ua)) return "ios";
  // iPadOS reports itself as a Mac; touch gives it away.
  if (/Macintosh/i.test(ua) && nav.maxTouchPoints > 1) return "ios";
  return "desktop";
}
