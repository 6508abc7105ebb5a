import ipaddr from "ipaddr.js";

/**
 * Where webhook deliveries may go. A webhook URL is chosen by an API caller and fetched by our Worker, so without
 * a policy it is a server-side request forgery: loopback services, the cloud metadata address (169.254.169.254),
 * private networks. Production allows only `https` to a public host; local development (`npm start`, tests)
 * may opt in to `http` and private addresses with WEBHOOK_ALLOW_PRIVATE_URLS=true.
 *
 * Names are judged by their text when an endpoint is saved, and resolved again at every delivery
 * (`resolvedAddressProblem`, DNS-over-HTTPS: Workers have no resolver API of their own), so a public name whose DNS
 * points at a private address (or is re-pointed there later) gets no request. Left: the moment between our lookup
 * and the runtime's own (DNS rebinding inside the record's TTL); Cloudflare's egress from a deployed Worker does
 * not reach private networks or the metadata service, which covers that window in production.
 */

export interface UrlPolicy { allowPrivate: boolean; resolver: string }

/** Cloudflare's public DNS-over-HTTPS JSON endpoint, unless WEBHOOK_DNS_RESOLVER names another. */
export const DEFAULT_DNS_RESOLVER = "https://cloudflare-dns.com/dns-query";

export const urlPolicy = (env: { WEBHOOK_ALLOW_PRIVATE_URLS?: string; WEBHOOK_DNS_RESOLVER?: string }): UrlPolicy =>
  ({ allowPrivate: env.WEBHOOK_ALLOW_PRIVATE_URLS === "true", resolver: env.WEBHOOK_DNS_RESOLVER || DEFAULT_DNS_RESOLVER });

/** Names that resolve to the local machine or a private network by convention (RFC 6761, 6762, 8375, ICANN .internal). */
const PRIVATE_SUFFIXES = ["localhost", "local", "internal", "intranet", "lan", "home", "corp", "home.arpa", "localdomain"];

/** Why `url` may not receive webhooks under `policy`, or null when it may. */
export function webhookUrlProblem(url: string, policy: Pick<UrlPolicy, "allowPrivate">): string | null {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return "URL is not a valid absolute URL"; }
  if (parsed.protocol !== "https:" && !(policy.allowPrivate && parsed.protocol === "http:")) {
    return "URL must use https";
  }
  if (parsed.username || parsed.password) return "URL must not contain credentials";
  if (policy.allowPrivate) return null;
  return hostProblem(parsed.hostname);
}

/** `hostname` as the URL parser normalised it: IPv4 in dotted form (even from `0x7f.1` or `2130706433`), IPv6 in brackets. */
function hostProblem(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const literal = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (ipaddr.isValid(literal)) {
    let ip = ipaddr.parse(literal);
    // ::ffff:10.0.0.1 reaches 10.0.0.1.
    if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    let range: string = ip.range();
    // ipaddr calls anything outside its special ranges "unicast"; for IPv6 only 2000::/3 is routed globally
    // (this also refuses the deprecated IPv4-compatible ::a.b.c.d form).
    if (ip.kind() === "ipv6" && range === "unicast" && !ip.match(ipaddr.parse("2000::"), 3)) range = "not global unicast";
    // Only ordinary public unicast: private, loopback, link-local, CGNAT, unique-local, multicast, reserved,
    // documentation, and the v6 ranges that embed a v4 address (6to4, NAT64, Teredo) are all refused.
    return range === "unicast" ? null : `URL must point to a public address (${literal} is ${range})`;
  }
  if (!host.includes(".")) return `URL must use a public host name (${host} is a local name)`;
  if (PRIVATE_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) {
    return `URL must use a public host name (${host} is a private name)`;
  }
  return null;
}

/**
 * Resolves the URL's host (A and AAAA, DNS-over-HTTPS JSON) and judges every address it answers: why the delivery
 * must not go there, or null. IP literals were judged already. A resolver that cannot answer throws, and the
 * delivery is retried later rather than sent unchecked.
 */
export async function resolvedAddressProblem(url: string, policy: UrlPolicy): Promise<string | null> {
  if (policy.allowPrivate) return null;
  const host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  if (ipaddr.isValid(host) || host.startsWith("[")) return null;
  for (const type of ["A", "AAAA"] as const) {
    const res = await fetch(`${policy.resolver}?name=${encodeURIComponent(host)}&type=${type}`, { headers: { accept: "application/dns-json" } });
    if (!res.ok) throw new Error(`DNS resolver answered ${res.status}`);
    const answer = ((await res.json()) as { Answer?: { type: number; data: string }[] }).Answer ?? [];
    for (const record of answer) {
      if (record.type !== 1 && record.type !== 28) continue; // CNAMEs are followed by the resolver itself
      const problem = hostProblem(record.data);
      if (problem) return `URL host ${host} resolves to a non-public address (${problem.replace(/^URL must point to a public address \(/, "").replace(/\)$/, "")})`;
    }
  }
  return null;
}
