import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Ranges a webhook must never reach (SSRF): this host, the cluster's networks, link-local (cloud
 * metadata at 169.254.169.254), shared and reserved space, multicast, and the IPv6 forms that embed
 * an IPv4 address (mapped, compatible, NAT64), which would smuggle any of those past an IPv4 check.
 */
const BLOCKED_V4 = new BlockList();
for (const [network, prefix] of [
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
  ['224.0.0.0', 3],
] as const) {
  BLOCKED_V4.addSubnet(network, prefix, 'ipv4');
}
// A list of its own: BlockList matches IPv4 addresses against IPv6 rules as mapped (::ffff:a.b.c.d).
const BLOCKED_V6 = new BlockList();
for (const [network, prefix] of [
  ['::', 96],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED_V6.addSubnet(network, prefix, 'ipv6');
}

export class DestinationRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DestinationRefused';
  }
}

export interface Destination {
  /** The address the connection goes to: the one checked, so a second DNS answer cannot swap it. */
  address: string;
  family: 4 | 6;
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return family === 4 ? !BLOCKED_V4.check(address, 'ipv4') : !BLOCKED_V6.check(address, 'ipv6');
}

/**
 * Resolves a webhook URL to the address to connect to, refusing it when any address its host
 * resolves to is not public (one public answer among private ones is the rebinding trick), unless
 * the host is allow-listed (development and tests). The WHATWG parser has already turned decimal,
 * octal and hex IPv4 forms (`http://2130706433/`, `http://0177.0.0.1/`) into dotted quads.
 */
export async function resolveDestination(url: URL, allowedHosts: readonly string[]): Promise<Destination> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DestinationRefused('only http and https are allowed');
  if (url.username || url.password) throw new DestinationRefused('credentials in the URL are not allowed');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const allowed = allowedHosts.includes(host);
  const literal = isIP(host);
  const addresses = literal === 0 ? await resolveAll(host) : [{ address: host, family: literal as 4 | 6 }];
  if (!allowed && addresses.some(({ address }) => !isPublicAddress(address))) {
    throw new DestinationRefused(`${host} resolves to an address that is not public (loopback, private, link-local or reserved)`);
  }
  const [first] = addresses;
  if (!first) throw new DestinationRefused(`${host} does not resolve`);
  return first;
}

async function resolveAll(host: string): Promise<Destination[]> {
  try {
    const answers = await lookup(host, { all: true, verbatim: true });
    return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
  } catch {
    throw new DestinationRefused(`${host} does not resolve`);
  }
}
