import {
  BOTH_MODES_PROBLEM,
  readMultiWorkspaceConfig,
  slackModeOf,
} from '../../src/config/multi-workspace.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OLD_KEY = Buffer.alloc(32, 9).toString('base64');
const CLIENT_SECRET = 'client-secret-value-3f9a';
const STATE_SECRET = 'state-secret-0123456789abcdef0123456789';

const multi = {
  SLACK_CLIENT_ID: '1234567890.9876543210',
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  SLACK_STATE_SECRET: STATE_SECRET,
  ENCRYPTION_KEY: KEY,
  PUBLIC_URL: 'https://meet.example.com/',
};

function problems(env: Record<string, string | undefined>): string[] {
  const r = readMultiWorkspaceConfig(env);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('slackModeOf', () => {
  test.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'single'],
    [{ SLACK_CLIENT_ID: '1.2' }, 'multi'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CLIENT_ID: '1.2' }, 'both'],
    [{ SLACK_BOT_TOKEN: ' ', SLACK_CLIENT_ID: '' }, 'neither'],
    [{}, 'neither'],
  ])('%j → %s', (env, mode) => {
    expect(slackModeOf(env)).toBe(mode);
  });
});

describe('readMultiWorkspaceConfig', () => {
  test('reads a complete environment, with the documented default and the derived redirect URI', () => {
    const r = readMultiWorkspaceConfig(multi);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config).toEqual({
      clientId: '1234567890.9876543210',
      clientSecret: CLIENT_SECRET,
      signingSecret: 'signing-secret-value',
      stateSecret: STATE_SECRET,
      encryptionKey: Buffer.alloc(32, 7),
      encryptionKeyPrevious: undefined,
      publicUrl: 'https://meet.example.com',
      redirectUri: 'https://meet.example.com/slack/oauth_redirect',
      uninstallRetentionDays: 30,
    });
  });

  test('reads the optional variables', () => {
    const r = readMultiWorkspaceConfig({
      ...multi,
      ENCRYPTION_KEY_PREVIOUS: OLD_KEY,
      UNINSTALL_RETENTION_DAYS: '7',
      PUBLIC_URL: 'https://example.org/mm',
    });
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.encryptionKeyPrevious).toEqual(Buffer.alloc(32, 9));
    expect(r.config.uninstallRetentionDays).toBe(7);
    expect(r.config.redirectUri).toBe('https://example.org/mm/slack/oauth_redirect');
  });

  test('both modes set: one clear line, whatever else is wrong', () => {
    expect(problems({ ...multi, SLACK_BOT_TOKEN: 'xoxb-1-2-3', MEGAMEETING_URL: 'https://x' })).toEqual([
      BOTH_MODES_PROBLEM,
    ]);
    expect(problems({ SLACK_CLIENT_ID: '1.2', SLACK_BOT_TOKEN: 'xoxb-1-2-3' })).toEqual([BOTH_MODES_PROBLEM]);
  });

  test('every missing required variable gets its own line', () => {
    expect(problems({ SLACK_CLIENT_ID: '1234.5678' })).toEqual([
      'SLACK_CLIENT_SECRET is required in multi-workspace mode (the Client Secret from the app\'s "Basic Information" page)',
      'SLACK_SIGNING_SECRET is required in multi-workspace mode (the Signing Secret from "Basic Information")',
      'SLACK_STATE_SECRET is required in multi-workspace mode (a random text of 32 characters or more that signs the OAuth state)',
      'ENCRYPTION_KEY is required in multi-workspace mode (32 random bytes in base64, e.g. from `openssl rand -base64 32`)',
      "PUBLIC_URL is required in multi-workspace mode (the app's public base URL, e.g. https://meet.example.com)",
    ]);
  });

  test('empty values count as missing', () => {
    expect(problems({ ...multi, SLACK_CLIENT_SECRET: '  ' })).toEqual([
      'SLACK_CLIENT_SECRET is required in multi-workspace mode (the Client Secret from the app\'s "Basic Information" page)',
    ]);
  });

  test('MEGAMEETING_URL and MEGAMEETING_API_TOKEN are refused, one line each', () => {
    expect(
      problems({ ...multi, MEGAMEETING_URL: 'https://acme.megameeting.com', MEGAMEETING_API_TOKEN: 'T0K' }),
    ).toEqual([
      'MEGAMEETING_URL must not be set in multi-workspace mode: each workspace connects its own MegaMeeting account with /meet connect',
      'MEGAMEETING_API_TOKEN must not be set in multi-workspace mode: each workspace connects its own MegaMeeting account with /meet connect',
    ]);
  });

  test('malformed values: one line per variable, never the value itself', () => {
    const bad = {
      SLACK_CLIENT_ID: 'not-an-id',
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_SIGNING_SECRET: 'x',
      SLACK_STATE_SECRET: 'short-secret-value',
      ENCRYPTION_KEY: 'a-password-not-a-key',
      ENCRYPTION_KEY_PREVIOUS: 'c2hvcnQ=',
      PUBLIC_URL: 'ftp://meet.example.com?x=1',
      UNINSTALL_RETENTION_DAYS: 'thirty',
    };
    const lines = problems(bad);
    expect(lines).toEqual([
      'SLACK_CLIENT_ID must be a Slack Client ID such as 1234567890.1234567890',
      'SLACK_STATE_SECRET must be at least 32 characters of random text (it signs the OAuth state)',
      'ENCRYPTION_KEY must be 32 random bytes in base64 (44 characters, e.g. from `openssl rand -base64 32`)',
      'ENCRYPTION_KEY_PREVIOUS must be 32 random bytes in base64 (44 characters, e.g. from `openssl rand -base64 32`)',
      'PUBLIC_URL must be an http(s) base URL without query or fragment, e.g. https://meet.example.com',
      'UNINSTALL_RETENTION_DAYS must be a whole number of days',
    ]);
    for (const value of ['short-secret-value', 'a-password-not-a-key', 'c2hvcnQ=', CLIENT_SECRET]) {
      expect(lines.join('\n')).not.toContain(value);
    }
  });

  test('a retention beyond ten years and a previous key equal to the current one are refused', () => {
    expect(problems({ ...multi, UNINSTALL_RETENTION_DAYS: '4000' })).toEqual([
      'UNINSTALL_RETENTION_DAYS must be between 0 and 3650',
    ]);
    expect(problems({ ...multi, ENCRYPTION_KEY_PREVIOUS: KEY })).toEqual([
      'ENCRYPTION_KEY_PREVIOUS is the same key as ENCRYPTION_KEY: set it to the former key, or unset it',
    ]);
  });
});

