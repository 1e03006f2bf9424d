import {
  apiUrl,
  downloadUrl,
  joinUrlForGuestKey,
  joinUrlForMeeting,
  normalizeBaseUrl,
  playbackUrl,
  readMeetingLink,
} from '../../src/megameeting/urls.js';

const BASE = 'https://myaccount.megameeting.com';

describe.each([BASE, `${BASE}/`, `${BASE}//`])('with base %s', (base) => {
  test('normalizeBaseUrl / apiUrl', () => {
    expect(normalizeBaseUrl(base)).toBe(BASE);
    expect(apiUrl(base)).toBe(`${BASE}/api`);
  });

  test('joinUrlForMeeting: documented forms', () => {
    expect(joinUrlForMeeting(base, '1234567')).toBe(`${BASE}/meeting/?id=1234567`);
    expect(joinUrlForMeeting(base, '1234567', { name: 'John' })).toBe(
      `${BASE}/meeting/?id=1234567&name=John`,
    );
    expect(joinUrlForMeeting(base, '1234567', { name: 'John', go: true })).toBe(
      `${BASE}/meeting/?id=1234567&name=John&go=1`,
    );
  });

  test('joinUrlForGuestKey: documented forms', () => {
    expect(joinUrlForGuestKey(base, 'abcdef123456')).toBe(`${BASE}/meeting/?key=abcdef123456`);
    expect(joinUrlForGuestKey(base, 'abcdef123456', { go: true })).toBe(
      `${BASE}/meeting/?key=abcdef123456&go=1`,
    );
    expect(joinUrlForGuestKey(base, 'abcdef123456', { go: false })).toBe(`${BASE}/meeting/?key=abcdef123456`);
  });

  test('downloadUrl: documented worked example', () => {
    const pkg = '15/2441730/1611598120523/P2P-Recording-2441730-Tech-Meeting-01-25-2021-12-09-01.mp4';
    expect(downloadUrl(base, pkg)).toBe(`${BASE}/getweb?recordingkey=/${pkg}`);
    expect(downloadUrl(base, `/${pkg}`)).toBe(`${BASE}/getweb?recordingkey=/${pkg}`);
  });

  test('playbackUrl: documented worked example', () => {
    expect(playbackUrl(base, 'videoplayer/?key=2441730&session=1611598120523')).toBe(
      `${BASE}/videoplayer/?key=2441730&session=1611598120523`,
    );
    expect(playbackUrl(base, '/videoplayer/?key=2441730&session=1611598120523')).toBe(
      `${BASE}/videoplayer/?key=2441730&session=1611598120523`,
    );
  });
});

describe('join URLs', () => {
  test('go is only added together with a name', () => {
    expect(joinUrlForMeeting(BASE, '1234567', { go: true })).toBe(`${BASE}/meeting/?id=1234567`);
    expect(joinUrlForMeeting(BASE, '1234567', { name: '', go: true })).toBe(`${BASE}/meeting/?id=1234567`);
    expect(joinUrlForMeeting(BASE, '1234567', { name: '   ', go: true })).toBe(`${BASE}/meeting/?id=1234567`);
    expect(joinUrlForMeeting(BASE, '1234567', { name: 'John', go: false })).toBe(
      `${BASE}/meeting/?id=1234567&name=John`,
    );
  });

  test('names and keys are URL-encoded and round-trip', () => {
    const name = 'Zoë & "Bob" O\'Neil #1 + 🎉 a=b?c/d';
    const url = joinUrlForMeeting(BASE, '1234567', { name, go: true });
    expect(url).not.toContain(' ');
    expect(url).not.toContain('#');
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/meeting/');
    expect(parsed.searchParams.get('id')).toBe('1234567');
    expect(parsed.searchParams.get('name')).toBe(name);
    expect(parsed.searchParams.get('go')).toBe('1');
    expect([...parsed.searchParams.keys()]).toEqual(['id', 'name', 'go']);

    const key = 'a&b=c#d';
    const keyUrl = new URL(joinUrlForGuestKey(BASE, key));
    expect(keyUrl.searchParams.get('key')).toBe(key);
    expect([...keyUrl.searchParams.keys()]).toEqual(['key']);

    const idUrl = new URL(joinUrlForMeeting(BASE, '1&go=1'));
    expect([...idUrl.searchParams.keys()]).toEqual(['id']);
  });

  test('keeps a path prefix and port of the account URL', () => {
    expect(joinUrlForMeeting('http://127.0.0.1:4000/acct/', '1')).toBe(
      'http://127.0.0.1:4000/acct/meeting/?id=1',
    );
    expect(apiUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/api');
  });
});

describe('recording URLs', () => {
  test('downloadUrl keeps a recordingkey with special characters inside the parameter', () => {
    const pkg = 'acc/8626345/1612802816164/P2P Recording & Co #1.mp4';
    const url = new URL(downloadUrl(BASE, pkg));
    expect(url.pathname).toBe('/getweb');
    expect(url.searchParams.get('recordingkey')).toBe(`/${pkg}`);
    expect([...url.searchParams.keys()]).toEqual(['recordingkey']);
  });

  test('downloadUrl never produces a double slash', () => {
    expect(downloadUrl(`${BASE}/`, '///a/b.mp4')).toBe(`${BASE}/getweb?recordingkey=/a/b.mp4`);
  });

  test('playbackUrl is null until processed', () => {
    expect(playbackUrl(BASE, null)).toBeNull();
    expect(playbackUrl(BASE, undefined)).toBeNull();
    expect(playbackUrl(BASE, '')).toBeNull();
    expect(playbackUrl(BASE, '  ')).toBeNull();
  });

  test('playbackUrl leaves an absolute URL alone', () => {
    expect(playbackUrl(BASE, 'https://cdn.example.com/videoplayer/?key=1')).toBe(
      'https://cdn.example.com/videoplayer/?key=1',
    );
  });
});

describe('readMeetingLink', () => {
  const base = 'https://acme.megameeting.com/';
  test('a meeting link on the account host gives its ID', () => {
    expect(readMeetingLink(base, 'https://acme.megameeting.com/meeting/?id=1234567')).toEqual({
      kind: 'meeting',
      meetId: '1234567',
    });
    expect(readMeetingLink(base, 'http://ACME.megameeting.com/meeting?id=1234567&name=Jo')).toEqual({
      kind: 'meeting',
      meetId: '1234567',
    });
  });
  test('any key makes the link personal, even beside an ID', () => {
    expect(readMeetingLink(base, 'https://acme.megameeting.com/meeting/?key=abcdef123456')).toEqual({
      kind: 'personal',
    });
    expect(readMeetingLink(base, 'https://acme.megameeting.com/meeting/?id=1234567&key=abc')).toEqual({
      kind: 'personal',
    });
  });
  test('other hosts, pages, ports or IDs are not meeting links', () => {
    expect(readMeetingLink(base, 'https://other.megameeting.com/meeting/?id=1234567')).toBeNull();
    expect(readMeetingLink(base, 'https://acme.megameeting.com:8443/meeting/?id=1234567')).toBeNull();
    expect(readMeetingLink(base, 'https://acme.megameeting.com/videoplayer/?key=1&session=2')).toBeNull();
    expect(readMeetingLink(base, 'https://acme.megameeting.com/meeting/?id=abc')).toBeNull();
    expect(readMeetingLink(base, 'not a url')).toBeNull();
  });
});
