/**
 * How a one-time code travels from the onboarding page to the phone. Only a host and the code are handed over:
 *   <origin>/connect?code=<CODE>                              the onboarding page (PWA) for the person
 *   <scheme>://connect?host=<url-encoded host>&code=<CODE>   the app's custom scheme
 *   <https base>/connect?host=<url-encoded host>&code=<CODE>  universal link / App Link
 */
export const CONNECT_PATH = "/connect";

export interface ConnectLink { host: string; code: string }

/** The onboarding page for a code, served by the Worker's origin. */
export const onboardingUrl = (origin: string, code: string) => `${origin.replace(/\/+$/, "")}${CONNECT_PATH}?code=${code}`;

export const connectQuery = (host: string, code: string) => `host=${encodeURIComponent(host)}&code=${encodeURIComponent(code)}`;

/** `<scheme>://connect?host=…&code=…` */
export const customSchemeLink = (scheme: string, host: string, code: string) => `${scheme}://connect?${connectQuery(host, code)}`;

/** `<base>/connect?host=…&code=…` */
export const universalLink = (base: string, host: string, code: string) =>
  `${base.replace(/\/+$/, "")}${CONNECT_PATH}?${connectQuery(host, code)}`;

/** Reads any of the three forms; null when it is not a connect link with a host and a code. */
export function parseConnectLink(url: string): ConnectLink | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?/i.exec(url.trim());
  if (!m) return null;
  const [, scheme, authority, path = "", query = ""] = m;
  const params = new Map<string, string>();
  for (const pair of query.replace(/^\?/, "").split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? "" : pair.slice(eq + 1);
    try {
      params.set(decodeURIComponent(k), decodeURIComponent(v.replace(/\+/g, " ")));
    } catch {
      return null;
    }
  }
  const code = params.get("code")?.trim().toUpperCase();
  if (!code) return null;
  const isWeb = /^https?$/i.test(scheme!);
  let host: string | undefined;
  if (isWeb) {
    if (!/\/connect\/?$/.test(path)) return null;
    host = params.get("host") ?? `${scheme!.toLowerCase()}://${authority}`;
  } else {
    // Custom schemes: "connect" is the authority (scheme://connect?...) or the path (scheme:///connect?...).
    if (authority !== "connect" && !/^\/connect\/?$/.test(path)) return null;
    host = params.get("host");
  }
  if (!host || !/^https?:\/\/[^/?#\s]+/i.test(host)) return null;
  return { host, code };
}
