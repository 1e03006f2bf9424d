/**
 * The connect form's private-network guard (src/megameeting/public-host.ts) as a pure check: each refused
 * range by an address at each of its edges and one just outside, IPv4-mapped forms, and the host look-up
 * (injected, no DNS) with and without loopback allowed.
 */
import { type HostLookup, isPrivateAddress, privateHostProblem } from '../../src/megameeting/public-host.js';

const PRIVATE_NETWORK =
  'That address is inside a private network. Enter the public address of your MegaMeeting account.';
const NO_SUCH_HOST = 'No such host: check the spelling of your account URL.';

describe('isPrivateAddress', () => {
  // [range, first address, last address, an address just outside (public)]
  test.each([
    ['0.0.0.0/8 this network', '0.0.0.0', '0.255.255.255', '1.0.0.0'],
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255', '11.0.0.0'],
    ['100.64.0.0/10 CGNAT', '100.64.0.0', '100.127.255.255', '100.128.0.0'],
    ['127.0.0.0/8 loopback', '127.0.0.0', '127.255.255.255', '126.255.255.255'],
    ['169.254.0.0/16 link-local', '169.254.0.0', '169.254.255.255', '169.255.0.0'],
    ['172.16.0.0/12', '172.16.0.0', '172.31.255.255', '172.32.0.0'],
    ['192.0.0.0/24', '192.0.0.0', '192.0.0.255', '192.0.1.0'],
    ['192.168.0.0/16', '192.168.0.0', '192.168.255.255', '192.169.0.0'],
    ['198.18.0.0/15 benchmarking', '198.18.0.0', '198.19.255.255', '198.20.0.0'],
    ['224.0.0.0/3 multicast and reserved', '224.0.0.0', '255.255.255.255', '223.255.255.255'],
    ['::/127 unspecified and loopback', '::', '::1', '2001:db8::1'],
    ['fc00::/7 unique local', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe00::'],
    ['fe80::/10 link-local', 'fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fec0::'],
    ['ff00::/8 multicast', 'ff00::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '2606:4700::1'],
  ])('%s: %s and %s are private, %s is not', (_range, first, last, outside) => {
    expect(isPrivateAddress(first)).toBe(true);
    expect(isPrivateAddress(last)).toBe(true);
    expect(isPrivateAddress(outside)).toBe(false);
  });

  test('public addresses of both families are not private', () => {
    for (const a of ['8.8.8.8', '203.0.113.9', '9.255.255.255', '2001:db8::5', '2606:4700:4700::1111']) {
      expect(isPrivateAddress(a)).toBe(false);
    }
  });

  test('an IPv4-mapped IPv6 address is the IPv4 address it carries, in either case of ffff', () => {
    expect(isPrivateAddress('::ffff:10.0.0.1')).toBe(true);
    expect(isPrivateAddress('::FFFF:169.254.169.254')).toBe(true);
    expect(isPrivateAddress('::ffff:a00:1')).toBe(true);
    expect(isPrivateAddress('::ffff:8.8.8.8')).toBe(false);
    // Only a whole mapped address: a public IPv6 address that merely ends like one is not unwrapped.
    expect(isPrivateAddress('2001:db8::ffff:10.0.0.1')).toBe(false);
  });

  test('anything that is not an address is never trusted', () => {
    for (const a of ['', 'localhost', 'mm.example.com', '10.0.0', '::ffff:10.0.0.1234']) {
      expect(isPrivateAddress(a)).toBe(true);
    }
  });
});

describe('privateHostProblem', () => {
  const resolvingTo =
    (...addresses: string[]): HostLookup =>
    async () =>
      addresses.map((address) => ({ address }));

  test('an address literal is judged as it is, without a look-up, IPv6 ones inside brackets too', async () => {
    const lookup: HostLookup = async (host) => {
      throw new Error(`looked up ${host}`);
    };
    expect(await privateHostProblem('https://10.0.0.5', { lookup })).toBe(PRIVATE_NETWORK);
    expect(await privateHostProblem('https://[fd00::1]:8443/api', { lookup })).toBe(PRIVATE_NETWORK);
    expect(await privateHostProblem('https://[::ffff:169.254.169.254]', { lookup })).toBe(PRIVATE_NETWORK);
    expect(await privateHostProblem('https://203.0.113.9', { lookup })).toBeNull();
    expect(await privateHostProblem('https://[2001:db8::5]/', { lookup })).toBeNull();
  });

  test('a host name is judged by every address it resolves to, and only it is looked up', async () => {
    const asked: string[] = [];
    const lookup: HostLookup = async (host) => {
      asked.push(host);
      return [{ address: '203.0.113.9' }, { address: '2001:db8::5' }];
    };
    expect(await privateHostProblem('https://mm.public.example:8443/x', { lookup })).toBeNull();
    expect(asked).toEqual(['mm.public.example']);
    expect(
      await privateHostProblem('https://mm.example', { lookup: resolvingTo('203.0.113.9', '10.1.2.3') }),
    ).toBe(PRIVATE_NETWORK);
    expect(
      await privateHostProblem('https://mm.example', { lookup: resolvingTo('10.1.2.3', '203.0.113.9') }),
    ).toBe(PRIVATE_NETWORK);
  });

  test('without an injected look-up, the system resolver is asked (localhost, from the hosts file)', async () => {
    expect(await privateHostProblem('https://localhost:8443')).toBe(PRIVATE_NETWORK);
    expect(await privateHostProblem('http://localhost:4000', { allowLoopback: true })).toBeNull();
  });

  test('a host that does not resolve, or resolves to nothing, is no such host', async () => {
    const failing: HostLookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await privateHostProblem('https://nowhere.example', { lookup: failing })).toBe(NO_SUCH_HOST);
    expect(await privateHostProblem('https://nowhere.example', { lookup: resolvingTo() })).toBe(NO_SUCH_HOST);
    expect(
      await privateHostProblem('https://nowhere.example', { allowLoopback: true, lookup: resolvingTo() }),
    ).toBe(NO_SUCH_HOST);
  });

  test('allowLoopback lets loopback through (both families) and nothing else private', async () => {
    const allow = { allowLoopback: true };
    expect(await privateHostProblem('http://127.0.0.1:4000', allow)).toBeNull();
    expect(await privateHostProblem('http://127.1.2.3:4000', allow)).toBeNull();
    expect(await privateHostProblem('http://[::1]:4000', allow)).toBeNull();
    expect(await privateHostProblem('http://[::ffff:127.0.0.1]:4000', allow)).toBeNull();
    expect(
      await privateHostProblem('http://mm.local', { ...allow, lookup: resolvingTo('127.0.0.1', '::1') }),
    ).toBeNull();
    for (const url of [
      'http://10.0.0.1',
      'http://[::]',
      'http://0.0.0.0',
      'http://[fd00::1]',
      'http://169.254.169.254',
    ]) {
      expect(await privateHostProblem(url, allow)).toBe(PRIVATE_NETWORK);
    }
    // One loopback address does not excuse a private one beside it, nor a name that resolves to a non-address.
    expect(
      await privateHostProblem('http://mm.local', { ...allow, lookup: resolvingTo('127.0.0.1', '10.0.0.1') }),
    ).toBe(PRIVATE_NETWORK);
    expect(
      await privateHostProblem('http://mm.local', { ...allow, lookup: resolvingTo('not-an-address') }),
    ).toBe(PRIVATE_NETWORK);
    // Without the option, loopback is private like the rest.
    expect(await privateHostProblem('http://127.0.0.1:4000')).toBe(PRIVATE_NETWORK);
    expect(await privateHostProblem('http://[::1]:4000', { allowLoopback: false })).toBe(PRIVATE_NETWORK);
  });
});
