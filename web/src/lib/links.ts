/**
 * Links into the customer's app. They carry only the API host and the one-time code: the app redeems the code
 * itself, so no token ever travels in a URL.
 */

export interface LinkSettings {
  deep_link_scheme: string;
  universal_link_base_url: string | null;
  app_store_url: string | null;
  play_store_url: string | null;
}

import { connectQuery as query, customSchemeLink, universalLink as universal } from "@ow/contract";

/** `<scheme>://connect?host=<url-encoded API host>&code=<CODE>` */
export const deepLink = (s: LinkSettings, host: string, code: string) => customSchemeLink(s.deep_link_scheme, host, code);

/** The https universal link / App Link form: `<base>/connect?host=…&code=…`. */
export function universalLink(s: LinkSettings, host: string, code: string): string | null {
  if (!s.universal_link_base_url) return null;
  return universal(s.universal_link_base_url, host, code);
}

/** The Android package, when the Play Store link names it (`…/details?id=com.acme.app`). */
export function androidPackage(playStoreUrl: string | null): string | null {
  if (!playStoreUrl) return null;
  try {
    const id = new URL(playStoreUrl).searchParams.get("id");
    return id && /^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * On Android an intent: URL opens the app when installed and the Play Store when not, instead of failing
 * silently. Only possible when we know the package.
 */
export function androidIntent(s: LinkSettings, host: string, code: string): string | null {
  const pkg = androidPackage(s.play_store_url);
  if (!pkg) return null;
  const fallback = s.play_store_url ? `;S.browser_fallback_url=${encodeURIComponent(s.play_store_url)}` : "";
  return `intent://connect?${query(host, code)}#Intent;scheme=${s.deep_link_scheme};package=${pkg}${fallback};end`;
}
