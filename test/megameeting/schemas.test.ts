import {
  dataSchemas,
  describeIssues,
  isSuccessStatus,
  normalizeRemuxStatus,
  splitRoles,
} from '../../src/megameeting/schemas.js';

const documentedMeetings = {
  meetings: [
    {
      edges: [
        { node: { name: 'My First Meeting', meetId: '1234567' } },
        { node: { name: 'My Second Meeting', meetId: '7654321' } },
      ],
    },
  ],
};

describe('meetings', () => {
  const expected = [
    { meetId: '1234567', name: 'My First Meeting' },
    { meetId: '7654321', name: 'My Second Meeting' },
  ];
  test('documented list-wrapped connection', () => {
    expect(dataSchemas.meetings.parse(documentedMeetings).meetings).toEqual(expected);
  });
  test('plain connection', () => {
    expect(dataSchemas.meetings.parse({ meetings: documentedMeetings.meetings[0] }).meetings).toEqual(
      expected,
    );
  });
  test('several wrapped connections, numeric IDs, null edges and nodes', () => {
    const data = {
      meetings: [
        { edges: [{ node: { meetId: 1, name: 'a' } }, null, { node: null }] },
        null,
        { edges: null },
        { edges: [{ node: { meetId: '2', name: null } }] },
      ],
    };
    expect(dataSchemas.meetings.parse(data).meetings).toEqual([
      { meetId: '1', name: 'a' },
      { meetId: '2', name: '' },
    ]);
  });
  test('empty and null', () => {
    expect(dataSchemas.meetings.parse({ meetings: [] }).meetings).toEqual([]);
    expect(dataSchemas.meetings.parse({ meetings: null }).meetings).toEqual([]);
    expect(dataSchemas.meetings.parse({ meetings: { edges: [] } }).meetings).toEqual([]);
  });
  test('a node without meetId is a schema mismatch', () => {
    const r = dataSchemas.meetings.safeParse({ meetings: { edges: [{ node: { name: 'x' } }] } });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toMatch(/meetings/);
  });
  test('not a connection at all is a mismatch', () => {
    expect(dataSchemas.meetings.safeParse({ meetings: 'nope' }).success).toBe(false);
    expect(dataSchemas.meetings.safeParse({}).success).toBe(true); // missing field reads as no meetings
  });
});

describe('logins', () => {
  const documented = {
    logins: [
      {
        edges: [
          {
            node: {
              userName: 'michaels',
              loginId: '5bf55555ac033142f8457264',
              email: 'michaels@megameeting.com',
              fullName: 'Michael',
              active: 1,
              roles: 'owner,admin,host',
            },
          },
          {
            node: {
              userName: 'pamb',
              loginId: '5df155555a74d80b43e32a21',
              email: 'pamb@megameeting.com',
              fullName: 'Pam',
              active: 0,
              roles: 'admin,host',
            },
          },
        ],
      },
    ],
  };
  test('documented response', () => {
    expect(dataSchemas.logins.parse(documented).logins).toEqual([
      {
        userName: 'michaels',
        loginId: '5bf55555ac033142f8457264',
        email: 'michaels@megameeting.com',
        fullName: 'Michael',
        active: true,
        roles: ['owner', 'admin', 'host'],
      },
      {
        userName: 'pamb',
        loginId: '5df155555a74d80b43e32a21',
        email: 'pamb@megameeting.com',
        fullName: 'Pam',
        active: false,
        roles: ['admin', 'host'],
      },
    ]);
  });
  test('plain connection, boolean active, odd roles', () => {
    const data = {
      logins: {
        edges: [
          {
            node: {
              loginId: 'a',
              userName: 'u',
              email: 'e',
              fullName: 'f',
              active: true,
              roles: ' Owner , ADMIN,,host ',
            },
          },
          { node: { loginId: 'b', userName: null, email: null, fullName: null, active: false, roles: null } },
          { node: { loginId: 'c', active: '1', roles: ['Host'] } },
          { node: { loginId: 'd', active: 'false' } },
        ],
      },
    };
    const logins = dataSchemas.logins.parse(data).logins;
    expect(logins.map((l) => [l.loginId, l.active, l.roles])).toEqual([
      ['a', true, ['owner', 'admin', 'host']],
      ['b', false, []],
      ['c', true, ['host']],
      ['d', false, []],
    ]);
    expect(logins[1]).toMatchObject({ userName: '', email: '', fullName: '' });
  });
  test('splitRoles', () => {
    expect(splitRoles('owner,admin,host')).toEqual(['owner', 'admin', 'host']);
    expect(splitRoles('')).toEqual([]);
    expect(splitRoles(null)).toEqual([]);
  });
});

