/** Reading an account URL typed into the connect form: forgiving about the shape, strict about http. */
import { parseAccountUrl } from '../../src/megameeting/account-url.js';

test.each([
  ['https://acme.megameeting.com', 'https://acme.megameeting.com'],
  ['  https://acme.megameeting.com/  ', 'https://acme.megameeting.com'],
  ['acme.megameeting.com', 'https://acme.megameeting.com'],
  ['HTTPS://Acme.MegaMeeting.com/api', 'https://acme.megameeting.com'],
  ['https://acme.megameeting.com/api/', 'https://acme.megameeting.com'],
  ['https://meet.example.com:8443/mm/', 'https://meet.example.com:8443/mm'],
])('%j is read as %j', (input, url) => {
  expect(parseAccountUrl(input)).toEqual({ ok: true, url });
});

test('http:// only to loopback hosts, and only when allowed', () => {
  for (const url of [
    'http://localhost:4000',
    'http://127.0.0.1:4000',
    'http://[::1]:4000',
    'http://mm.localhost',
  ]) {
    expect(parseAccountUrl(url, { allowLoopbackHttp: true })).toEqual({ ok: true, url });
    expect(parseAccountUrl(url)).toMatchObject({ ok: false });
  }
  expect(parseAccountUrl('http://acme.megameeting.com', { allowLoopbackHttp: true })).toEqual({
    ok: false,
    problem: 'Use the https:// address of your account: over http:// the API token would travel unencrypted.',
  });
  expect(parseAccountUrl('http://127.0.0.1.evil.example', { allowLoopbackHttp: true })).toMatchObject({
    ok: false,
  });
});

test.each([
  ['', 'Enter your MegaMeeting account URL, e.g. https://myaccount.megameeting.com'],
  [
    'intranet',
    'That is not a full host name. Enter your account URL, e.g. https://myaccount.megameeting.com',
  ],
  [
    'javascript:alert(1)',
    'That is not a web address. Enter your account URL, e.g. https://myaccount.megameeting.com',
  ],
  [
    'https://acme.megameeting.com/#x',
    'Enter the account URL alone, without ?… or #…, e.g. https://myaccount.megameeting.com',
  ],
  [
    'https://a b.com',
    'That is not a web address. Enter your account URL, e.g. https://myaccount.megameeting.com',
  ],
  [`https://${'a'.repeat(200)}.com`, 'That is too long for an account URL (200 characters at most).'],
])('%j is refused', (input, problem) => {
  expect(parseAccountUrl(input)).toEqual({ ok: false, problem });
});
