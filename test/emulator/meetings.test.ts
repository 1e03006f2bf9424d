/** Meeting lifecycle, date validation and verified guests. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { dataOf, errorCode, gql, lit } from './helpers.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
});
afterEach(async () => {
  await emu.close();
});

const RESULT = '{ message result status }';

async function create(fields: string): Promise<Awaited<ReturnType<typeof gql>>> {
  return gql(emu, `mutation { createMeeting(input: { ${fields} }) ${RESULT} }`);
}
async function createId(fields: string): Promise<string> {
  return dataOf(await create(fields), 'createMeeting').result;
}
const listed = async (): Promise<string[]> =>
  dataOf(await gql(emu, '{ meetings { edges { node { meetId } } } }'), 'meetings')[0].edges.map(
    (e: { node: { meetId: string } }) => e.node.meetId,
  );

describe('lifecycle', () => {
  test('meeting IDs are unique 7-digit strings', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add(await createId(`meetingName: "m${i}"`));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[1-9]\d{6}$/);
    expect(await listed()).toEqual([...ids]);
  });

  test('create → update → end: an ended meeting leaves meetings and cannot be changed', async () => {
    const id = await createId('meetingName: "Weekly" requireVerification: true');
    expect(emu.state.meetings.get(id)?.options.requireVerification).toBe(true);
    const upd = await gql(
      emu,
      `mutation { updateMeeting(input: { meetId: ${lit(id)} meetName: "Weekly sync" scheduledDateTime: "Mon Mar 11 2024 09:00:00 -0400" scheduledTimeZone: "EDT/UTC-04:00" endDateTime: "Mon Mar 11 2024 09:30:00 -0400" }) ${RESULT} }`,
    );
    expect(dataOf(upd, 'updateMeeting')).toEqual({
      message: 'Meeting updated',
      result: '1',
      status: 'completed',
    });
    expect(emu.state.meetings.get(id)).toMatchObject({
      name: 'Weekly sync',
      scheduledStart: new Date('2024-03-11T13:00:00Z'),
      scheduledEnd: new Date('2024-03-11T13:30:00Z'),
      scheduledTimeZone: 'EDT/UTC-04:00',
    });
    emu.state.addGuest({ meetId: id, guestName: 'Early guest' });

    const end = await gql(emu, `mutation { endMeeting(meetId: ${lit(id)}) ${RESULT} }`);
    expect(dataOf(end, 'endMeeting')).toEqual({ message: 'Meeting ended', result: '1', status: 'completed' });
    expect(await listed()).toEqual([]);
    const snap = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as {
      meetings: { meetId: string; ended: boolean }[];
    };
    expect(snap.meetings).toEqual([expect.objectContaining({ meetId: id, ended: true })]);

    for (const op of [
      `mutation { updateMeeting(input: { meetId: ${lit(id)} meetName: "again" }) ${RESULT} }`,
      `mutation { endMeeting(meetId: ${lit(id)}) ${RESULT} }`,
      `mutation { addVerifiedGuest(input: { meetId: ${lit(id)} guestName: "Late" }) ${RESULT} }`,
    ]) {
      const res = await gql(emu, op);
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect(res.body.errors[0].extensions.reason).toBe('MEETING_ENDED');
      expect(res.body.errors[0].message).toMatch(/ended/);
    }
    // Its guests can still be read (reports), but not changed.
    const guests = dataOf(
      await gql(emu, `{ getVerifiedGuest(meetId: ${lit(id)}) { guestName } }`),
      'getVerifiedGuest',
    );
    expect(guests).toEqual([{ guestName: 'Early guest' }]);
    expect(emu.state.meetings.get(id)?.name).toBe('Weekly sync');
  });

  test('unknown meeting IDs answer NOT_FOUND', async () => {
    for (const op of [
      `mutation { updateMeeting(input: { meetId: "9999999" meetName: "x" }) ${RESULT} }`,
      `mutation { endMeeting(meetId: "9999999") ${RESULT} }`,
      `mutation { addVerifiedGuest(input: { meetId: "9999999" guestName: "x" }) ${RESULT} }`,
      `mutation { updateVerifiedGuest(key: "abcdef123456", meetId: "9999999") ${RESULT} }`,
      `mutation { removeVerifiedGuest(key: "abcdef123456", meetId: "9999999") ${RESULT} }`,
      '{ getVerifiedGuest(meetId: "9999999") { key } }',
    ]) {
      expect([op, errorCode(await gql(emu, op))]).toEqual([op, 'NOT_FOUND']);
    }
  });

  test('an integer literal is accepted where an ID is expected', async () => {
    const id = await createId('meetingName: "n"');
    const res = await gql(emu, `mutation { endMeeting(meetId: ${id}) { status } }`);
    expect(dataOf(res, 'endMeeting').status).toBe('completed');
  });

  test('names must not be empty', async () => {
    expect(errorCode(await create('meetingName: ""'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create('meetingName: "   "'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create('disableVideo: true'))).toBe('BAD_USER_INPUT');
    const id = await createId('meetingName: "ok"');
    const res = await gql(
      emu,
      `mutation { updateMeeting(input: { meetId: ${lit(id)} meetName: "" }) ${RESULT} }`,
    );
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(emu.state.meetings.get(id)?.name).toBe('ok');
  });

  test('updateMeeting takes meetName, not meetingName (as documented)', async () => {
    const id = await createId('meetingName: "ok"');
    const res = await gql(
      emu,
      `mutation { updateMeeting(input: { meetId: ${lit(id)} meetingName: "x" }) ${RESULT} }`,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('dates', () => {
  const at = (start: string, end?: string, tz?: string) =>
    `meetingName: "d" scheduledDateTime: ${lit(start)}${end ? ` endDateTime: ${lit(end)}` : ''}${
      tz ? ` scheduledTimeZone: ${lit(tz)}` : ''
    }`;

  test.each([
    ['2021-02-12T10:00:00-06:00'],
    ['Fri Feb 12 2021 10:00:00 GMT-0600 (Central Standard Time)'],
    ['Fri Feb 12 2021 10:00:00'],
    ['Fri Feb 12 2021 10:00 -0600'],
    ['Fri Feb 2 2021 10:00:00 -0600'],
    ['Sat Feb 12 2021 10:00:00 -0600'],
    ['Sun Feb 30 2021 10:00:00 -0600'],
    ['Fri Feb 12 2021 24:00:00 -0600'],
    ['Fri Feb 12 2021 10:00:00 -1600'],
    ['fri feb 12 2021 10:00:00 -0600'],
    [''],
  ])('scheduledDateTime %j is refused with BAD_USER_INPUT', async (value) => {
    const res = await create(at(value));
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/scheduledDateTime/);
    expect(emu.state.meetings.size).toBe(0);
  });

  test('the end must come after the start, and needs one', async () => {
    const s = 'Fri Feb 12 2021 10:00:00 -0600';
    expect(errorCode(await create(at(s, 'Fri Feb 12 2021 09:59:59 -0600')))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create(at(s, s)))).toBe('BAD_USER_INPUT');
    // Same instant written in another offset is still not after the start.
    expect(errorCode(await create(at(s, 'Fri Feb 12 2021 11:00:00 -0500')))).toBe('BAD_USER_INPUT');
    expect(errorCode(await create(`meetingName: "d" endDateTime: ${lit(s)}`))).toBe('BAD_USER_INPUT');
    expect(emu.state.meetings.size).toBe(0);
    await createId(at(s, 'Fri Feb 12 2021 11:00:01 -0500'));
  });

  test('a scheduledTimeZone offset must agree with the scheduledDateTime offset', async () => {
    const res = await create(at('Sun Mar 10 2024 12:00:00 -0400', undefined, 'EST/UTC-05:00'));
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/scheduledTimeZone/);
    await createId(at('Sun Mar 10 2024 12:00:00 -0400', undefined, 'EDT/UTC-04:00'));
    await createId(at('Fri Feb 12 2021 15:30:00 +0530', 'Fri Feb 12 2021 16:00:00 +0530', 'IST/UTC+05:30'));
    await createId(at('Sun Apr 07 2024 02:30:00 +1000', undefined, 'AEST/UTC+10:00'));
    await createId(at('Fri Feb 12 2021 10:00:00 +0000', undefined, 'UTC'));
  });

  test('updateMeeting validates against the stored schedule and changes nothing on error', async () => {
    const id = await createId(
      at('Fri Feb 12 2021 10:00:00 -0600', 'Fri Feb 12 2021 11:00:00 -0600', 'CST/UTC-06:00'),
    );
    const bad = await gql(
      emu,
      `mutation { updateMeeting(input: { meetId: ${lit(id)} meetName: "new" endDateTime: "Fri Feb 12 2021 09:00:00 -0600" }) ${RESULT} }`,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(emu.state.meetings.get(id)).toMatchObject({
      name: 'd',
      endDateTime: 'Fri Feb 12 2021 11:00:00 -0600',
    });
    const good = await gql(
      emu,
      `mutation { updateMeeting(input: { meetId: ${lit(id)} endDateTime: "Fri Feb 12 2021 12:00:00 -0600" }) ${RESULT} }`,
    );
    expect(dataOf(good, 'updateMeeting').status).toBe('completed');
    expect(emu.state.meetings.get(id)?.scheduledEnd).toEqual(new Date('2021-02-12T18:00:00Z'));
  });
});

describe('verified guests', () => {
  let meetId: string;
  beforeEach(async () => {
    meetId = await createId('meetingName: "Clinic" requireVerification: true');
  });
  const guests = async () =>
    dataOf(
      await gql(emu, `{ getVerifiedGuest(meetId: ${lit(meetId)}) { guestName key meetingLink } }`),
      'getVerifiedGuest',
    );

  test('add, list, update, remove', async () => {
    const add = await gql(
      emu,
      `mutation { addVerifiedGuest(input: { meetId: ${lit(meetId)} guestName: "Pat" email: "pat@example.com" permissions: [webcam, microphone, moderator] }) ${RESULT} }`,
    );
    expect(dataOf(add, 'addVerifiedGuest')).toEqual({
      message: 'Records added successfully',
      result: '1',
      status: 'completed',
    });
    const [g] = await guests();
    expect(g).toEqual({
      guestName: 'Pat',
      key: expect.stringMatching(/^[a-z0-9]{12}$/),
      meetingLink: `${emu.url}/meeting/?key=${g.key}`,
    });
    expect(emu.state.guests.get(g.key)?.permissions).toEqual(['webcam', 'microphone', 'moderator']);

    const upd = await gql(
      emu,
      `mutation { updateVerifiedGuest(key: ${lit(g.key)}, meetId: ${lit(meetId)}, permissions: [chat], guestName: "Pat Doe") ${RESULT} }`,
    );
    expect(dataOf(upd, 'updateVerifiedGuest').message).toBe('Record updated successfully');
    expect(emu.state.guests.get(g.key)).toMatchObject({ guestName: 'Pat Doe', permissions: ['chat'] });
    expect((await guests())[0].key).toBe(g.key);

    const rm = await gql(
      emu,
      `mutation { removeVerifiedGuest(key: ${lit(g.key)}, meetId: ${lit(meetId)}) ${RESULT} }`,
    );
    expect(dataOf(rm, 'removeVerifiedGuest').message).toBe('Removed successfully');
    expect(await guests()).toEqual([]);
    const again = await gql(
      emu,
      `mutation { removeVerifiedGuest(key: ${lit(g.key)}, meetId: ${lit(meetId)}) ${RESULT} }`,
    );
    expect(errorCode(again)).toBe('NOT_FOUND');
  });

  test('keys are unique per guest; a key from another meeting is NOT_FOUND', async () => {
    for (let i = 0; i < 20; i++) emu.state.addGuest({ meetId, guestName: `g${i}` });
    const keys = (await guests()).map((g: { key: string }) => g.key);
    expect(new Set(keys).size).toBe(20);
    const other = await createId('meetingName: "Other"');
    const res = await gql(
      emu,
      `mutation { removeVerifiedGuest(key: ${lit(keys[0])}, meetId: ${lit(other)}) ${RESULT} }`,
    );
    expect(errorCode(res)).toBe('NOT_FOUND');
  });

  test('bad guest input', async () => {
    const add = (fields: string) =>
      gql(emu, `mutation { addVerifiedGuest(input: { meetId: ${lit(meetId)} ${fields} }) ${RESULT} }`);
    expect(errorCode(await add('guestName: ""'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add('email: "a@b.co"'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add('guestName: "x" email: "not-an-email"'))).toBe('BAD_USER_INPUT');
    const badEnum = await add('guestName: "x" permissions: [camera]');
    expect(badEnum.status).toBe(400);
    expect(badEnum.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const quoted = await add('guestName: "x" permissions: ["webcam"]');
    expect(quoted.status).toBe(400);
    expect(await guests()).toEqual([]);
  });

  test('guests can be added to any meeting, not only secure ones', async () => {
    const open = await createId('meetingName: "Open"');
    const res = await gql(
      emu,
      `mutation { addVerifiedGuest(input: { meetId: ${lit(open)} guestName: "V" }) ${RESULT} }`,
    );
    expect(dataOf(res, 'addVerifiedGuest').status).toBe('completed');
  });
});

describe('logins', () => {
  test('createLogin: roles, duplicates, invalid email, licenses', async () => {
    const mk = (input: string) => gql(emu, `mutation { createLogin(input: { ${input} }) ${RESULT} }`);
    const admin = dataOf(
      await mk('email: "boss@example.com" roles: { admin: true, host: true }'),
      'createLogin',
    );
    expect(emu.state.logins.get(admin.result)?.roles).toEqual(['admin', 'host']);
    const dup = dataOf(await mk('email: "BOSS@example.com"'), 'createLogin');
    expect(dup).toEqual({ message: expect.stringMatching(/already exists/), result: null, status: 'failed' });
    expect(errorCode(await mk('email: "nope"'))).toBe('BAD_USER_INPUT');
    expect((await mk('fullName: "no email"')).status).toBe(400);
    emu.state.licenses = 3;
    expect(dataOf(await mk('email: "three@example.com"'), 'createLogin').status).toBe('completed');
    const full = dataOf(await mk('email: "four@example.com"'), 'createLogin');
    expect(full).toEqual({ message: expect.stringMatching(/licen/i), result: null, status: 'failed' });
    // deleting a login frees its license
    dataOf(
      await gql(emu, `mutation { deleteLogin(loginId: ${lit(admin.result)}) { status } }`),
      'deleteLogin',
    );
    expect(dataOf(await mk('email: "four@example.com"'), 'createLogin').status).toBe('completed');
  });

  test('logins lists them with active as an Int and roles as a comma string', async () => {
    const { loginId } = emu.state.addLogin({ email: 'h@example.com', fullName: 'H', roles: ['host'] });
    const res = await gql(
      emu,
      '{ logins { edges { node { loginId email fullName active roles userName } } } }',
    );
    expect(dataOf(res, 'logins')).toEqual([
      {
        edges: [
          {
            node: {
              loginId: emu.adminLoginId,
              email: 'owner@example.com',
              fullName: 'Account Owner',
              active: 1,
              roles: 'owner,admin,host',
              userName: 'owner',
            },
          },
          {
            node: { loginId, email: 'h@example.com', fullName: 'H', active: 1, roles: 'host', userName: 'h' },
          },
        ],
      },
    ]);
  });

  test('updateLogin: fields, duplicate email, unknown login, owner keeps its roles', async () => {
    const a = emu.state.addLogin({ email: 'a@example.com' });
    emu.state.addLogin({ email: 'b@example.com' });
    const upd = (input: string) => gql(emu, `mutation { updateLogin(input: { ${input} }) ${RESULT} }`);
    expect(
      dataOf(
        await upd(
          `loginId: ${lit(a.loginId)} email: "a2@example.com" phoneNumber: "1" roles: { admin: true }`,
        ),
        'updateLogin',
      ),
    ).toEqual({ message: 'Details updated successfully!', result: '1', status: 'completed' });
    expect(emu.state.logins.get(a.loginId)).toMatchObject({
      email: 'a2@example.com',
      phoneNumber: '1',
      roles: ['admin'],
    });
    expect(dataOf(await upd(`loginId: ${lit(a.loginId)} email: "b@example.com"`), 'updateLogin').status).toBe(
      'failed',
    );
    expect(errorCode(await upd(`loginId: ${lit(a.loginId)} email: "bad"`))).toBe('BAD_USER_INPUT');
    expect(errorCode(await upd('loginId: "000000000000000000000000" fullName: "x"'))).toBe('NOT_FOUND');
    await upd(`loginId: ${lit(emu.adminLoginId)} roles: { host: true, admin: false }`);
    expect(emu.state.logins.get(emu.adminLoginId)?.roles).toEqual(['owner', 'admin', 'host']);
  });

  test('deleteLogin refuses the owner and unknown logins', async () => {
    const own = await gql(emu, `mutation { deleteLogin(loginId: ${lit(emu.adminLoginId)}) ${RESULT} }`);
    expect(dataOf(own, 'deleteLogin')).toMatchObject({ status: 'failed' });
    expect(errorCode(await gql(emu, `mutation { deleteLogin(loginId: "nobody") ${RESULT} }`))).toBe(
      'NOT_FOUND',
    );
  });

  test('unknown loginIds are NOT_FOUND for every login operation', async () => {
    for (const op of [
      'mutation { createAPIToken(loginId: "nobody") { status } }',
      'mutation { revokeAPIToken(loginId: "nobody") { status } }',
      'mutation { login(loginId: "nobody") { status } }',
      'mutation { userInvitation(loginId: "nobody") { status } }',
      '{ apiTokenDetails(loginId: "nobody") { apiToken } }',
    ]) {
      expect([op, errorCode(await gql(emu, op))]).toEqual([op, 'NOT_FOUND']);
    }
  });

  test('revokeAPIToken of a login without a token answers status failed', async () => {
    const a = emu.state.addLogin({ email: 'a@example.com' });
    const op = `mutation { revokeAPIToken(loginId: ${lit(a.loginId)}) ${RESULT} }`;
    expect(dataOf(await gql(emu, op), 'revokeAPIToken').status).toBe('completed');
    expect(dataOf(await gql(emu, op), 'revokeAPIToken')).toMatchObject({ status: 'failed' });
  });

  test('userInvitation by email or loginId', async () => {
    const a = emu.state.addLogin({ email: 'a@example.com' });
    const inv = (args: string) => gql(emu, `mutation { userInvitation(${args}) ${RESULT} }`);
    expect(dataOf(await inv('email: "A@example.com"'), 'userInvitation').message).toBe(
      'Email sent successfully',
    );
    expect(dataOf(await inv(`loginId: ${lit(a.loginId)}`), 'userInvitation').status).toBe('completed');
    expect(errorCode(await inv('email: "nobody@example.com"'))).toBe('NOT_FOUND');
    expect(errorCode(await inv('email: "not an email"'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await inv(`email: "a@example.com", loginId: ${lit(emu.adminLoginId)}`))).toBe(
      'BAD_USER_INPUT',
    );
    expect((await inv('')).status).toBe(400);
    expect(emu.state.invitations.map((i) => i.loginId)).toEqual([a.loginId, a.loginId]);
  });

  test('login answers a one-time URL that logs in once', async () => {
    const a = emu.state.addLogin({ email: 'ana.b@example.com', userName: 'ana.b' });
    const res = dataOf(await gql(emu, `mutation { login(loginId: ${lit(a.loginId)}) ${RESULT} }`), 'login');
    expect(res).toEqual({
      message: 'success',
      result: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9]{40}&u=ana\.b&skipSetting=true$/,
      ),
      status: '200',
    });
    const first = await fetch(res.result);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('ana.b');
    expect((await fetch(res.result)).status).toBe(410);
  });
});
