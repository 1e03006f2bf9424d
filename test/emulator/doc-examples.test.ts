/**
 * Every example request of the MegaMeeting documentation, sent verbatim, gets the documented response. The
 * IDs the examples name are seeded first, so most answers are compared to the documented JSON exactly.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { DOC_EXAMPLES, docExample } from './doc-examples.js';
import { clock, gql } from './helpers.js';

const DOC_URL = 'https://myaccount.megameeting.com';
const DOC_ACCOUNT = '61216bddfe32733c86597a5c';

let emu: Emulator;
afterEach(async () => {
  await emu?.close();
});

/** An emulator seeded like the documentation's account (michaels is the owner). */
async function docEmulator(opts: { now?: () => Date; accountId?: string } = {}): Promise<Emulator> {
  emu = await startEmulator({
    baseUrl: DOC_URL,
    accountId: opts.accountId ?? DOC_ACCOUNT,
    owner: {
      loginId: '5bf55555ac033142f8457264',
      email: 'michaels@megameeting.com',
      fullName: 'Michael',
      userName: 'michaels',
    },
    ...(opts.now ? { now: opts.now } : {}),
  });
  return emu;
}

async function send(name: string) {
  const res = await gql(emu, docExample(name).request);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.body;
}

test('the fixture holds all 21 documented examples (20 operations, createMeeting twice)', () => {
  expect(DOC_EXAMPLES).toHaveLength(21);
  expect(new Set(DOC_EXAMPLES.map((e) => e.name.split(' ')[0])).size).toBe(20);
});

describe('queries', () => {
  test('meetings', async () => {
    await docEmulator();
    emu.state.addMeeting({ meetId: '1234567', name: 'My First Meeting' });
    emu.state.addMeeting({ meetId: '7654321', name: 'My Second Meeting' });
    expect(await send('meetings')).toEqual(docExample('meetings').response);
  });

  test('logins', async () => {
    await docEmulator();
    emu.state.addLogin({
      loginId: '5df155555a74d80b43e32a21',
      email: 'pamb@megameeting.com',
      fullName: 'Pam',
      userName: 'pamb',
      roles: ['admin', 'host'],
      active: 0,
    });
    expect(await send('logins')).toEqual(docExample('logins').response);
  });

  function seedRecording() {
    emu.state.addLogin({ loginId: '5d93bc02ebf54f60016c5480', email: 'host@megameeting.com' });
    emu.state.addMeeting({ meetId: '8626345', name: 'Tech Meeting', loginId: '5d93bc02ebf54f60016c5480' });
    emu.state.addRecording({
      recId: '59216bccfe32133c86597a6b',
      meetId: '8626345',
      session: 1612802816164,
      createdAt: new Date('2021-02-08T10:50:20Z'),
    });
  }

  test('startRemux', async () => {
    await docEmulator();
    seedRecording();
    expect(await send('startRemux')).toEqual(docExample('startRemux').response);
    expect(emu.state.recordings.get('59216bccfe32133c86597a6b')?.remuxStatus).toBe('processing');
  });

  test('recordings', async () => {
    await docEmulator();
    seedRecording();
    expect(await send('recordings')).toEqual(docExample('recordings').response);
  });

  test('apiTokenDetails', async () => {
    const c = clock('2019-11-26T15:19:12Z');
    await docEmulator({ now: c.now });
    const host = emu.state.addLogin({
      loginId: '5cc8525555555547431600d0',
      email: 'someone@megameeting.com',
      apiToken: 'IWVFBYLWG0QWY7EI55555555VKQHQ97X',
    });
    c.set('2019-11-26T15:31:34Z');
    await gql(emu, '{ meetings { edges { node { meetId } } } }', { token: host.apiToken });
    c.set('2019-11-27T09:00:00Z');
    expect(await send('apiTokenDetails')).toEqual(docExample('apiTokenDetails').response);
  });

  test('getVerifiedGuest', async () => {
    await docEmulator();
    emu.state.addMeeting({ meetId: '7654321', name: 'Secure', requireVerification: true });
    emu.state.addGuest({ meetId: '7654321', guestName: 'John Doe', key: 'abcdef123456' });
    expect(await send('getVerifiedGuest')).toEqual(docExample('getVerifiedGuest').response);
  });
});

