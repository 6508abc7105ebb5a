import ipaddr from "ipaddr.js";

/**
 * The network a client address belongs to, as rate limits should see it: an IPv6 client controls at least a /64
 * (one subscriber's prefix, 2^64 addresses), so limits keyed on the full address are free to evade; an IPv4
 * client is one address. IPv4-mapped IPv6 counts as the IPv4 address.
 */
export function networkKey(address: string | undefined | null): string {
  if (!address || !ipaddr.isValid(address)) return "unknown";
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (ip.kind() === "ipv4") return `v4:${ip.toString()}`;
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `v6:${parts.join(":")}::/64`;
}