describe('readMultiWorkspaceConfig: the edges', () => {
  function config(env: Record<string, string | undefined>) {
    const r = readMultiWorkspaceConfig(env);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    return r.config;
  }
  const PUBLIC_URL_LINE =
    'PUBLIC_URL must be an http(s) base URL without query or fragment, e.g. https://meet.example.com';

  test.each([
    ['http://meet.example.com', 'http://meet.example.com'],
    ['  https://meet.example.com//  ', 'https://meet.example.com'],
    ['https://example.org/mm///', 'https://example.org/mm'],
  ])('PUBLIC_URL %j is read as %j', (value, publicUrl) => {
    expect(config({ ...multi, PUBLIC_URL: value }).publicUrl).toBe(publicUrl);
  });

  test.each([
    'https://meet.example.com?x=1',
    'https://meet.example.com/#top',
    'ftp://meet.example.com',
    'meet.example.com',
  ])('PUBLIC_URL %j is refused', (value) => {
    expect(problems({ ...multi, PUBLIC_URL: value })).toEqual([PUBLIC_URL_LINE]);
  });

  test('the Client ID must be digits.digits and nothing around it', () => {
    expect(config({ ...multi, SLACK_CLIENT_ID: ' 12.34 ' }).clientId).toBe('12.34');
    for (const id of ['a12.34', '12.34b', '12', '12.34.56']) {
      expect(problems({ ...multi, SLACK_CLIENT_ID: id })).toEqual([
        'SLACK_CLIENT_ID must be a Slack Client ID such as 1234567890.1234567890',
      ]);
    }
  });

  test('the state secret: 32 characters pass, 31 do not', () => {
    expect(config({ ...multi, SLACK_STATE_SECRET: 's'.repeat(32) }).stateSecret).toBe('s'.repeat(32));
    expect(problems({ ...multi, SLACK_STATE_SECRET: 's'.repeat(31) })).toEqual([
      'SLACK_STATE_SECRET must be at least 32 characters of random text (it signs the OAuth state)',
    ]);
  });

  test('the retention: 0 and 3650 days pass, 3651 does not', () => {
    expect(config({ ...multi, UNINSTALL_RETENTION_DAYS: '0' }).uninstallRetentionDays).toBe(0);
    expect(config({ ...multi, UNINSTALL_RETENTION_DAYS: ' 3650 ' }).uninstallRetentionDays).toBe(3650);
    expect(problems({ ...multi, UNINSTALL_RETENTION_DAYS: '3651' })).toEqual([
      'UNINSTALL_RETENTION_DAYS must be between 0 and 3650',
    ]);
    expect(problems({ ...multi, UNINSTALL_RETENTION_DAYS: '-1' })).toEqual([
      'UNINSTALL_RETENTION_DAYS must be a whole number of days',
    ]);
  });

  test('blank MegaMeeting variables are unset, so not refused', () => {
    expect(config({ ...multi, MEGAMEETING_URL: ' ', MEGAMEETING_API_TOKEN: '' }).clientId).toBe(
      '1234567890.9876543210',
    );
  });

  test('a refused MegaMeeting variable is reported beside the malformed ones', () => {
    expect(problems({ ...multi, SLACK_CLIENT_ID: 'x', MEGAMEETING_API_TOKEN: 'T0K' })).toEqual([
      'SLACK_CLIENT_ID must be a Slack Client ID such as 1234567890.1234567890',
      'MEGAMEETING_API_TOKEN must not be set in multi-workspace mode: each workspace connects its own MegaMeeting account with /meet connect',
    ]);
  });
});

