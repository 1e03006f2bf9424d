/**
 * Where an account URL typed in the connect form points (multi-workspace mode): any installing workspace's admin
 * can type one, and the app then sends requests there, so an address inside a private network (the app's own
 * host, its cloud's metadata service, the company LAN) is refused before any request: otherwise the form's
 * answers ("did not answer", "refused the token") would map that network for them.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 3], // multicast and reserved
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127], // unspecified and loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is checked as the IPv4 address it carries. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return m?.[1] ?? address;
}

export function isPrivateAddress(address: string): boolean {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return true; // not an address: never trusted
  return PRIVATE.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

function isLoopbackAddress(address: string): boolean {
  const plain = unmapped(address);
  const family = isIP(plain);
  return family !== 0 && LOOPBACK.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

export type HostLookup = (hostname: string) => Promise<Array<{ address: string }>>;

const systemLookup: HostLookup = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Null when every address of the URL's host is public (or loopback, when `allowLoopback`: the local emulator
 * and tests); otherwise a sentence for the form's URL field, quoting nothing the person typed.
 */
export async function privateHostProblem(
  accountUrl: string,
  opts: { allowLoopback?: boolean; lookup?: HostLookup } = {},
): Promise<string | null> {
  const hostname = new URL(accountUrl).hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(hostname)
      ? [hostname]
      : (await (opts.lookup ?? systemLookup)(hostname)).map((a) => a.address);
  } catch {
    return 'No such host: check the spelling of your account URL.';
  }
  if (addresses.length === 0) return 'No such host: check the spelling of your account URL.';
  const refused = addresses.filter(
    (a) => isPrivateAddress(a) && !(opts.allowLoopback && isLoopbackAddress(a)),
  );
  if (refused.length === 0) return null;
  return 'That address is inside a private network. Enter the public address of your MegaMeeting account.';
}
