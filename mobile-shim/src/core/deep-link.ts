/**
 * The PWA hands over only a host and a one-time code:
 *   <scheme>://connect?host=<url-encoded host>&code=<CODE>   (custom scheme)
 *   https://<host>/connect?code=<CODE>                        (universal / app link)
 */
export interface ConnectLink { host: string; code: string }

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
    try { params.set(decodeURIComponent(k), decodeURIComponent(v.replace(/\+/g, " "))); } catch { return null; }
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