describe('mutations', () => {
  test('createMeeting (video conference)', async () => {
    await docEmulator();
    const body = await send('createMeeting (video conference)');
    const { result } = body.data.createMeeting;
    expect(result).toMatch(/^\d{7}$/);
    expect(body).toEqual({
      data: {
        createMeeting: {
          message: `createMeeting() succeeded. New Meet_ID:${result}`,
          result,
          status: 'completed',
        },
      },
    });
    const meeting = emu.state.meetings.get(result);
    expect(meeting).toMatchObject({
      name: 'My Video Meeting',
      loginId: '5bf55555ac033142f8457264',
      scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
      scheduledTimeZone: 'CST/UTC-06:00',
      endDateTime: 'Fri Feb 12 2021 11:30:00 -0600',
      scheduledStart: new Date('2021-02-12T16:00:00Z'),
      scheduledEnd: new Date('2021-02-12T17:30:00Z'),
      endedAt: null,
    });
  });

  test('createMeeting (webinar with registration)', async () => {
    await docEmulator();
    const body = await send('createMeeting (webinar with registration)');
    const { result } = body.data.createMeeting;
    expect(result).toMatch(/^\d{7}$/);
    expect(body.data.createMeeting).toEqual({
      message: `createMeeting() succeeded. New Meet_ID:${result}`,
      result,
      status: 'completed',
    });
    expect(emu.state.meetings.get(result)?.options).toEqual({
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

  test('updateMeeting', async () => {
    await docEmulator();
    emu.state.addMeeting({ meetId: '1234567', name: 'Old Name' });
    expect(await send('updateMeeting')).toEqual(docExample('updateMeeting').response);
    expect(emu.state.meetings.get('1234567')?.name).toBe('My New Name');
  });

  test('endMeeting', async () => {
    await docEmulator();
    emu.state.addMeeting({ meetId: '1234567', name: 'To end' });
    expect(await send('endMeeting')).toEqual(docExample('endMeeting').response);
    expect(emu.state.meetings.get('1234567')?.endedAt).toBeInstanceOf(Date);
  });

  test('addVerifiedGuest', async () => {
    await docEmulator();
    emu.state.addMeeting({ meetId: '7654321', name: 'Secure', requireVerification: true });
    expect(await send('addVerifiedGuest')).toEqual(docExample('addVerifiedGuest').response);
    const [guest] = emu.state.guestsOf('7654321');
    expect(guest).toMatchObject({
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
    });
    expect(guest?.key).toMatch(/^[a-z0-9]{12}$/);
  });

  test('updateVerifiedGuest', async () => {
    await docEmulator();
    emu.state.addMeeting({ meetId: '1234567', name: 'Secure', requireVerification: true });
    emu.state.addGuest({
      meetId: '1234567',
      guestName: 'John Doe',
      key: 'abcdef123456',
      permissions: ['chat'],
    });
    expect(await send('updateVerifiedGuest')).toEqual(docExample('updateVerifiedGuest').response);
    expect(emu.state.guests.get('abcdef123456')).toMatchObject({
      guestName: 'John Doe',
      permissions: ['webcam', 'microphone'],
    });
  });

  test('removeVerifiedGuest', async () => {
    await docEmulator();
    emu.state.addMeeting({ meetId: '1234567', name: 'Secure', requireVerification: true });
    emu.state.addGuest({ meetId: '1234567', guestName: 'John Doe', key: 'abcdef123456' });
    expect(await send('removeVerifiedGuest')).toEqual(docExample('removeVerifiedGuest').response);
    expect(emu.state.guests.has('abcdef123456')).toBe(false);
  });

  test('createLogin', async () => {
    await docEmulator();
    const body = await send('createLogin');
    const { result } = body.data.createLogin;
    expect(result).toMatch(/^[0-9a-f]{24}$/);
    expect(body.data.createLogin).toEqual({
      message: 'Login Created successfully!',
      result,
      status: 'completed',
    });
    expect(emu.state.logins.get(result)).toMatchObject({
      email: 'user@example.com',
      fullName: 'Example User',
      phoneNumber: '444-444-4444',
      roles: ['host'],
      active: 1,
    });
  });

  test('updateLogin', async () => {
    await docEmulator();
    emu.state.addLogin({ loginId: '602c8096f5403b091960f85f', email: 'user@example.com', fullName: 'Old' });
    expect(await send('updateLogin')).toEqual(docExample('updateLogin').response);
    expect(emu.state.logins.get('602c8096f5403b091960f85f')?.fullName).toBe('Example User');
  });

  test('deleteLogin', async () => {
    await docEmulator();
    emu.state.addLogin({ loginId: '602c8096f5403b091960f85f', email: 'user@example.com' });
    expect(await send('deleteLogin')).toEqual(docExample('deleteLogin').response);
    expect(emu.state.logins.has('602c8096f5403b091960f85f')).toBe(false);
  });

  test('createAPIToken', async () => {
    await docEmulator();
    const { apiToken: old } = emu.state.addLogin({
      loginId: '5de976394005813985e4325f',
      email: 'user@example.com',
    });
    expect(await send('createAPIToken')).toEqual(docExample('createAPIToken').response);
    const token = emu.state.tokenRecordOf('5de976394005813985e4325f')?.token;
    expect(token).toMatch(/^[A-Z0-9]{32}$/);
    expect(token).not.toBe(old);
  });

  test('revokeAPIToken', async () => {
    await docEmulator();
    emu.state.addLogin({ loginId: '5de976394005813985e4325f', email: 'user@example.com' });
    expect(await send('revokeAPIToken')).toEqual(docExample('revokeAPIToken').response);
    expect(emu.state.tokenRecordOf('5de976394005813985e4325f')).toBeUndefined();
  });

  test('userInvitation', async () => {
    await docEmulator();
    const { loginId } = emu.state.addLogin({ email: 'user@example.com' });
    expect(await send('userInvitation')).toEqual(docExample('userInvitation').response);
    expect(emu.state.invitations).toEqual([{ loginId, email: 'user@example.com', sentAt: expect.any(Date) }]);
  });

  test('login', async () => {
    await docEmulator();
    emu.state.addLogin({ loginId: '5de976394005813985e4325f', email: 'user@example.com', userName: 'user' });
    const body = await send('login');
    expect(body).toEqual({
      data: {
        login: {
          message: 'success',
          result: expect.stringMatching(
            /^https:\/\/myaccount\.megameeting\.com\/\?token=[A-Za-z0-9]+&u=user&skipSetting=true$/,
          ),
          status: '200',
        },
      },
    });
  });

  test('deleteRecording', async () => {
    await docEmulator({ accountId: '1234567890' });
    emu.state.addMeeting({ meetId: '1234567', name: 'Recorded' });
    emu.state.addRecording({ recId: '1234567890', meetId: '1234567' });
    expect(await send('deleteRecording')).toEqual(docExample('deleteRecording').response);
    expect(emu.state.recordings.size).toBe(0);
  });
});