describe('recordings', () => {
  const documented = {
    recordings: [
      {
        accId: '61216bddfe32733c86597a5c',
        alId: '5d93bc02ebf54f60016c5480',
        recId: '59216bccfe32133c86597a6b',
        meetId: '8626345',
        recPackage:
          '61216bddfe32733c86597a5c/8626345/1612802816164/P2P-Recording-8626345-Tech-Meeting-02-08-2021-10-50-20.mp4',
        recPlay: null,
        recCreateDateTime: 'Feb 8, 2021 10:50:20',
        remuxStatus: 'waiting',
      },
    ],
  };
  test('documented response, date read as UTC', () => {
    const [r] = dataSchemas.recordings.parse(documented).recordings.items;
    expect(r).toEqual({
      ...documented.recordings[0],
      recCreateDateTime: new Date('2021-02-08T10:50:20Z'),
      recCreateDateTimeRaw: 'Feb 8, 2021 10:50:20',
    });
  });
  test('unparseable date: null, raw kept; statuses without case; unknown → unknown', () => {
    const base = documented.recordings[0];
    const data = {
      recordings: [
        {
          ...base,
          recId: '1',
          recCreateDateTime: 'sometime',
          remuxStatus: 'COMPLETED',
          recPlay: 'videoplayer/?key=1',
        },
        { ...base, recId: '2', recCreateDateTime: null, remuxStatus: 'Processing' },
        { ...base, recId: '3', recCreateDateTime: 'Tue Nov 26 2019 15:19:12 +0000', remuxStatus: 'exploded' },
        { ...base, recId: '4', remuxStatus: null, recPlay: '' },
      ],
    };
    const rs = dataSchemas.recordings.parse(data).recordings.items;
    expect(
      rs.map((r) => [
        r.recId,
        r.recCreateDateTime?.toISOString() ?? null,
        r.recCreateDateTimeRaw,
        r.remuxStatus,
        r.recPlay,
      ]),
    ).toEqual([
      ['1', null, 'sometime', 'completed', 'videoplayer/?key=1'],
      ['2', null, null, 'processing', null],
      ['3', '2019-11-26T15:19:12.000Z', 'Tue Nov 26 2019 15:19:12 +0000', 'unknown', null],
      ['4', '2021-02-08T10:50:20.000Z', 'Feb 8, 2021 10:50:20', 'unknown', null],
    ]);
  });
  test('null list', () => {
    expect(dataSchemas.recordings.parse({ recordings: null }).recordings).toEqual({ items: [], dropped: 0 });
  });
  test('a malformed recording is dropped and counted; the others are kept', () => {
    const base = documented.recordings[0];
    const parsed = dataSchemas.recordings.parse({
      recordings: [{ ...base, recId: '1' }, { ...base, recId: null }, 'garbage', { ...base, recId: '2' }],
    }).recordings;
    expect(parsed.items.map((r) => r.recId)).toEqual(['1', '2']);
    expect(parsed.dropped).toBe(2);
  });
  test('normalizeRemuxStatus', () => {
    expect(normalizeRemuxStatus(' Waiting ')).toBe('waiting');
    expect(normalizeRemuxStatus('FAILED')).toBe('failed');
    expect(normalizeRemuxStatus(undefined)).toBe('unknown');
    expect(normalizeRemuxStatus('queued')).toBe('unknown');
  });
});

