/**
 * Links into the customer's app. They carry only the API host and the one-time code: the app redeems the code
 * itself, so no token ever travels in a URL. The code rides in the fragment, which is never sent to a server:
 * a universal link opened without the app installed reaches the customer's web server, whose logs keep paths
 * and query strings. (The mobile shim's parser accepts this form and the older `&code=` one.)
 */

export interface LinkSettings {
  deep_link_scheme: string;
  universal_link_base_url: string | null;
  app_store_url: string | null;
  play_store_url: string | null;
}

const hostQuery = (host: string) => `host=${encodeURIComponent(host)}`;

/** `<scheme>://connect?host=<url-encoded API host>#<CODE>` */
export const deepLink = (s: LinkSettings, host: string, code: string) => `${s.deep_link_scheme}://connect?${hostQuery(host)}#${encodeURIComponent(code)}`;

/** The https universal link / App Link form: `<base>/connect?host=…#<CODE>`. */
export function universalLink(s: LinkSettings, host: string, code: string): string | null {
  if (!s.universal_link_base_url) return null;
  return `${s.universal_link_base_url.replace(/\/+$/, "")}/connect?${hostQuery(host)}#${encodeURIComponent(code)}`;
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
 * silently. Only possible when we know the package. Chrome reserves the fragment for the intent's parameters,
 * so here the code is in the query (`scheme://connect?host=…&code=…`, the older form the shim still accepts);
 * an intent URL is resolved on the phone and never requested from a server.
 */
export function androidIntent(s: LinkSettings, host: string, code: string): string | null {
  const pkg = androidPackage(s.play_store_url);
  if (!pkg) return null;
  const fallback = s.play_store_url ? `;S.browser_fallback_url=${encodeURIComponent(s.play_store_url)}` : "";
  return `intent://connect?${hostQuery(host)}&code=${encodeURIComponent(code)}#Intent;scheme=${s.deep_link_scheme};package=${pkg}${fallback};end`;
}
