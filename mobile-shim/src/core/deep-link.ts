/**
 * The PWA hands over only a host and a one-time code. The code rides in the URL fragment, which is never sent
 * to a server (a universal link opened without the app installed reaches a web server, whose logs keep paths
 * and query strings):
 *   <scheme>://connect?host=<url-encoded host>#<CODE>   (custom scheme)
 *   https://<host>/connect#<CODE>                        (universal / app link; `?host=` may name the API host)
 * `#code=<CODE>` is accepted too, and so is the older form with `&code=<CODE>` in the query (links already sent,
 * and Android intent: URLs, whose fragment Chrome reserves).
 */
export interface ConnectLink { host: string; code: string }

function parseParams(text: string): Map<string, string> | null {
  const params = new Map<string, string>();
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? "" : pair.slice(eq + 1);
    try { params.set(decodeURIComponent(k), decodeURIComponent(v.replace(/\+/g, " "))); } catch { return null; }
  }
  return params;
}

/** The code from the fragment: `#CODE` or `#code=CODE`. */
function fragmentCode(fragment: string): string | undefined {
  if (!fragment) return undefined;
  if (!fragment.includes("=")) {
    try { return decodeURIComponent(fragment); } catch { return undefined; }
  }
  return parseParams(fragment)?.get("code");
}

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