describe('apiTokenDetails and verified guests', () => {
  test('documented apiTokenDetails', () => {
    const d = dataSchemas.apiTokenDetails.parse({
      apiTokenDetails: {
        domain: 'https://myaccount.megameeting.com',
        apiToken: 'IWVFBYLWG0QWY7EI55555555VKQHQ97X',
        createdAt: 'Tue Nov 26 2019 15:19:12 +0000',
        lastUsed: 'Tue Nov 26 2019 15:31:34 +0000',
      },
    }).apiTokenDetails;
    expect(d).toEqual({
      domain: 'https://myaccount.megameeting.com',
      apiToken: 'IWVFBYLWG0QWY7EI55555555VKQHQ97X',
      createdAt: new Date('2019-11-26T15:19:12Z'),
      lastUsed: new Date('2019-11-26T15:31:34Z'),
    });
  });
  test('no token → null; never-used token → lastUsed null', () => {
    expect(dataSchemas.apiTokenDetails.parse({ apiTokenDetails: null }).apiTokenDetails).toBeNull();
    expect(
      dataSchemas.apiTokenDetails.parse({ apiTokenDetails: { domain: 'd', apiToken: null } }).apiTokenDetails,
    ).toBeNull();
    expect(
      dataSchemas.apiTokenDetails.parse({
        apiTokenDetails: { domain: 'd', apiToken: 't', createdAt: 'garbage', lastUsed: null },
      }).apiTokenDetails,
    ).toEqual({ domain: 'd', apiToken: 't', createdAt: null, lastUsed: null });
  });
  test('documented getVerifiedGuest', () => {
    const g = {
      guestName: 'John Doe',
      key: 'abcdef123456',
      meetingLink: 'https://myaccount.megameeting.com/meeting/?key=abcdef123456',
    };
    expect(dataSchemas.getVerifiedGuest.parse({ getVerifiedGuest: [g] }).getVerifiedGuest).toEqual([g]);
    expect(dataSchemas.getVerifiedGuest.parse({ getVerifiedGuest: null }).getVerifiedGuest).toEqual([]);
    expect(dataSchemas.getVerifiedGuest.safeParse({ getVerifiedGuest: [{ guestName: 'x' }] }).success).toBe(
      false,
    );
  });
});

describe('mutation results', () => {
  test('documented createMeeting and login', () => {
    expect(
      dataSchemas.createMeeting.parse({
        createMeeting: {
          message: 'createMeeting() succeeded. New Meet_ID:1234567',
          result: '1234567',
          status: 'completed',
        },
      }).createMeeting,
    ).toEqual({
      message: 'createMeeting() succeeded. New Meet_ID:1234567',
      result: '1234567',
      status: 'completed',
    });
    expect(
      dataSchemas.login.parse({
        login: {
          message: 'success',
          result: 'https://myaccount.megameeting.com/?token=token&u=user',
          status: 200,
        },
      }).login.status,
    ).toBe('200');
  });
  test('result null or numeric; status required', () => {
    expect(
      dataSchemas.startRemux.parse({ startRemux: { status: 'Completed', message: 'ok', result: null } })
        .startRemux.result,
    ).toBeNull();
    expect(
      dataSchemas.endMeeting.parse({ endMeeting: { status: 'completed', message: null, result: 1 } })
        .endMeeting,
    ).toEqual({
      status: 'completed',
      message: '',
      result: '1',
    });
    expect(dataSchemas.endMeeting.safeParse({ endMeeting: { message: 'x', result: '1' } }).success).toBe(
      false,
    );
    expect(dataSchemas.endMeeting.safeParse({ endMeeting: null }).success).toBe(false);
  });
  test.each([
    ['completed', true],
    ['Completed', true],
    [' COMPLETED ', true],
    ['200', true],
    ['failed', false],
    ['error', false],
    ['201', false],
    ['', false],
    ['complete', false],
  ])('isSuccessStatus(%j) = %s', (s, expected) => {
    expect(isSuccessStatus(s)).toBe(expected);
  });
});
