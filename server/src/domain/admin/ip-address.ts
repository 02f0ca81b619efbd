import net from 'node:net';

/**
 * IP addresses and CIDR ranges, IPv4 and IPv6, without I/O. An address is compared as its
 * 128-bit IPv6 form (IPv4 as ::ffff:a.b.c.d), written as 32 hex digits (`ipKey`): the keys sort
 * as the addresses do, so a CIDR range is a text range on both databases (`cidrKeyRange`).
 */

export interface Cidr {
  family: 'ipv4' | 'ipv6';
  /** The network address, host bits cleared, in canonical form. */
  network: string;
  prefix: number;
  /** `network/prefix`, as stored and shown. */
  text: string;
}

/** An address as Fastify may report it: `::ffff:1.2.3.4` is the IPv4 address, a zone is dropped. */
export function normalizeIp(raw: string | undefined): string | undefined {
  // A request without a peer address (an injected WebSocket) has none to match.
  if (typeof raw !== 'string') return undefined;
  let ip = raw.trim();
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1];
  const family = net.isIP(ip);
  if (family === 4) return ip;
  if (family === 6) return canonicalIpv6(ip);
  return undefined;
}

/** `1.2.3.4`, `1.2.3.0/24`, `2001:db8::/32`; a bare address is a /32 or /128. Undefined when not valid. */
export function parseCidr(input: string): Cidr | undefined {
  const trimmed = input.trim();
  if (trimmed.length > 64) return undefined;
  const slash = trimmed.indexOf('/');
  const address = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const family = net.isIP(address);
  if (family === 0) return undefined;
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > bits) return undefined;
  }
  const value = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  const networkValue = value & mask;
  const network = family === 4 ? bigIntToIpv4(networkValue) : bigIntToIpv6(networkValue);
  return { family: family === 4 ? 'ipv4' : 'ipv6', network, prefix, text: `${network}/${prefix}` };
}

/** The 32-hex-digit sort key of an address (IPv4 mapped into IPv6). */
export function ipKey(ip: string): string | undefined {
  const normal = normalizeIp(ip);
  if (!normal) return undefined;
  const value = net.isIP(normal) === 4 ? (0xffffn << 32n) | ipv4ToBigInt(normal) : ipv6ToBigInt(normal);
  return value.toString(16).padStart(32, '0');
}

/** The first and last keys a CIDR range holds, for `ip_key BETWEEN lo AND hi`. */
export function cidrKeyRange(cidr: Cidr): { lo: string; hi: string } {
  const lo = ipKey(cidr.network)!;
  const hostBits = BigInt((cidr.family === 'ipv4' ? 32 : 128) - cidr.prefix);
  const hi = (BigInt(`0x${lo}`) | ((1n << hostBits) - 1n)).toString(16).padStart(32, '0');
  return { lo, hi };
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function ipv6ToBigInt(ip: string): bigint {
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups first.
  let text = ip.toLowerCase();
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]);
    text = `${text.slice(0, v4.index)}${((n >> 16n) & 0xffffn).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group || '0', 16)), 0n);
}

function bigIntToIpv6(value: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return canonicalIpv6(groups.join(':'));
}

/** RFC 5952 form (lower case, longest zero run compressed), as the WHATWG URL parser writes it. */
function canonicalIpv6(ip: string): string {
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}
