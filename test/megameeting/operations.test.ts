import {
  type ArgumentNode,
  type FieldNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { MegaMeetingError } from '../../src/megameeting/errors.js';
import {
  bool,
  enumValue,
  list,
  type Operation,
  obj,
  operations,
  printOperation,
  str,
} from '../../src/megameeting/operations.js';
import { GUEST_PERMISSIONS, type GuestPermission } from '../../src/megameeting/types.js';

/** Re-parses the printed text, as a server would, and returns its single operation and root field. */
function reparse(op: Operation): { def: OperationDefinitionNode; root: FieldNode; text: string } {
  const text = printOperation(op);
  const doc = parse(text);
  expect(doc.definitions).toHaveLength(1);
  const def = doc.definitions[0] as OperationDefinitionNode;
  expect(def.kind).toBe(Kind.OPERATION_DEFINITION);
  expect(def.variableDefinitions ?? []).toHaveLength(0);
  expect(def.selectionSet.selections).toHaveLength(1);
  const root = def.selectionSet.selections[0] as FieldNode;
  return { def, root, text };
}

/** The arguments as plain JS values; enum values come back as their names. */
function args(root: FieldNode): Record<string, unknown> {
  return Object.fromEntries(
    (root.arguments ?? []).map((a: ArgumentNode) => [a.name.value, valueFromASTUntyped(a.value)]),
  );
}

function argNode(root: FieldNode, name: string): ValueNode | undefined {
  return root.arguments?.find((a) => a.name.value === name)?.value;
}

const HOSTILE = [
  'He said "hi"',
  'back\\slash \\" \\\\',
  'line1\nline2\r\nline3\ttab',
  '") { status } } mutation { deleteLogin(loginId: "x") { status } }',
  '""" block """',
  '# comment\n}',
  'emoji 🎉👩🏽‍💻 and ünïcödé',
  '\u0000\u0001\u001f\u007f control',
  'x'.repeat(10_000),
];

describe('documented shapes', () => {
  test('meetings: a connection query, no arguments', () => {
    const { def, text } = reparse(operations.meetings());
    expect(def.operation).toBe('query');
    expect(text.replace(/\s+/g, ' ')).toBe('{ meetings { edges { node { meetId name } } } }');
  });

  test('logins: a connection query with the documented fields', () => {
    const { text } = reparse(operations.logins());
    expect(text.replace(/\s+/g, ' ')).toBe(
      '{ logins { edges { node { userName loginId email fullName active roles } } } }',
    );
  });

  test('recordings', () => {
    const { text } = reparse(operations.recordings());
    expect(text.replace(/\s+/g, ' ')).toBe(
      '{ recordings { accId alId recId meetId recPackage recPlay recCreateDateTime remuxStatus } }',
    );
  });

  test('startRemux is a query with an input object', () => {
    const op = operations.startRemux({
      accountId: '61216bddfe32733c86597a5c',
      loginId: '5d93bc02ebf54f60016c5480',
      meetId: '8626345',
      recordingId: '59216bccfe32133c86597a6b',
    });
    expect(op.type).toBe('query');
    const { def, root } = reparse(op);
    expect(def.operation).toBe('query');
    expect(root.name.value).toBe('startRemux');
    expect(args(root)).toEqual({
      input: {
        accountId: '61216bddfe32733c86597a5c',
        loginId: '5d93bc02ebf54f60016c5480',
        meetId: '8626345',
        recordingId: '59216bccfe32133c86597a6b',
      },
    });
    expect(root.selectionSet?.selections.map((s) => (s as FieldNode).name.value)).toEqual([
      'status',
      'message',
      'result',
    ]);
  });

  test('apiTokenDetails and getVerifiedGuest take top-level IDs as strings', () => {
    const a = reparse(operations.apiTokenDetails('5cc8525555555547431600d0'));
    expect(args(a.root)).toEqual({ loginId: '5cc8525555555547431600d0' });
    const g = reparse(operations.getVerifiedGuest('7654321'));
    expect(g.def.operation).toBe('query');
    expect(g.root.name.value).toBe('getVerifiedGuest');
    expect(argNode(g.root, 'meetId')?.kind).toBe(Kind.STRING);
  });

  test('IDs given as numbers are still sent as strings', () => {
    const { root } = reparse(operations.endMeeting(1234567 as unknown as string));
    expect(argNode(root, 'meetId')).toMatchObject({ kind: Kind.STRING, value: '1234567' });
  });

  test('createMeeting: meetingName, documented options, only what is given', () => {
    const { def, root } = reparse(
      operations.createMeeting({
        meetingName: 'API Webinar Test',
        scheduledDateTime: 'Tue Nov 24 2020 12:30:00 -0600',
        scheduledTimeZone: 'CST/UTC-06:00',
        endDateTime: 'Tue Nov 24 2020 14:00:00 -0600',
        loginId: '5de976394005813985e4325f',
        enableRegistration: true,
        disableVideo: true,
        disableAudio: false,
        requireVerification: true,
      }),
    );
    expect(def.operation).toBe('mutation');
    expect(args(root)).toEqual({
      input: {
        meetingName: 'API Webinar Test',
        scheduledDateTime: 'Tue Nov 24 2020 12:30:00 -0600',
        scheduledTimeZone: 'CST/UTC-06:00',
        endDateTime: 'Tue Nov 24 2020 14:00:00 -0600',
        loginId: '5de976394005813985e4325f',
        requireVerification: true,
        enableRegistration: true,
        disableVideo: true,
        disableAudio: false,
      },
    });
    expect(root.selectionSet?.selections.map((s) => (s as FieldNode).name.value)).toEqual([
      'message',
      'result',
      'status',
    ]);
    const minimal = reparse(operations.createMeeting({ meetingName: 'x' }));
    expect(args(minimal.root)).toEqual({ input: { meetingName: 'x' } });
  });

  test('updateMeeting: meetName, not meetingName', () => {
    const { root } = reparse(operations.updateMeeting({ meetId: '1234567', meetName: 'My New Name' }));
    expect(args(root)).toEqual({ input: { meetId: '1234567', meetName: 'My New Name' } });
  });

  test('addVerifiedGuest: input object with permission enum values', () => {
    const { root, text } = reparse(
      operations.addVerifiedGuest({
        meetId: '7654321',
        guestName: 'John Doe',
        email: 'johndoe@domain.com',
        permissions: ['webcam', 'microphone', 'screenSharing', 'moderator'],
      }),
    );
    expect(args(root)).toEqual({
      input: {
        meetId: '7654321',
        guestName: 'John Doe',
        email: 'johndoe@domain.com',
        permissions: ['webcam', 'microphone', 'screenSharing', 'moderator'],
      },
    });
    expect(text).toContain('[webcam, microphone, screenSharing, moderator]');
    const input = argNode(root, 'input');
    const perms =
      input?.kind === Kind.OBJECT ? input.fields.find((f) => f.name.value === 'permissions') : undefined;
    expect(perms?.value.kind).toBe(Kind.LIST);
    if (perms?.value.kind === Kind.LIST)
      expect(perms.value.values.every((v) => v.kind === Kind.ENUM)).toBe(true);
  });

  test('updateVerifiedGuest / removeVerifiedGuest: top-level key, meetId, permissions', () => {
    const u = reparse(
      operations.updateVerifiedGuest({
        key: 'abcdef123456',
        meetId: '1234567',
        permissions: ['webcam', 'microphone'],
      }),
    );
    expect(args(u.root)).toEqual({
      key: 'abcdef123456',
      meetId: '1234567',
      permissions: ['webcam', 'microphone'],
    });
    const r = reparse(operations.removeVerifiedGuest({ key: 'abcdef123456', meetId: '1234567' }));
    expect(args(r.root)).toEqual({ key: 'abcdef123456', meetId: '1234567' });
  });

  test('createLogin: roles object, host by default', () => {
    const c = reparse(
      operations.createLogin({
        email: 'user@example.com',
        fullName: 'Example User',
        roles: { host: true },
        phoneNumber: '444-444-4444',
      }),
    );
    expect(args(c.root)).toEqual({
      input: {
        email: 'user@example.com',
        fullName: 'Example User',
        roles: { host: true },
        phoneNumber: '444-444-4444',
      },
    });
    const d = reparse(operations.createLogin({ email: 'user@example.com' }));
    expect(args(d.root)).toEqual({ input: { email: 'user@example.com', roles: { host: true } } });
  });

  test('updateLogin / deleteLogin / createAPIToken / revokeAPIToken / login', () => {
    expect(args(reparse(operations.updateLogin({ loginId: 'L1', fullName: 'Example User' })).root)).toEqual({
      input: { loginId: 'L1', fullName: 'Example User' },
    });
    for (const op of [
      operations.deleteLogin,
      operations.createAPIToken,
      operations.revokeAPIToken,
      operations.login,
    ]) {
      const { def, root } = reparse(op('5de976394005813985e4325f'));
      expect(def.operation).toBe('mutation');
      expect(args(root)).toEqual({ loginId: '5de976394005813985e4325f' });
    }
  });

  test('userInvitation sends email', () => {
    expect(args(reparse(operations.userInvitation('user@example.com')).root)).toEqual({
      email: 'user@example.com',
    });
  });

  test('deleteRecording takes recId and accId', () => {
    expect(
      args(reparse(operations.deleteRecording({ recId: '1234567890', accId: '0987654321' })).root),
    ).toEqual({
      recId: '1234567890',
      accId: '0987654321',
    });
  });

  test('every mutation is a mutation, every query a query', () => {
    const queries = ['meetings', 'logins', 'recordings', 'startRemux', 'apiTokenDetails', 'getVerifiedGuest'];
    const built: Operation[] = [
      operations.meetings(),
      operations.logins(),
      operations.recordings(),
      operations.startRemux({ accountId: 'a', loginId: 'l', meetId: 'm', recordingId: 'r' }),
      operations.apiTokenDetails('l'),
      operations.getVerifiedGuest('m'),
      operations.createMeeting({ meetingName: 'n' }),
      operations.updateMeeting({ meetId: 'm' }),
      operations.endMeeting('m'),
      operations.addVerifiedGuest({ meetId: 'm', guestName: 'g', email: 'e@x.y', permissions: [] }),
      operations.updateVerifiedGuest({ meetId: 'm', key: 'k' }),
      operations.removeVerifiedGuest({ meetId: 'm', key: 'k' }),
      operations.createLogin({ email: 'e@x.y' }),
      operations.updateLogin({ loginId: 'l' }),
      operations.deleteLogin('l'),
      operations.createAPIToken('l'),
      operations.revokeAPIToken('l'),
      operations.userInvitation('e@x.y'),
      operations.login('l'),
      operations.deleteRecording({ recId: 'r', accId: 'a' }),
    ];
    expect(built).toHaveLength(20);
    for (const op of built) {
      const { def, root } = reparse(op);
      expect(root.name.value).toBe(op.name);
      expect(def.operation).toBe(queries.includes(op.name) ? 'query' : 'mutation');
    }
  });
});

describe('hostile strings cannot change an operation', () => {
  test.each(HOSTILE.map((s) => [s.length > 60 ? `${s.slice(0, 20)}… (${s.length})` : s, s]))(
    'meeting name %j round-trips and stays one createMeeting',
    (_label, name) => {
      const { def, root } = reparse(operations.createMeeting({ meetingName: name as string }));
      expect(def.operation).toBe('mutation');
      expect(root.name.value).toBe('createMeeting');
      expect(args(root)).toEqual({ input: { meetingName: name } });
    },
  );

  test.each(HOSTILE.map((s) => [s.slice(0, 30), s]))('guest name and email %j round-trip', (_label, s) => {
    const { root } = reparse(
      operations.addVerifiedGuest({
        meetId: s as string,
        guestName: s as string,
        email: s as string,
        permissions: ['chat'],
      }),
    );
    expect(root.name.value).toBe('addVerifiedGuest');
    expect(args(root)).toEqual({ input: { meetId: s, guestName: s, email: s, permissions: ['chat'] } });
    const u = reparse(
      operations.updateVerifiedGuest({ meetId: '1', key: s as string, guestName: s as string }),
    );
    expect(args(u.root)).toEqual({ key: s, meetId: '1', guestName: s });
  });

  test('printed text contains no raw newline or unescaped quote from user text', () => {
    const text = printOperation(operations.updateMeeting({ meetId: '1', meetName: 'a"b\nc\\d' }));
    expect(text).toContain('"a\\"b\\nc\\\\d"');
  });

  test('unknown permissions are refused before anything is printed', () => {
    const bad = [
      'webcam',
      'chat } mutation { deleteLogin(loginId: "x") { status } }',
    ] as unknown as GuestPermission[];
    expect(() =>
      operations.addVerifiedGuest({ meetId: '1', guestName: 'g', email: 'e', permissions: bad }),
    ).toThrow(MegaMeetingError);
    expect(() =>
      operations.updateVerifiedGuest({ meetId: '1', key: 'k', permissions: ['WEBCAM' as GuestPermission] }),
    ).toThrow(/unknown permission/);
  });

  test('all documented permissions are accepted, duplicates dropped', () => {
    const { root } = reparse(
      operations.addVerifiedGuest({
        meetId: '1',
        guestName: 'g',
        email: 'e',
        permissions: [...GUEST_PERMISSIONS, 'webcam'],
      }),
    );
    expect((args(root).input as { permissions: string[] }).permissions).toEqual([...GUEST_PERMISSIONS]);
  });
});

describe('input checks', () => {
  test.each([
    ['createMeeting without a name', () => operations.createMeeting({ meetingName: '  ' })],
    ['endMeeting without an ID', () => operations.endMeeting('')],
    ['deleteLogin with an object', () => operations.deleteLogin({} as unknown as string)],
    [
      'createMeeting with a non-boolean flag',
      () => operations.createMeeting({ meetingName: 'x', enableRegistration: 'yes' as unknown as boolean }),
    ],
    [
      'addVerifiedGuest without permissions',
      () => operations.addVerifiedGuest({ meetId: '1', guestName: 'g', email: 'e' } as never),
    ],
    [
      'startRemux without recordingId',
      () => operations.startRemux({ accountId: 'a', loginId: 'l', meetId: 'm' } as never),
    ],
  ])('%s → invalid_input naming the operation', (_label, build) => {
    try {
      build();
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(MegaMeetingError);
      expect((e as MegaMeetingError).code).toBe('invalid_input');
      expect((e as MegaMeetingError).message).toMatch(/^MegaMeeting \w+ failed/);
    }
  });
});

/** The message of the MegaMeetingError `build` throws (fails the test when it throws anything else). */
function refusal(build: () => unknown): string {
  let thrown: unknown;
  try {
    build();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(MegaMeetingError);
  expect((thrown as MegaMeetingError).code).toBe('invalid_input');
  return (thrown as MegaMeetingError).message;
}

describe('every field reaches the wire under its documented name', () => {
  test('createMeeting with every documented option', () => {
    const { root } = reparse(
      operations.createMeeting({
        meetingName: 'All options',
        scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
        scheduledTimeZone: 'CST/UTC-06:00',
        endDateTime: 'Fri Feb 12 2021 11:00:00 -0600',
        loginId: 'L1',
        requireVerification: false,
        enableRegistration: false,
        disableVideo: false,
        disableAudio: true,
        disableScreen: true,
        disableFileUpload: false,
        disableWebVideoPlayer: true,
        enableRestrictedUserList: true,
        enableRestrictedChat: false,
      }),
    );
    expect(args(root)).toEqual({
      input: {
        meetingName: 'All options',
        scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
        scheduledTimeZone: 'CST/UTC-06:00',
        endDateTime: 'Fri Feb 12 2021 11:00:00 -0600',
        loginId: 'L1',
        requireVerification: false,
        enableRegistration: false,
        disableVideo: false,
        disableAudio: true,
        disableScreen: true,
        disableFileUpload: false,
        disableWebVideoPlayer: true,
        enableRestrictedUserList: true,
        enableRestrictedChat: false,
      },
    });
  });

  test('updateMeeting with every field; null optional fields are left out', () => {
    const full = reparse(
      operations.updateMeeting({
        meetId: '1234567',
        meetName: 'Renamed',
        scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
        scheduledTimeZone: 'CST/UTC-06:00',
        endDateTime: 'Fri Feb 12 2021 11:00:00 -0600',
      }),
    );
    expect(args(full.root)).toEqual({
      input: {
        meetId: '1234567',
        meetName: 'Renamed',
        scheduledDateTime: 'Fri Feb 12 2021 10:00:00 -0600',
        scheduledTimeZone: 'CST/UTC-06:00',
        endDateTime: 'Fri Feb 12 2021 11:00:00 -0600',
      },
    });
    const nulls = reparse(
      operations.updateMeeting({ meetId: '1234567', meetName: null, endDateTime: null } as never),
    );
    expect(printOperation(operations.updateMeeting({ meetId: '1' }))).not.toContain('meetName');
    expect(args(nulls.root)).toEqual({ input: { meetId: '1234567' } });
  });

  test('createMeeting: null optional switches and roles fields are left out, like absent ones', () => {
    const { root } = reparse(
      operations.createMeeting({
        meetingName: 'Sync',
        requireVerification: null,
        disableVideo: null,
        enableRestrictedChat: false,
      } as never),
    );
    expect(args(root)).toEqual({ input: { meetingName: 'Sync', enableRestrictedChat: false } });
    const login = reparse(
      operations.createLogin({ email: 'e@x.y', roles: { host: null, admin: true } } as never),
    );
    expect(args(login.root)).toEqual({ input: { email: 'e@x.y', roles: { admin: true } } });
  });

  test('optional IDs and texts given as numbers are sent as strings', () => {
    const { root } = reparse(
      operations.updateMeeting({ meetId: 1234567, meetName: 42 } as unknown as { meetId: string }),
    );
    expect(argNode(root, 'input')).toMatchObject({
      kind: Kind.OBJECT,
      fields: [
        { name: { value: 'meetId' }, value: { kind: Kind.STRING, value: '1234567' } },
        { name: { value: 'meetName' }, value: { kind: Kind.STRING, value: '42' } },
      ],
    });
  });

  test('createLogin with a password and explicit roles; null roles still make a host', () => {
    const { root } = reparse(
      operations.createLogin({
        email: 'admin@example.com',
        fullName: 'An Admin',
        phoneNumber: '555-0100',
        password: 's3cret pass',
        roles: { host: false, admin: true },
      }),
    );
    expect(args(root)).toEqual({
      input: {
        email: 'admin@example.com',
        fullName: 'An Admin',
        roles: { host: false, admin: true },
        phoneNumber: '555-0100',
        password: 's3cret pass',
      },
    });
    const nullRoles = reparse(operations.createLogin({ email: 'e@x.y', roles: null } as never));
    expect(args(nullRoles.root)).toEqual({ input: { email: 'e@x.y', roles: { host: true } } });
  });

  test('updateLogin with every field; without roles none are sent', () => {
    const { root } = reparse(
      operations.updateLogin({
        loginId: 'L1',
        email: 'new@example.com',
        fullName: 'New Name',
        phoneNumber: '555-0101',
        roles: { admin: false },
      }),
    );
    expect(args(root)).toEqual({
      input: {
        loginId: 'L1',
        email: 'new@example.com',
        fullName: 'New Name',
        roles: { admin: false },
        phoneNumber: '555-0101',
      },
    });
    expect(args(reparse(operations.updateLogin({ loginId: 'L1', roles: null } as never)).root)).toEqual({
      input: { loginId: 'L1' },
    });
  });

  test('updateVerifiedGuest with a new name, and with no permissions at all', () => {
    const { root, text } = reparse(
      operations.updateVerifiedGuest({ key: 'k1', meetId: '7654321', guestName: 'Jane Roe' }),
    );
    expect(args(root)).toEqual({ key: 'k1', meetId: '7654321', guestName: 'Jane Roe' });
    expect(text).not.toContain('permissions');
    const cleared = reparse(operations.updateVerifiedGuest({ key: 'k1', meetId: '1', permissions: [] }));
    expect(args(cleared.root)).toEqual({ key: 'k1', meetId: '1', permissions: [] });
  });

  test('a guest added with an empty permission list is sent an empty list', () => {
    const { root } = reparse(
      operations.addVerifiedGuest({ meetId: '1', guestName: 'g', email: 'e@x.y', permissions: [] }),
    );
    expect(args(root)).toEqual({ input: { meetId: '1', guestName: 'g', email: 'e@x.y', permissions: [] } });
  });

  test('the selections of apiTokenDetails and getVerifiedGuest', () => {
    expect(printOperation(operations.apiTokenDetails('L1')).replace(/\s+/g, ' ')).toBe(
      '{ apiTokenDetails(loginId: "L1") { domain apiToken createdAt lastUsed } }',
    );
    expect(printOperation(operations.getVerifiedGuest('7654321')).replace(/\s+/g, ' ')).toBe(
      '{ getVerifiedGuest(meetId: "7654321") { guestName key meetingLink } }',
    );
    expect(printOperation(operations.endMeeting('7654321')).replace(/\s+/g, ' ')).toBe(
      'mutation { endMeeting(meetId: "7654321") { message result status } }',
    );
  });
});

describe('refusals name the operation and the field', () => {
  test.each<[string, string, () => unknown]>([
    [
      'startRemux',
      'accountId is required',
      () => operations.startRemux({ loginId: 'l', meetId: 'm', recordingId: 'r' } as never),
    ],
    [
      'startRemux',
      'loginId is required',
      () => operations.startRemux({ accountId: 'a', meetId: 'm', recordingId: 'r' } as never),
    ],
    [
      'startRemux',
      'meetId is required',
      () => operations.startRemux({ accountId: 'a', loginId: 'l', recordingId: 'r' } as never),
    ],
    [
      'startRemux',
      'recordingId is required',
      () => operations.startRemux({ accountId: 'a', loginId: 'l', meetId: 'm' } as never),
    ],
    ['apiTokenDetails', 'loginId is required', () => operations.apiTokenDetails('')],
    ['getVerifiedGuest', 'meetId is required', () => operations.getVerifiedGuest(' ')],
    ['createMeeting', 'meetingName is required', () => operations.createMeeting({ meetingName: '' })],
    ['updateMeeting', 'meetId is required', () => operations.updateMeeting({ meetId: '' })],
    ['endMeeting', 'meetId is required', () => operations.endMeeting('\t')],
    [
      'addVerifiedGuest',
      'meetId is required',
      () => operations.addVerifiedGuest({ guestName: 'g', email: 'e', permissions: [] } as never),
    ],
    [
      'addVerifiedGuest',
      'guestName is required',
      () => operations.addVerifiedGuest({ meetId: '1', email: 'e', permissions: [] } as never),
    ],
    [
      'addVerifiedGuest',
      'email is required',
      () => operations.addVerifiedGuest({ meetId: '1', guestName: 'g', permissions: [] } as never),
    ],
    [
      'addVerifiedGuest',
      'permissions are required',
      () =>
        operations.addVerifiedGuest({ meetId: '1', guestName: 'g', email: 'e', permissions: null } as never),
    ],
    [
      'updateVerifiedGuest',
      'key is required',
      () => operations.updateVerifiedGuest({ meetId: '1' } as never),
    ],
    [
      'updateVerifiedGuest',
      'meetId is required',
      () => operations.updateVerifiedGuest({ key: 'k' } as never),
    ],
    [
      'removeVerifiedGuest',
      'key is required',
      () => operations.removeVerifiedGuest({ meetId: '1' } as never),
    ],
    [
      'removeVerifiedGuest',
      'meetId is required',
      () => operations.removeVerifiedGuest({ key: 'k' } as never),
    ],
    ['createLogin', 'email is required', () => operations.createLogin({} as never)],
    ['updateLogin', 'loginId is required', () => operations.updateLogin({} as never)],
    ['deleteLogin', 'loginId is required', () => operations.deleteLogin('')],
    ['createAPIToken', 'loginId is required', () => operations.createAPIToken('')],
    ['revokeAPIToken', 'loginId is required', () => operations.revokeAPIToken('')],
    ['userInvitation', 'email is required', () => operations.userInvitation('')],
    ['login', 'loginId is required', () => operations.login('')],
    ['deleteRecording', 'recId is required', () => operations.deleteRecording({ accId: 'a' } as never)],
    ['deleteRecording', 'accId is required', () => operations.deleteRecording({ recId: 'r' } as never)],
  ])('%s: %s', (opName, detail, build) => {
    expect(refusal(build)).toBe(`MegaMeeting ${opName} failed [invalid_input]: ${detail}`);
  });

  test.each<[string, () => unknown]>([
    ['startRemux', () => operations.startRemux(undefined as never)],
    ['createMeeting', () => operations.createMeeting(undefined as never)],
    ['updateMeeting', () => operations.updateMeeting(undefined as never)],
    ['addVerifiedGuest', () => operations.addVerifiedGuest(undefined as never)],
    ['updateVerifiedGuest', () => operations.updateVerifiedGuest(undefined as never)],
    ['removeVerifiedGuest', () => operations.removeVerifiedGuest(undefined as never)],
    ['createLogin', () => operations.createLogin(undefined as never)],
    ['updateLogin', () => operations.updateLogin(undefined as never)],
    ['deleteRecording', () => operations.deleteRecording(undefined as never)],
  ])('%s without any input is an invalid_input refusal, not a TypeError', (opName, build) => {
    expect(refusal(build)).toMatch(
      new RegExp(`^MegaMeeting ${opName} failed \\[invalid_input\\]: \\w+ is required$`),
    );
  });

  test('numbers that are not finite are not IDs', () => {
    expect(refusal(() => operations.endMeeting(Number.NaN as unknown as string))).toBe(
      'MegaMeeting endMeeting failed [invalid_input]: meetId is required',
    );
    expect(refusal(() => operations.deleteLogin(Number.POSITIVE_INFINITY as unknown as string))).toBe(
      'MegaMeeting deleteLogin failed [invalid_input]: loginId is required',
    );
    expect(
      refusal(() =>
        operations.updateMeeting({ meetId: '1', meetName: Number.NaN } as unknown as { meetId: string }),
      ),
    ).toBe('MegaMeeting updateMeeting failed [invalid_input]: meetName must be a string');
  });

  test.each<[string, Record<string, unknown>]>([
    ['scheduledDateTime', { scheduledDateTime: new Date(0) }],
    ['scheduledTimeZone', { scheduledTimeZone: true }],
    ['endDateTime', { endDateTime: {} }],
    ['loginId', { loginId: ['L1'] }],
  ])('createMeeting: a non-string %s is refused by name', (field, extra) => {
    expect(refusal(() => operations.createMeeting({ meetingName: 'x', ...extra } as never))).toBe(
      `MegaMeeting createMeeting failed [invalid_input]: ${field} must be a string`,
    );
  });

  test.each([
    'requireVerification',
    'enableRegistration',
    'disableVideo',
    'disableAudio',
    'disableScreen',
    'disableFileUpload',
    'disableWebVideoPlayer',
    'enableRestrictedUserList',
    'enableRestrictedChat',
  ])('createMeeting: a non-boolean %s is refused by name', (flag) => {
    expect(refusal(() => operations.createMeeting({ meetingName: 'x', [flag]: 'true' } as never))).toBe(
      `MegaMeeting createMeeting failed [invalid_input]: ${flag} must be true or false`,
    );
  });

  test.each<[string, string, () => unknown]>([
    [
      'updateMeeting',
      'meetName must be a string',
      () => operations.updateMeeting({ meetId: '1', meetName: {} } as never),
    ],
    [
      'updateMeeting',
      'scheduledDateTime must be a string',
      () => operations.updateMeeting({ meetId: '1', scheduledDateTime: 1n } as never),
    ],
    [
      'updateMeeting',
      'scheduledTimeZone must be a string',
      () => operations.updateMeeting({ meetId: '1', scheduledTimeZone: false } as never),
    ],
    [
      'updateMeeting',
      'endDateTime must be a string',
      () => operations.updateMeeting({ meetId: '1', endDateTime: [] } as never),
    ],
    [
      'updateVerifiedGuest',
      'guestName must be a string',
      () => operations.updateVerifiedGuest({ meetId: '1', key: 'k', guestName: {} } as never),
    ],
    [
      'updateVerifiedGuest',
      'permissions must be a list',
      () => operations.updateVerifiedGuest({ meetId: '1', key: 'k', permissions: 'webcam' } as never),
    ],
    [
      'addVerifiedGuest',
      'permissions must be a list',
      () =>
        operations.addVerifiedGuest({ meetId: '1', guestName: 'g', email: 'e', permissions: {} } as never),
    ],
    [
      'addVerifiedGuest',
      'unknown permission "7"',
      () =>
        operations.addVerifiedGuest({ meetId: '1', guestName: 'g', email: 'e', permissions: [7] } as never),
    ],
    [
      'createLogin',
      'fullName must be a string',
      () => operations.createLogin({ email: 'e', fullName: 1n } as never),
    ],
    [
      'createLogin',
      'phoneNumber must be a string',
      () => operations.createLogin({ email: 'e', phoneNumber: {} } as never),
    ],
    [
      'createLogin',
      'password must be a string',
      () => operations.createLogin({ email: 'e', password: true } as never),
    ],
    [
      'createLogin',
      'roles must be an object',
      () => operations.createLogin({ email: 'e', roles: 'admin' } as never),
    ],
    [
      'createLogin',
      'roles.host must be true or false',
      () => operations.createLogin({ email: 'e', roles: { host: 'yes' } } as never),
    ],
    [
      'createLogin',
      'roles.admin must be true or false',
      () => operations.createLogin({ email: 'e', roles: { admin: 1 } } as never),
    ],
    [
      'updateLogin',
      'email must be a string',
      () => operations.updateLogin({ loginId: 'l', email: {} } as never),
    ],
    [
      'updateLogin',
      'fullName must be a string',
      () => operations.updateLogin({ loginId: 'l', fullName: [] } as never),
    ],
    [
      'updateLogin',
      'phoneNumber must be a string',
      () => operations.updateLogin({ loginId: 'l', phoneNumber: true } as never),
    ],
    [
      'updateLogin',
      'roles must be an object',
      () => operations.updateLogin({ loginId: 'l', roles: true } as never),
    ],
  ])('%s: %s', (opName, detail, build) => {
    expect(refusal(build)).toBe(`MegaMeeting ${opName} failed [invalid_input]: ${detail}`);
  });

  test('an unknown permission is quoted and cut to 40 characters in the message', () => {
    const long = `${'x'.repeat(60)}`;
    const message = refusal(() =>
      operations.updateVerifiedGuest({ meetId: '1', key: 'k', permissions: [long] as never }),
    );
    // `"` and 39 x: the quoted value cut at 40 characters.
    expect(message).toBe(
      'MegaMeeting updateVerifiedGuest failed [invalid_input]: unknown permission "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    );
  });
});

describe('AST value helpers', () => {
  test('an enum value must be a GraphQL name, anchored at both ends', () => {
    expect(enumValue('_ok9')).toEqual({ kind: Kind.ENUM, value: '_ok9' });
    expect(enumValue('Webcam')).toEqual({ kind: Kind.ENUM, value: 'Webcam' });
    for (const bad of ['9lives', 'webcam }', '{ webcam', 'a-b', '', 'with space']) {
      expect(() => enumValue(bad)).toThrow(`not a GraphQL name: ${JSON.stringify(bad)}`);
    }
  });

  test('obj keeps the defined fields in order; str, bool and list build literal nodes', () => {
    const value = obj({ b: str('x'), skipped: undefined, a: list([bool(true), bool(false)]) });
    expect(print(value)).toBe('{b: "x", a: [true, false]}');
  });
});
