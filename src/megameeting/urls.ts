/**
 * URLs derived from the MegaMeeting account URL (design.md, "The contract" and reading 8):
 * GraphQL at `/api`, join links at `/meeting/?id=<meetId>` and `/meeting/?key=<guestKey>`, downloads at
 * `/getweb?recordingkey=/<recPackage>`, playback at `/<recPlay>`.
 *
 * Every helper accepts the account URL with or without a trailing slash.
 */

/** The account URL without trailing slashes: `https://myaccount.megameeting.com`. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}

/** The GraphQL endpoint: `<base>/api`. */
export function apiUrl(baseUrl: string): string {
  return `${normalizeBaseUrl(baseUrl)}/api`;
}

export interface JoinUrlOptions {
  /** Shown in the attendee list; when absent the user types a name on the landing page. */
  name?: string;
  /** Skip the guest landing page. Only honoured together with a name, as documented. */
  go?: boolean;
}

/**
 * `<base>/meeting/?id=1234567[&name=John[&go=1]]`. `go=1` is added only when a (non-blank) name is given,
 * because the documentation requires the name parameter when using go.
 */
export function joinUrlForMeeting(baseUrl: string, meetId: string, opts: JoinUrlOptions = {}): string {
  let url = `${normalizeBaseUrl(baseUrl)}/meeting/?id=${encodeURIComponent(String(meetId))}`;
  const name = opts.name?.trim();
  if (name) {
    url += `&name=${encodeURIComponent(name)}`;
    if (opts.go) url += '&go=1';
  }
  return url;
}

/**
 * `<base>/meeting/?key=abcdef123456[&go=1]`: the personal link of a verified guest or webinar registrant.
 * The key is a secret: send the link only to its owner.
 */
export function joinUrlForGuestKey(baseUrl: string, key: string, opts: { go?: boolean } = {}): string {
  let url = `${normalizeBaseUrl(baseUrl)}/meeting/?key=${encodeURIComponent(key)}`;
  if (opts.go) url += '&go=1';
  return url;
}

/**
 * `<base>/getweb?recordingkey=/<recPackage>` as the documented worked example shows. A leading slash of
 * recPackage is dropped (no `//`); each path segment is percent-encoded, so the documented packages
 * (`15/2441730/1611598120523/P2P-Recording-….mp4`) come out unchanged while `&`, `#`, spaces stay inside the
 * parameter.
 */
export function downloadUrl(baseUrl: string, recPackage: string): string {
  const path = recPackage
    .trim()
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return `${normalizeBaseUrl(baseUrl)}/getweb?recordingkey=/${path}`;
}

/**
 * `<base>/<recPlay>`, e.g. `<base>/videoplayer/?key=2441730&session=1611598120523`; `null` while the recording
 * is not processed yet (recPlay null or empty). recPlay is a path with its own query string, used as given.
 */
export function playbackUrl(baseUrl: string, recPlay: string | null | undefined): string | null {
  if (recPlay === null || recPlay === undefined) return null;
  const play = recPlay.trim();
  if (play === '') return null;
  if (/^https?:\/\//i.test(play)) return play;
  return `${normalizeBaseUrl(baseUrl)}/${play.replace(/^\/+/, '')}`;
}

/** What a link to the account's meeting page is: a meeting (by ID) or a personal link (a guest key). */
export type MeetingLink = { kind: 'meeting'; meetId: string } | { kind: 'personal' };

/**
 * Reads a link shared in Slack: `<base>/meeting/?id=<meetId>` is a meeting, any link to that page with a `key` is
 * personal (even when it also names an ID); other hosts, pages or IDs are null. The host must be the account's
 * own (with its port); http and https both count (Slack reports what the user typed).
 */
export function readMeetingLink(baseUrl: string, url: string): MeetingLink | null {
  let link: URL;
  let base: URL;
  try {
    link = new URL(url);
    base = new URL(normalizeBaseUrl(baseUrl));
  } catch {
    return null;
  }
  if (link.host.toLowerCase() !== base.host.toLowerCase()) return null;
  if (!/^\/meeting\/?$/.test(link.pathname)) return null;
  if (link.searchParams.has('key')) return { kind: 'personal' };
  const meetId = link.searchParams.get('id')?.trim() ?? '';
  return /^\d{1,20}$/.test(meetId) ? { kind: 'meeting', meetId } : null;
}
