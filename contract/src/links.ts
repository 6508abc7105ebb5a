/**
 * How a one-time code travels from the onboarding page to the phone. Only a host and the code are handed over, and
 * the code rides in the URL fragment, which is never sent to a server (a universal link opened without the app
 * installed reaches a web server, whose logs keep paths and query strings):
 *   <origin>/connect#<CODE>                              the onboarding page (PWA) for the person
 *   <scheme>://connect?host=<url-encoded host>#<CODE>    the app's custom scheme
 *   <https base>/connect?host=<url-encoded host>#<CODE>  universal link / App Link
 * `#code=<CODE>` is accepted too, and so is the older form with `&code=<CODE>` in the query (links already sent,
 * and Android intent: URLs, whose fragment Chrome reserves).
 */
export const CONNECT_PATH = "/connect";

export interface ConnectLink { host: string; code: string }

/** The onboarding page for a code, served by the Worker's origin. */
export const onboardingUrl = (origin: string, code: string) => `${origin.replace(/\/+$/, "")}${CONNECT_PATH}#${code}`;

const hostQuery = (host: string) => `host=${encodeURIComponent(host)}`;

/** `<scheme>://connect?host=…#<CODE>` */
export const customSchemeLink = (scheme: string, host: string, code: string) =>
  `${scheme}://connect?${hostQuery(host)}#${encodeURIComponent(code)}`;

/** `<base>/connect?host=…#<CODE>` */
export const universalLink = (base: string, host: string, code: string) =>
  `${base.replace(/\/+$/, "")}${CONNECT_PATH}?${hostQuery(host)}#${encodeURIComponent(code)}`;

function parseParams(text: string): Map<string, string> | null {
  const params = new Map<string, string>();
  for (const pair of text.split("&")) {
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
  return params;
}

/** The code from the fragment: `#CODE` or `#code=CODE`. */
function fragmentCode(fragment: string): string | undefined {
  if (!fragment) return undefined;
  if (!fragment.includes("=")) {
    try {
      return decodeURIComponent(fragment);
    } catch {
      return undefined;
    }
  }
  return parseParams(fragment)?.get("code");
}

/** Reads any of the forms above; null when it is not a connect link with a host and a code. */
export function parseConnectLink(url: string): ConnectLink | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?(?:#(.*))?$/i.exec(url.trim());
  if (!m) return null;
  const [, scheme, authority, path = "", query = "", fragment = ""] = m;
  const params = parseParams(query);
  if (!params) return null;
  const code = (fragmentCode(fragment) ?? params.get("code"))?.trim().toUpperCase();
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