describe('readMultiWorkspaceConfig: blanks and padding', () => {
  function config(env: Record<string, string | undefined>) {
    const r = readMultiWorkspaceConfig(env);
    if (!r.ok) throw new Error(r.problems.join('\n'));
    return r.config;
  }

  test('the both-modes line, word for word', () => {
    expect(BOTH_MODES_PROBLEM).toBe(
      'SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: set SLACK_BOT_TOKEN to serve one workspace, or ' +
        'SLACK_CLIENT_ID (with its OAuth variables) to offer the app to many workspaces, not both',
    );
  });

  test('called with nothing at all, the Client ID is named too', () => {
    expect(problems({})[0]).toBe(
      'SLACK_CLIENT_ID is required in multi-workspace mode (the Client ID from the app\'s "Basic Information" page)',
    );
  });

  test('secrets are read without the spaces around them', () => {
    const c = config({
      ...multi,
      SLACK_CLIENT_SECRET: `  ${CLIENT_SECRET}\n`,
      SLACK_SIGNING_SECRET: ' signing-secret-value ',
      SLACK_STATE_SECRET: `\t${STATE_SECRET} `,
    });
    expect([c.clientSecret, c.signingSecret, c.stateSecret]).toEqual([
      CLIENT_SECRET,
      'signing-secret-value',
      STATE_SECRET,
    ]);
    // 31 characters padded to 33 are still 31.
    expect(problems({ ...multi, SLACK_STATE_SECRET: ` ${'s'.repeat(31)} ` })).toEqual([
      'SLACK_STATE_SECRET must be at least 32 characters of random text (it signs the OAuth state)',
    ]);
  });

  test('blank optional variables are unset: the default retention, no previous key', () => {
    const c = config({ ...multi, UNINSTALL_RETENTION_DAYS: '  ', ENCRYPTION_KEY_PREVIOUS: ' ' });
    expect(c.uninstallRetentionDays).toBe(30);
    expect(c.encryptionKeyPrevious).toBeUndefined();
  });

  test('blank required variables are missing, not malformed', () => {
    expect(problems({ ...multi, SLACK_STATE_SECRET: '   ', ENCRYPTION_KEY: ' ', PUBLIC_URL: '\t' })).toEqual([
      'SLACK_STATE_SECRET is required in multi-workspace mode (a random text of 32 characters or more that signs the OAuth state)',
      'ENCRYPTION_KEY is required in multi-workspace mode (32 random bytes in base64, e.g. from `openssl rand -base64 32`)',
      "PUBLIC_URL is required in multi-workspace mode (the app's public base URL, e.g. https://meet.example.com)",
    ]);
  });

  test('a retention with anything after its digits is not a number of days', () => {
    expect(problems({ ...multi, UNINSTALL_RETENTION_DAYS: '30 days' })).toEqual([
      'UNINSTALL_RETENTION_DAYS must be a whole number of days',
    ]);
  });
});
