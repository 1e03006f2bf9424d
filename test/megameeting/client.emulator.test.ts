/**
 * Every client method over real HTTP against the MegaMeeting emulator (emulator/), including the error paths:
 * bad token, unknown IDs, a host touching another host's meeting, MegaMeeting down, slow and answering garbage,
 * and hostile strings that must round-trip verbatim without running any other operation.
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import { MegaMeetingError } from '../../src/megameeting/errors.js';
import { GUEST_PERMISSIONS } from '../../src/megameeting/types.js';
import {
  downloadUrl,
  joinUrlForGuestKey,
  joinUrlForMeeting,
  playbackUrl,
} from '../../src/megameeting/urls.js';
import { closedPort } from './support/stub-server.js';

let emu: Emulator;
let admin: MegaMeetingClient;

function clientFor(token: string, opts: Partial<ConstructorParameters<typeof MegaMeetingClient>[0]> = {}) {
  return new MegaMeetingClient({
    baseUrl: emu.url,
    apiToken: token,
    retryBaseDelayMs: 1,
    timeoutMs: 5_000,
    ...opts,
  });
}

/** The rejection as a MegaMeetingError, checked never to contain the tokens in play. */
async function failure(p: Promise<unknown>, ...tokens: string[]): Promise<MegaMeetingError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MegaMeetingError);
    const err = e as MegaMeetingError;
    for (const t of [emu.adminToken, ...tokens]) {
      expect(err.message).not.toContain(t);
      expect(JSON.stringify(err)).not.toContain(t);
      expect(String(err.stack)).not.toContain(t);
    }
    return err;
  }
  throw new Error('expected the call to fail');
}

function addHost(email: string, fullName = 'Host') {
  return emu.state.addLogin({ email, fullName, roles: ['host'] });
}

beforeAll(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
  admin = clientFor(emu.adminToken);
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.state.reset();
});

