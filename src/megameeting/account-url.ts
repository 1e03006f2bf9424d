/**
 * Reading a MegaMeeting account URL typed by a person (the `/meet connect` form): forgiving about what people
 * paste (no scheme, a trailing slash, the `/api` endpoint itself), strict about where the API token may go.
 *
 * - `https://` for any host. A bare host name (`acme.megameeting.com`) is read as `https://acme.megameeting.com`.
 * - `http://` only for loopback hosts (localhost, 127.0.0.0/8, ::1), and only when the caller allows it (the
 *   local emulator, tests): otherwise the admin API token would travel unencrypted.
 * - No user name or password, query or fragment. Trailing slashes and a trailing `/api` are dropped.
 *
 * Problems are sentences for the form's URL field; they quote nothing the person typed.
 */

export const ACCOUNT_URL_EXAMPLE = 'https://myaccount.megameeting.com';
const MAX_LENGTH = 200;

export type AccountUrlResult = { ok: true; url: string } | { ok: false; problem: string };

export interface AccountUrlOptions {
  /** Accept `http://` for loopback hosts (local emulator, tests). Default false. */
  allowLoopbackHttp?: boolean;
}

function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  );
}

export function parseAccountUrl(input: string, opts: AccountUrlOptions = {}): AccountUrlResult {
  const text = input.trim();
  if (text === '')
    return { ok: false, problem: `Enter your MegaMeeting account URL, e.g. ${ACCOUNT_URL_EXAMPLE}` };
  if (text.length > MAX_LENGTH)
    return { ok: false, problem: `That is too long for an account URL (${MAX_LENGTH} characters at most).` };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return {
      ok: false,
      problem: `That is not a web address. Enter your account URL, e.g. ${ACCOUNT_URL_EXAMPLE}`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: `Enter an https:// address, e.g. ${ACCOUNT_URL_EXAMPLE}` };
  }
  if (url.protocol === 'http:' && !(opts.allowLoopbackHttp && isLoopback(url.hostname))) {
    return {
      ok: false,
      problem:
        'Use the https:// address of your account: over http:// the API token would travel unencrypted.',
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      problem: 'Leave any user name and password out of the URL: the API token is all the app needs.',
    };
  }
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    return {
      ok: false,
      problem: `Enter the account URL alone, without ?… or #…, e.g. ${ACCOUNT_URL_EXAMPLE}`,
    };
  }
  if (!url.hostname.includes('.') && !isLoopback(url.hostname)) {
    return {
      ok: false,
      problem: `That is not a full host name. Enter your account URL, e.g. ${ACCOUNT_URL_EXAMPLE}`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/i, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}` };
}
