// Which throttle bucket a client address falls in. One IPv6 subscriber is routinely given a whole /64 (2^64
// addresses), so counting each IPv6 address on its own lets one attacker rotate through fresh buckets forever: IPv6
// addresses are bucketed by their /64 prefix. IPv4 addresses (and IPv4-mapped IPv6 ones) stay one bucket each.
import { isIPv4, isIPv6 } from "node:net";

const IPV6_GROUPS = 8;
const PREFIX_GROUPS = 4; // 4 × 16 bits = /64

function expandIpv6(address: string): string[] | null {
  const [head = "", tail] = address.split("::");
  if (address.split("::").length > 2) return null;
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = IPV6_GROUPS - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  return [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
}

export function addressBucket(ip: string): string {
  const address = ip
    .trim()
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(address) || address.includes(".")) return address;
  const groups = expandIpv6(address.toLowerCase());
  if (!groups) return address;
  const prefix = groups.slice(0, PREFIX_GROUPS).map((group) => group.replace(/^0+(?=.)/, ""));
  return `${prefix.join(":")}::/64`;
}