describe('meetings', () => {
  test('createMeeting (video conference, documented dates) → meetings lists it', async () => {
    await expect(admin.meetings()).resolves.toEqual([]);
    const created = await admin.createMeeting({
      meetingName: 'My Video Meeting',
      scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
      scheduledTimeZone: 'CST/UTC-06:00',
      endDateTime: 'Fri Feb 12 2021 11:30:00 -0600',
    });
    expect(created.meetId).toMatch(/^\d{7}$/);
    expect(created.message).toBe(`createMeeting() succeeded. New Meet_ID:${created.meetId}`);
    await expect(admin.meetings()).resolves.toEqual([{ meetId: created.meetId, name: 'My Video Meeting' }]);
    const rec = emu.state.meetings.get(created.meetId);
    expect(rec).toMatchObject({
      name: 'My Video Meeting',
      loginId: emu.adminLoginId,
      scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
      scheduledTimeZone: 'CST/UTC-06:00',
      endDateTime: 'Fri Feb 12 2021 11:30:00 -0600',
    });
    expect(rec?.scheduledStart?.toISOString()).toBe('2021-02-12T16:00:00.000Z');
  });

  test('createMeeting: webinar with registration stores every documented option', async () => {
    const { meetId } = await admin.createMeeting({
      meetingName: 'API Webinar Test',
      scheduledDateTime: 'Tue Nov 24 2020 12:30:00 -0600',
      scheduledTimeZone: 'CST/UTC-06:00',
      endDateTime: 'Tue Nov 24 2020 14:00:00 -0600',
      enableRegistration: true,
      disableVideo: true,
      disableAudio: true,
      disableScreen: true,
      disableFileUpload: true,
      disableWebVideoPlayer: true,
      enableRestrictedUserList: true,
      enableRestrictedChat: true,
    });
    expect(emu.state.meetings.get(meetId)?.options).toEqual({
      requireVerification: false,
      enableRegistration: true,
      disableVideo: true,
      disableAudio: true,
      disableScreen: true,
      disableFileUpload: true,
      disableWebVideoPlayer: true,
      enableRestrictedUserList: true,
      enableRestrictedChat: true,
    });
  });

  test('createMeeting: secure meeting on behalf of a host (admin token + loginId)', async () => {
    const host = addHost('ana@example.com');
    const { meetId } = await admin.createMeeting({
      meetingName: 'Secure',
      requireVerification: true,
      loginId: host.loginId,
    });
    expect(emu.state.meetings.get(meetId)).toMatchObject({
      loginId: host.loginId,
      options: { requireVerification: true },
    });
    await expect(clientFor(host.apiToken).meetings()).resolves.toEqual([{ meetId, name: 'Secure' }]);
  });

  test('createMeeting: an invalid date is invalid_input and creates nothing', async () => {
    const err = await failure(admin.createMeeting({ meetingName: 'x', scheduledDateTime: 'tomorrow at 3' }));
    expect(err).toMatchObject({ code: 'invalid_input', operation: 'createMeeting' });
    expect(err.graphqlErrors?.[0]?.code).toBe('BAD_USER_INPUT');
    expect(emu.state.meetings.size).toBe(0);
  });

  test('updateMeeting renames (meetName) and endMeeting ends; an ended meeting cannot be updated', async () => {
    const { meetId } = await admin.createMeeting({ meetingName: 'Old' });
    await expect(admin.updateMeeting({ meetId, meetName: 'My New Name' })).resolves.toEqual({
      message: 'Meeting updated',
      result: '1',
      status: 'completed',
    });
    expect(emu.state.meetings.get(meetId)?.name).toBe('My New Name');
    await expect(admin.endMeeting(meetId)).resolves.toEqual({
      message: 'Meeting ended',
      result: '1',
      status: 'completed',
    });
    await expect(admin.meetings()).resolves.toEqual([]);
    const err = await failure(admin.updateMeeting({ meetId, meetName: 'again' }));
    expect(err).toMatchObject({ code: 'not_found', operation: 'updateMeeting' });
  });

  test('unknown meeting → not_found for update, end, guests', async () => {
    for (const call of [
      () => admin.updateMeeting({ meetId: '9999999', meetName: 'x' }),
      () => admin.endMeeting('9999999'),
      () => admin.getVerifiedGuests('9999999'),
      () =>
        admin.addVerifiedGuest({
          meetId: '9999999',
          guestName: 'g',
          email: 'g@example.com',
          permissions: [],
        }),
    ]) {
      const err = await failure(call());
      expect(err.code).toBe('not_found');
      expect(err.serverMessage).toMatch(/9999999/);
    }
  });

  test('join URLs open the emulator meeting page', async () => {
    const { meetId } = await admin.createMeeting({ meetingName: 'Open' });
    const res = await fetch(joinUrlForMeeting(`${emu.url}/`, meetId, { name: 'John Smith', go: true }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('John Smith');
  });
});

describe('verified guests', () => {
  test('add, get (link = joinUrlForGuestKey), update, remove', async () => {
    const { meetId } = await admin.createMeeting({ meetingName: 'Secure', requireVerification: true });
    await expect(
      admin.addVerifiedGuest({
        meetId,
        guestName: 'John Doe',
        email: 'johndoe@domain.com',
        permissions: [
          'webcam',
          'microphone',
          'screenSharing',
          'chat',
          'fileUpload',
          'fileDownload',
          'webVideoPlayer',
        ],
      }),
    ).resolves.toEqual({ message: 'Records added successfully', result: '1', status: 'completed' });

    const guests = await admin.getVerifiedGuests(meetId);
    expect(guests).toHaveLength(1);
    const [guest] = guests;
    if (!guest) throw new Error('no guest');
    expect(guest.guestName).toBe('John Doe');
    expect(guest.key).toMatch(/^[a-z0-9]{12}$/);
    expect(guest.meetingLink).toBe(joinUrlForGuestKey(emu.url, guest.key));
    expect((await fetch(joinUrlForGuestKey(emu.url, guest.key, { go: true }))).status).toBe(200);

    await expect(
      admin.updateVerifiedGuest({
        meetId,
        key: guest.key,
        guestName: 'Jane Doe',
        permissions: ['webcam', 'moderator'],
      }),
    ).resolves.toMatchObject({ status: 'completed', message: 'Record updated successfully' });
    expect(emu.state.guests.get(guest.key)).toMatchObject({
      guestName: 'Jane Doe',
      permissions: ['webcam', 'moderator'],
    });

    await expect(admin.removeVerifiedGuest({ meetId, key: guest.key })).resolves.toMatchObject({
      status: 'completed',
      message: 'Removed successfully',
    });
    await expect(admin.getVerifiedGuests(meetId)).resolves.toEqual([]);
    const err = await failure(admin.removeVerifiedGuest({ meetId, key: guest.key }));
    expect(err.code).toBe('not_found');
    expect(err.message).not.toContain(guest.key);
  });

  test('every documented permission is accepted by the emulator schema', async () => {
    const { meetId } = await admin.createMeeting({ meetingName: 'All' });
    await admin.addVerifiedGuest({
      meetId,
      guestName: 'G',
      email: 'g@example.com',
      permissions: [...GUEST_PERMISSIONS],
    });
    expect([...emu.state.guests.values()][0]?.permissions).toEqual([...GUEST_PERMISSIONS]);
  });

  test('guests cannot be added to an ended meeting', async () => {
    const { meetId } = await admin.createMeeting({ meetingName: 'Gone' });
    await admin.endMeeting(meetId);
    const err = await failure(
      admin.addVerifiedGuest({ meetId, guestName: 'G', email: 'g@example.com', permissions: [] }),
    );
    expect(err.code).toBe('not_found');
  });
});

describe('logins and tokens', () => {
  test('logins: roles split, active as boolean', async () => {
    const host = emu.state.addLogin({
      email: 'pam@example.com',
      fullName: 'Pam',
      roles: ['admin', 'host'],
      active: 0,
    });
    const logins = await admin.logins();
    expect(logins).toHaveLength(2);
    expect(logins.find((l) => l.loginId === emu.adminLoginId)).toMatchObject({
      active: true,
      roles: ['owner', 'admin', 'host'],
    });
    expect(logins.find((l) => l.loginId === host.loginId)).toEqual({
      loginId: host.loginId,
      userName: host.userName,
      email: 'pam@example.com',
      fullName: 'Pam',
      active: false,
      roles: ['admin', 'host'],
    });
  });

  test('createLogin (host by default), updateLogin, userInvitation, deleteLogin', async () => {
    const { loginId, message } = await admin.createLogin({
      email: 'user@example.com',
      fullName: 'Example User',
      phoneNumber: '444-444-4444',
    });
    expect(message).toBe('Login Created successfully!');
    expect(emu.state.logins.get(loginId)).toMatchObject({
      email: 'user@example.com',
      roles: ['host'],
      phoneNumber: '444-444-4444',
    });

    const dup = await failure(admin.createLogin({ email: 'user@example.com' }));
    expect(dup).toMatchObject({ code: 'invalid_input', operation: 'createLogin' });
    expect(dup.serverMessage).toMatch(/already exists/);

    await expect(
      admin.updateLogin({ loginId, fullName: 'Renamed', roles: { admin: true, host: true } }),
    ).resolves.toMatchObject({
      status: 'completed',
      message: 'Details updated successfully!',
    });
    expect(emu.state.logins.get(loginId)).toMatchObject({ fullName: 'Renamed', roles: ['admin', 'host'] });

    await expect(admin.userInvitation('user@example.com')).resolves.toMatchObject({
      message: 'Email sent successfully',
    });
    expect(emu.state.invitations).toEqual([expect.objectContaining({ loginId, email: 'user@example.com' })]);
    expect((await failure(admin.userInvitation('nobody@example.com'))).code).toBe('not_found');

    await expect(admin.deleteLogin(loginId)).resolves.toMatchObject({
      message: 'Login deleted successfully',
    });
    expect(emu.state.logins.has(loginId)).toBe(false);
    expect((await failure(admin.deleteLogin(loginId))).code).toBe('not_found');
    expect((await failure(admin.deleteLogin(emu.adminLoginId))).code).toBe('invalid_input');
  });

  test('apiTokenDetails, createAPIToken, revokeAPIToken', async () => {
    const host = addHost('tok@example.com');
    await clientFor(host.apiToken).meetings(); // sets lastUsed
    const details = await admin.apiTokenDetails(host.loginId);
    expect(details.domain).toBe(emu.url);
    expect(details.apiToken).toBe(host.apiToken);
    expect(details.createdAt).toBeInstanceOf(Date);
    expect(Math.abs((details.createdAt?.getTime() ?? 0) - Date.now())).toBeLessThan(10_000);
    expect(details.lastUsed).toBeInstanceOf(Date);

    await expect(admin.createAPIToken(host.loginId)).resolves.toMatchObject({
      message: 'API token created successfully',
    });
    const renewed = await admin.apiTokenDetails(host.loginId);
    expect(renewed.apiToken).not.toBe(host.apiToken);
    expect(renewed.lastUsed).toBeNull();
    const old = await failure(clientFor(host.apiToken).meetings(), host.apiToken);
    expect(old.code).toBe('unauthorized');

    await expect(admin.revokeAPIToken(host.loginId)).resolves.toMatchObject({
      message: 'API token revoked successfully',
    });
    const none = await failure(admin.apiTokenDetails(host.loginId));
    expect(none).toMatchObject({ code: 'not_found', operation: 'apiTokenDetails' });
    expect((await failure(admin.revokeAPIToken(host.loginId))).code).toBe('invalid_input');
    expect((await failure(clientFor(renewed.apiToken).meetings(), renewed.apiToken)).code).toBe(
      'unauthorized',
    );
    expect((await failure(admin.apiTokenDetails('000000000000000000000000'))).code).toBe('not_found');
  });

  test('login returns a one-time URL that works once', async () => {
    const host = addHost('sso@example.com');
    const { url, message } = await admin.login(host.loginId);
    expect(message).toBe('success');
    expect(url.startsWith(`${emu.url}/?token=`)).toBe(true);
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(410);
  });
});

describe('recordings', () => {
  test('recordings, startRemux, download and playback URLs, deleteRecording', async () => {
    const { meetId } = await admin.createMeeting({ meetingName: 'Tech Meeting' });
    const added = emu.state.addRecording({ meetId, createdAt: new Date('2021-02-08T10:50:20Z') });

    const [rec] = await admin.recordings();
    expect(rec).toEqual({
      accId: emu.accountId,
      alId: emu.adminLoginId,
      recId: added.recId,
      meetId,
      recPackage: added.recPackage,
      recPlay: null,
      recCreateDateTime: new Date('2021-02-08T10:50:20Z'),
      recCreateDateTimeRaw: 'Feb 8, 2021 10:50:20',
      remuxStatus: 'waiting',
    });
    if (!rec) throw new Error('no recording');
    expect(playbackUrl(emu.url, rec.recPlay)).toBeNull();

    await expect(
      admin.startRemux({
        accountId: rec.accId,
        loginId: rec.alId,
        meetId: rec.meetId,
        recordingId: rec.recId,
      }),
    ).resolves.toEqual({ status: 'Completed', message: 'Remux request made successfully.', result: null });

    const [done] = await admin.recordings();
    expect(done?.remuxStatus).toBe('completed');
    expect(done?.recPlay).toMatch(/^videoplayer\/\?key=/);
    const play = await fetch(playbackUrl(emu.url, done?.recPlay ?? null) ?? '');
    expect(play.status).toBe(200);
    const download = await fetch(downloadUrl(`${emu.url}/`, rec.recPackage));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');

    emu.state.failRecording(rec.recId);
    expect((await admin.recordings())[0]?.remuxStatus).toBe('failed');

    expect((await failure(admin.deleteRecording({ recId: rec.recId, accId: '0'.repeat(24) }))).code).toBe(
      'not_found',
    );
    await expect(admin.deleteRecording({ recId: rec.recId, accId: rec.accId })).resolves.toMatchObject({
      message: 'Recording removed successfully',
    });
    await expect(admin.recordings()).resolves.toEqual([]);
    expect((await failure(admin.deleteRecording({ recId: rec.recId, accId: rec.accId }))).code).toBe(
      'not_found',
    );
  });

  test('startRemux with a mismatched meeting is invalid_input; unknown recording is not_found', async () => {
    const { meetId } = await admin.createMeeting({ meetingName: 'R' });
    const r = emu.state.addRecording({ meetId });
    const base = { accountId: emu.accountId, loginId: r.alId, meetId, recordingId: r.recId };
    expect((await failure(admin.startRemux({ ...base, meetId: '1111111' }))).code).toBe('invalid_input');
    expect((await failure(admin.startRemux({ ...base, recordingId: 'f'.repeat(24) }))).code).toBe(
      'not_found',
    );
  });
});

describe('authorization', () => {
  test('a bad token is unauthorized for queries and mutations, and never echoed', async () => {
    const bad = 'NOTAREALTOKEN0123456789ABCDEFGH';
    const c = clientFor(bad);
    for (const call of [
      () => c.meetings(),
      () => c.recordings(),
      () => c.createMeeting({ meetingName: 'x' }),
    ]) {
      const err = await failure(call(), bad);
      expect(err.code).toBe('unauthorized');
      expect(err.graphqlErrors?.[0]?.code).toBe('UNAUTHENTICATED');
    }
    expect(emu.state.meetings.size).toBe(0);
  });

  test("a host cannot see or touch another host's meeting or recording", async () => {
    const ana = addHost('ana@example.com');
    const ben = addHost('ben@example.com');
    const { meetId } = await admin.createMeeting({ meetingName: "Ana's", loginId: ana.loginId });
    const rec = emu.state.addRecording({ meetId });
    const benClient = clientFor(ben.apiToken);

    await expect(benClient.meetings()).resolves.toEqual([]);
    await expect(benClient.recordings()).resolves.toEqual([]);
    for (const call of [
      () => benClient.endMeeting(meetId),
      () => benClient.updateMeeting({ meetId, meetName: 'mine now' }),
      () => benClient.getVerifiedGuests(meetId),
      () =>
        benClient.addVerifiedGuest({ meetId, guestName: 'g', email: 'g@example.com', permissions: ['chat'] }),
      () => benClient.deleteRecording({ recId: rec.recId, accId: rec.accId }),
      () => benClient.startRemux({ accountId: rec.accId, loginId: rec.alId, meetId, recordingId: rec.recId }),
    ]) {
      const err = await failure(call(), ben.apiToken, ana.apiToken);
      expect(err.code).toBe('forbidden');
    }
    expect(emu.state.meetings.get(meetId)).toMatchObject({ name: "Ana's", endedAt: null });
    expect(emu.state.recordings.has(rec.recId)).toBe(true);

    // Ana can.
    await expect(clientFor(ana.apiToken).endMeeting(meetId)).resolves.toMatchObject({ status: 'completed' });
  });

  test('admin-only operations are forbidden to a host', async () => {
    const host = addHost('h@example.com');
    const c = clientFor(host.apiToken);
    for (const call of [
      () => c.logins(),
      () => c.apiTokenDetails(host.loginId),
      () => c.createLogin({ email: 'new@example.com' }),
      () => c.updateLogin({ loginId: host.loginId, fullName: 'x' }),
      () => c.deleteLogin(emu.adminLoginId),
      () => c.createAPIToken(host.loginId),
      () => c.revokeAPIToken(emu.adminLoginId),
      () => c.userInvitation('h@example.com'),
      () => c.login(emu.adminLoginId),
    ]) {
      expect((await failure(call(), host.apiToken)).code).toBe('forbidden');
    }
    expect(emu.state.logins.size).toBe(2);
  });
});

describe('MegaMeeting down, slow, garbage', () => {
  test('down (connection refused) → unavailable after retries', async () => {
    const port = await closedPort();
    const c = new MegaMeetingClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiToken: emu.adminToken,
      retryBaseDelayMs: 1,
    });
    const err = await failure(c.meetings());
    expect(err).toMatchObject({ code: 'unavailable', operation: 'meetings', attempts: 3 });
  });

  test('slow (latency over the timeout) → timeout; a mutation is sent once', async () => {
    emu.state.setLatency(400);
    const c = clientFor(emu.adminToken, { timeoutMs: 100, retries: 2 });
    const q = await failure(c.meetings());
    expect(q).toMatchObject({ code: 'timeout', attempts: 3 });
    const m = await failure(c.createMeeting({ meetingName: 'Slow' }));
    expect(m).toMatchObject({ code: 'timeout', attempts: 1, operation: 'createMeeting' });
    emu.state.setLatency(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(emu.state.meetings.size).toBeLessThanOrEqual(1);
  });

  test('a hanging request: a query is retried after the timeout and succeeds', async () => {
    emu.state.injectFaults('hang', 1);
    emu.state.clearRequests();
    await expect(clientFor(emu.adminToken, { timeoutMs: 200 }).meetings()).resolves.toEqual([]);
    const log = emu.state.requests();
    expect(log.map((e) => e.fault)).toEqual(['hang', null]);
  });

  test('a hanging request: a mutation is not retried after the timeout', async () => {
    emu.state.injectFaults('hang', 1);
    emu.state.clearRequests();
    const err = await failure(
      clientFor(emu.adminToken, { timeoutMs: 200, retries: 3 }).createMeeting({ meetingName: 'Once' }),
    );
    expect(err).toMatchObject({ code: 'timeout', attempts: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.state.requests()).toHaveLength(1);
    expect(emu.state.meetings.size).toBe(0);
  });

  test('503 twice: a query is retried and succeeds', async () => {
    await admin.createMeeting({ meetingName: 'Visible' });
    emu.state.injectFaults('status503', 2);
    emu.state.clearRequests();
    await expect(admin.meetings()).resolves.toHaveLength(1);
    expect(emu.state.requests().map((e) => [e.fault, e.httpStatus])).toEqual([
      ['status503', 503],
      ['status503', 503],
      [null, 200],
    ]);
  });

  test('503 or 500 on a mutation: not retried, nothing created; the next call works', async () => {
    for (const mode of ['status503', 'error500'] as const) {
      emu.state.reset();
      emu.state.injectFaults(mode, 1);
      const err = await failure(admin.createMeeting({ meetingName: 'Once' }));
      expect(err).toMatchObject({ code: 'unavailable', attempts: 1 });
      expect(emu.state.requests()).toHaveLength(1);
      expect(emu.state.meetings.size).toBe(0);
      await admin.createMeeting({ meetingName: 'Once' });
      expect(emu.state.meetings.size).toBe(1);
    }
  });

  test('garbage → unexpected_response, not retried', async () => {
    emu.state.injectFaults('garbage', 1);
    emu.state.clearRequests();
    const err = await failure(admin.meetings());
    expect(err).toMatchObject({ code: 'unexpected_response', operation: 'meetings', attempts: 1 });
    expect(emu.state.requests()).toHaveLength(1);
  });
});

describe('hostile strings', () => {
  const tenThousand = `${'a"\\\n🎉'.repeat(1666)}xxxx`;
  const injection = (loginId: string) =>
    `") { status } } mutation { deleteLogin(loginId: "${loginId}") { status } }`;
  const hostile = (canary: string) => [
    'He said "hi" and \'bye\'',
    'C:\\path\\to\\file \\" \\\\',
    'line1\nline2\r\nline3\ttabbed',
    injection(canary),
    `"""${injection(canary)}"""`,
    `\\${injection(canary)}`,
    '# not a comment\n} }',
    'emoji 🎉👩🏽‍💻🇺🇸 ünïcödé 日本語',
    '\u0001\u001f\u007f\u2028\u2029 control',
    tenThousand,
  ];

  test('the 10,000-character string is what it says', () => {
    expect(tenThousand).toHaveLength(10_000);
  });

  test('round-trip verbatim as meeting and guest names; no other operation runs', async () => {
    const canary = emu.state.addLogin({ email: 'canary@example.com', roles: ['host'] });
    emu.state.clearRequests();
    const allowed = new Set([
      'createMeeting',
      'meetings',
      'updateMeeting',
      'addVerifiedGuest',
      'getVerifiedGuest',
      'updateVerifiedGuest',
    ]);

    for (const s of hostile(canary.loginId)) {
      const { meetId } = await admin.createMeeting({ meetingName: s });
      expect(emu.state.meetings.get(meetId)?.name).toBe(s);
      expect((await admin.meetings()).find((m) => m.meetId === meetId)?.name).toBe(s);

      await admin.updateMeeting({ meetId, meetName: `${s}!` });
      expect(emu.state.meetings.get(meetId)?.name).toBe(`${s}!`);
      expect((await admin.meetings()).find((m) => m.meetId === meetId)?.name).toBe(`${s}!`);

      await admin.addVerifiedGuest({
        meetId,
        guestName: s,
        email: 'guest@example.com',
        permissions: ['chat'],
      });
      const [guest] = await admin.getVerifiedGuests(meetId);
      expect(guest?.guestName).toBe(s);
      if (!guest) throw new Error('no guest');
      await admin.updateVerifiedGuest({ meetId, key: guest.key, guestName: `${s}?` });
      expect(emu.state.guests.get(guest.key)?.guestName).toBe(`${s}?`);
      expect((await admin.getVerifiedGuests(meetId))[0]?.guestName).toBe(`${s}?`);
    }

    expect(emu.state.logins.has(canary.loginId)).toBe(true);
    const log = emu.state.requests();
    expect(log.length).toBe(hostile(canary.loginId).length * 8); // 8 calls per string, as above
    for (const entry of log) {
      expect(entry.fields).toHaveLength(1);
      expect(allowed.has(entry.fields[0] ?? '')).toBe(true);
      expect(entry.httpStatus).toBe(200);
      expect(entry.errorCodes).toEqual([]);
    }
    expect(log.some((e) => e.fields.includes('deleteLogin'))).toBe(false);
  });
});
