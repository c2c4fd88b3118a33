import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../errors';

/** Resolves a host name to every address it points at. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface OutboundUrlPolicy {
  /**
   * Host names or IP literals that may be reached even though they are
   * private (e.g. `127.0.0.1` in tests, an internal MCP server on purpose).
   */
  allowedHosts?: readonly string[];
  /** Schemes other than http/https are refused unless listed here. */
  allowedSchemes?: readonly string[];
  resolveHost?: ResolveHost;
}

const defaultResolveHost: ResolveHost = async (hostname) => {
  const records = await lookup(hostname, { all: true, verbatim: true });
  return records.map((record) => record.address);
};

const blockedHostNames = new Set(['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data']);

/**
 * Refuses URLs that would let a workspace reach the server's own network:
 * private, loopback, link-local, CGNAT, multicast and cloud-metadata addresses,
 * checked on every address the name resolves to. Returns the parsed URL.
 * This is the early check (on create and update, with a clear message); the
 * connection itself goes through `createGuardedFetch`, which checks the
 * addresses it actually connects to, so a rebinding DNS answer cannot slip
 * between the two (docs/decisions/0015).
 */
export async function assertSafeOutboundUrl(rawUrl: string, policy: OutboundUrlPolicy = {}): Promise<URL> {
  const url = assertSafeUrlShape(rawUrl, policy);
  const hostname = stripBrackets(url.hostname.toLowerCase());
  if (isAllowedHost(hostname, policy) || isIP(hostname)) return url;
  assertResolvedAddressesSafe(hostname, await resolveAll(hostname, policy.resolveHost ?? defaultResolveHost));
  return url;
}

/**
 * Every check that needs no DNS: scheme, userinfo, blocked names and IP
 * literals. Names are left to the connect-time check of the guarded fetch.
 */
export function assertSafeUrlShape(rawUrl: string, policy: OutboundUrlPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new AppError('BAD_REQUEST', `Not a valid URL: ${rawUrl}`);
  }
  const allowedSchemes = policy.allowedSchemes ?? ['http:', 'https:'];
  if (!allowedSchemes.includes(url.protocol)) {
    throw new AppError('BAD_REQUEST', `URL scheme ${url.protocol} is not allowed for outbound calls`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError('BAD_REQUEST', 'Outbound URLs must not carry credentials; use headers instead');
  }
  const hostname = stripBrackets(url.hostname.toLowerCase());
  if (isAllowedHost(hostname, policy)) return url;
  if (blockedHostNames.has(hostname) || hostname.endsWith('.localhost') || hostname.endsWith('.internal')) {
    throw new AppError('FORBIDDEN', `Outbound host ${hostname} is not allowed`);
  }
  if (isIP(hostname)) assertResolvedAddressesSafe(hostname, [hostname]);
  return url;
}

/** True when the policy's allowlist names this host (lower-case, without brackets). */
export function isAllowedHost(hostname: string, policy: OutboundUrlPolicy): boolean {
  const wanted = stripBrackets(hostname.toLowerCase());
  return policy.allowedHosts?.some((host) => stripBrackets(host.toLowerCase()) === wanted) ?? false;
}

/** Throws FORBIDDEN naming the host when any of its addresses is private or reserved. */
export function assertResolvedAddressesSafe(hostname: string, addresses: readonly string[]): void {
  for (const address of addresses) {
    if (isBlockedAddress(address)) {
      throw new AppError('FORBIDDEN', `Outbound host ${hostname} resolves to a private or reserved address (${address})`);
    }
  }
}

/** Resolves with the policy's resolver (the system's by default); no answer is BAD_REQUEST. */
export function resolveOutboundHost(hostname: string, policy: OutboundUrlPolicy): Promise<string[]> {
  return resolveAll(hostname, policy.resolveHost ?? defaultResolveHost);
}

async function resolveAll(hostname: string, resolveHost: ResolveHost): Promise<string[]> {
  try {
    const addresses = await resolveHost(hostname);
    if (addresses.length === 0) throw new Error('no addresses');
    return addresses;
  } catch (error) {
    throw new AppError('BAD_REQUEST', `Outbound host ${hostname} does not resolve`, { cause: error });
  }
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** True for every address an outbound call must not reach by default. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return isBlockedIpv4(address);
  if (family === 6) return isBlockedIpv6(address);
  return true;
}

const blockedIpv4Ranges: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((total, part) => total * 256 + Number(part), 0);
}

function isBlockedIpv4(address: string): boolean {
  const value = ipv4ToNumber(address);
  return blockedIpv4Ranges.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = ipv4ToNumber(base);
    return value >= start && value < start + size;
  });
}

function expandIpv6(address: string): number[] {
  let text = address.split('%')[0] ?? address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
    const value = ipv4ToNumber(tail);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(value / 65536).toString(16)}:${(value % 65536).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const restParts = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headParts.length - restParts.length;
  const parts = rest === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...restParts];
  return parts.map((part) => parseInt(part, 16));
}

function isBlockedIpv6(address: string): boolean {
  const parts = expandIpv6(address);
  const [first = 0] = parts;
  const isZeroPrefix = (count: number) => parts.slice(0, count).every((part) => part === 0);
  if (isZeroPrefix(7) && (parts[7] === 0 || parts[7] === 1)) return true; // :: and ::1
  const embedsIpv4 =
    (isZeroPrefix(5) && parts[5] === 0xffff) || // IPv4-mapped
    (first === 0x64 && parts[1] === 0xff9b && parts.slice(2, 6).every((part) => part === 0)); // NAT64
  if (embedsIpv4) {
    const high = parts[6] ?? 0;
    const low = parts[7] ?? 0;
    return isBlockedIpv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  if ((first & 0xfe00) === 0xfc00) return true; // unique local fc00::/7 (includes AWS fd00:ec2::254)
  if ((first & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((first & 0xffc0) === 0xfec0) return true; // site-local fec0::/10
  if ((first & 0xff00) === 0xff00) return true; // multicast
  if (first === 0x2001 && parts[1] === 0x0db8) return true; // documentation
  return false;
}
