/** IPv4 values as Exchange takes them: a single address, a CIDR range or an `a-b` range. */

export interface Ipv4Range {
  lo: number;
  hi: number;
}

/** Looks like an IPv4 value (digits and dots, maybe a range), valid or not: never a host name. */
export const looksLikeIpv4 = (s: string): boolean => /^\d+(?:\.\d+){3}(?:\/\d+|-\d+(?:\.\d+){3})?$/.test(s);

export function ipv4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** The addresses a value covers, or undefined when it is no valid IPv4 address or range. */
export function ipv4Range(s: string): Ipv4Range | undefined {
  const dash = s.indexOf("-");
  if (dash >= 0) {
    const lo = ipv4(s.slice(0, dash));
    const hi = ipv4(s.slice(dash + 1));
    return lo !== undefined && hi !== undefined && lo <= hi ? { lo, hi } : undefined;
  }
  const [address, prefix, ...rest] = s.split("/");
  const base = ipv4(address ?? "");
  if (base === undefined || rest.length > 0) return undefined;
  if (prefix === undefined) return { lo: base, hi: base };
  if (!/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) return undefined;
  const size = 2 ** (32 - Number(prefix));
  const lo = Math.floor(base / size) * size;
  return { lo, hi: lo + size - 1 };
}

const cidr = (s: string): Ipv4Range => ipv4Range(s)!;

/**
 * Ranges no smart host can be in: "this network", loopback, link-local, multicast and the
 * reserved 240/4 with broadcast (RFC 6890). Which ranges Exchange calls reserved is not
 * documented; assumed from its text "IP range '{0}' contains reserved IP addresses." [X].
 * Private ranges are not among them: New-OutboundConnector.md's own SmartHosts examples are
 * 10.10.1.1 and 192.168.0.1/25.
 */
export const RESERVED_RANGES: Ipv4Range[] = ["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4"].map(cidr);

export const overlapsReserved = (r: Ipv4Range): boolean => RESERVED_RANGES.some((x) => r.lo <= x.hi && x.lo <= r.hi);
