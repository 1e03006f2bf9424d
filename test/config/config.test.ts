import {
  CONNECTION_VARIABLES,
  ConfigError,
  configSecrets,
  isUnconfigured,
  loadConfig,
} from '../../src/config.js';
import { isValidTimeZone } from '../../src/time/tz.js';

const minimal = {
  SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  MEGAMEETING_URL: 'https://myaccount.megameeting.com/',
  MEGAMEETING_API_TOKEN: 'B834JR9F763JFKJF993JI0FJ4GH67234',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  test('applies the documented defaults', () => {
    const c = loadConfig(minimal);
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: 'sqlite:./data/megameeting-slack.sqlite',
      recordingsPollSeconds: 60,
      autoRemux: true,
      defaultTimeZone: 'UTC',
      reminderMinutes: 10,
      logLevel: 'info',
      metrics: false,
      megameeting: { url: 'https://myaccount.megameeting.com' },
      slack: { mode: 'http', apiUrl: undefined },
    });
  });

  test('reads every variable', () => {
    const c = loadConfig({
      ...minimal,
      SLACK_APP_TOKEN: 'xapp-1-A1-abc',
      SLACK_API_URL: 'http://127.0.0.1:4010/api',
      PORT: '8080',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mm',
      RECORDINGS_POLL_SECONDS: '0',
      AUTO_REMUX: 'false',
      DEFAULT_TIMEZONE: 'Europe/Paris',
      REMINDER_MINUTES: '0',
      LOG_LEVEL: 'DEBUG',
      METRICS: 'true',
    });
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/mm',
      recordingsPollSeconds: 0,
      autoRemux: false,
      defaultTimeZone: 'Europe/Paris',
      reminderMinutes: 0,
      logLevel: 'debug',
      metrics: true,
      slack: { mode: 'socket', apiUrl: 'http://127.0.0.1:4010/api/' },
    });
  });

  test('lists every missing variable, one line each', () => {
    expect(problemsOf({})).toEqual([
      'SLACK_BOT_TOKEN is required (the bot token, xoxb-…)',
      'MEGAMEETING_URL is required (your account URL, e.g. https://myaccount.megameeting.com)',
      'MEGAMEETING_API_TOKEN is required (an Admin API token of your MegaMeeting account)',
      'SLACK_SIGNING_SECRET is required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
  });

  test('names each malformed variable without echoing its value', () => {
    const problems = problemsOf({
      ...minimal,
      SLACK_BOT_TOKEN: 'xoxp-secret-user-token',
      PORT: 'eighty',
      MEGAMEETING_URL: 'ftp://x',
      DATABASE_URL: 'mysql://u:p@h/db',
      AUTO_REMUX: 'maybe',
      DEFAULT_TIMEZONE: 'Mars/Olympus',
      LOG_LEVEL: 'loud',
      RECORDINGS_POLL_SECONDS: '-5',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'PORT',
      'MEGAMEETING_URL',
      'DATABASE_URL',
      'RECORDINGS_POLL_SECONDS',
      'AUTO_REMUX',
      'DEFAULT_TIMEZONE',
      'LOG_LEVEL',
    ]);
    expect(problems.join('\n')).not.toContain('xoxp-secret-user-token');
    expect(problems.join('\n')).not.toContain('u:p@');
  });

  test('empty strings count as unset', () => {
    expect(loadConfig({ ...minimal, PORT: '', LOG_LEVEL: ' ' }).port).toBe(3000);
  });

  test('Socket Mode needs no signing secret', () => {
    const c = loadConfig({ ...minimal, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(c.slack.mode).toBe('socket');
  });

  test('numeric bounds: the edges are accepted, one past them refused', () => {
    expect(loadConfig({ ...minimal, PORT: '0' }).port).toBe(0);
    expect(loadConfig({ ...minimal, PORT: '65535' }).port).toBe(65535);
    expect(problemsOf({ ...minimal, PORT: '65536' })).toEqual(['PORT must be between 0 and 65535']);
    expect(loadConfig({ ...minimal, REMINDER_MINUTES: '1440' }).reminderMinutes).toBe(1440);
    expect(problemsOf({ ...minimal, REMINDER_MINUTES: '1441' })).toEqual([
      'REMINDER_MINUTES must be between 0 and 1440',
    ]);
    expect(loadConfig({ ...minimal, RECORDINGS_POLL_SECONDS: '86400' }).recordingsPollSeconds).toBe(86400);
    expect(problemsOf({ ...minimal, RECORDINGS_POLL_SECONDS: '86401' })).toEqual([
      'RECORDINGS_POLL_SECONDS must be between 0 and 86400',
    ]);
  });

  test('an app-level token must start with xapp-, and a wrong one is not echoed', () => {
    const problems = problemsOf({ ...minimal, SLACK_APP_TOKEN: 'xoxb-pasted-bot-token' });
    expect(problems).toEqual(['SLACK_APP_TOKEN must be an app-level token starting with xapp-']);
  });

  test('each malformed variable gets its own exact line', () => {
    expect(
      problemsOf({
        SLACK_BOT_TOKEN: 'xoxp-x',
        SLACK_APP_TOKEN: 'xoxb-1',
        SLACK_API_URL: 'ftp://x',
        PORT: '1.5',
        MEGAMEETING_URL: 'nope',
        MEGAMEETING_API_TOKEN: 'x',
        DATABASE_URL: 'mysql://x',
        RECORDINGS_POLL_SECONDS: '-1',
        AUTO_REMUX: 'maybe',
        DEFAULT_TIMEZONE: 'Mars/X',
        REMINDER_MINUTES: '9999',
        LOG_LEVEL: 'loud',
      }),
    ).toEqual([
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb-',
      'SLACK_APP_TOKEN must be an app-level token starting with xapp-',
      'SLACK_API_URL must be an http(s) URL',
      'PORT must be a whole number',
      'MEGAMEETING_URL must be an http(s) URL',
      'DATABASE_URL must be sqlite:<path> or postgres://user@host:5432/dbname',
      'RECORDINGS_POLL_SECONDS must be a whole number',
      'AUTO_REMUX must be true or false',
      'DEFAULT_TIMEZONE must be an IANA time zone such as Europe/Paris or UTC',
      'REMINDER_MINUTES must be between 0 and 1440',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  test.each([
    ['true', true],
    [' TRUE ', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['Off', false],
  ])('AUTO_REMUX=%j reads as %s', (value, expected) => {
    expect(loadConfig({ ...minimal, AUTO_REMUX: value }).autoRemux).toBe(expected);
  });

  test('values are trimmed; URLs are normalised at their slashes', () => {
    const c = loadConfig({
      ...minimal,
      SLACK_BOT_TOKEN: ' xoxb-1-2-abc ',
      SLACK_SIGNING_SECRET: ' s3cret ',
      MEGAMEETING_URL: 'http://127.0.0.1:4000///',
      MEGAMEETING_API_TOKEN: ' tok ',
      SLACK_API_URL: 'https://slack.example/api/',
      PORT: ' 8080 ',
      DEFAULT_TIMEZONE: ' Europe/Paris ',
      DATABASE_URL: ' sqlite::memory: ',
    });
    expect(c).toMatchObject({
      slack: {
        botToken: 'xoxb-1-2-abc',
        signingSecret: 's3cret',
        apiUrl: 'https://slack.example/api/',
        mode: 'http',
      },
      megameeting: { url: 'http://127.0.0.1:4000', apiToken: 'tok' },
      port: 8080,
      defaultTimeZone: 'Europe/Paris',
      databaseUrl: 'sqlite::memory:',
    });
    expect(c.slack.appToken).toBeUndefined();
  });

  test('a ConfigError lists its problems one per line', () => {
    let thrown: unknown;
    try {
      loadConfig({ ...minimal, PORT: 'x', LOG_LEVEL: 'loud' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).name).toBe('ConfigError');
    expect((thrown as ConfigError).message).toBe(
      'Invalid configuration:\n  - PORT must be a whole number\n  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    );
  });

  test('a token must start with its prefix, not merely contain it', () => {
    expect(problemsOf({ ...minimal, SLACK_BOT_TOKEN: 'not-xoxb-1', SLACK_APP_TOKEN: 'not-xapp-1' })).toEqual([
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb-',
      'SLACK_APP_TOKEN must be an app-level token starting with xapp-',
    ]);
  });

  test('padded values still read cleanly: app token, log level, MegaMeeting URL', () => {
    const c = loadConfig({
      ...minimal,
      SLACK_APP_TOKEN: ' xapp-1-A1-abc ',
      LOG_LEVEL: ' Debug ',
      MEGAMEETING_URL: ' https://myaccount.megameeting.com/ ',
    });
    expect(c.slack.appToken).toBe('xapp-1-A1-abc');
    expect(c.logLevel).toBe('debug');
    expect(c.megameeting.url).toBe('https://myaccount.megameeting.com');
  });

  test('HTTP mode without a signing secret is refused even when everything else is valid', () => {
    expect(problemsOf({ ...minimal, SLACK_SIGNING_SECRET: undefined })).toEqual([
      'SLACK_SIGNING_SECRET is required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
  });

  test.each([
    'Europe/Paris',
    'UTC',
    'Asia/Calcutta',
    '+05:00',
    '-0600',
    'UTC+1',
    'GMT+01:00',
    'Mars/Olympus',
  ])('DEFAULT_TIMEZONE %j is accepted exactly when the time module accepts it', (zone) => {
    const accepted = (() => {
      try {
        loadConfig({ ...minimal, DEFAULT_TIMEZONE: zone });
        return true;
      } catch {
        return false;
      }
    })();
    expect(accepted).toBe(isValidTimeZone(zone));
  });

  test('numeric offsets are refused as the default zone (IANA names only)', () => {
    expect(() => loadConfig({ ...minimal, DEFAULT_TIMEZONE: '+05:00' })).toThrow(ConfigError);
  });

  test('configSecrets lists every secret the configuration holds', () => {
    const c = loadConfig({ ...minimal, SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_SIGNING_SECRET: 'sig' });
    expect(configSecrets(c)).toEqual([c.slack.botToken, 'sig', 'xapp-1-abc', c.megameeting.apiToken]);
  });
});

describe('isUnconfigured', () => {
  test('nothing set, or only variables that connect to nothing: the sandbox', () => {
    expect(isUnconfigured({})).toBe(true);
    expect(
      isUnconfigured({ PORT: '3000', LOG_LEVEL: 'debug', DATABASE_URL: 'sqlite::memory:', HOME: '/root' }),
    ).toBe(true);
    // Empty values count as unset, as everywhere in the configuration.
    expect(isUnconfigured({ SLACK_BOT_TOKEN: '', MEGAMEETING_URL: '  ' })).toBe(true);
  });

  test.each([...CONNECTION_VARIABLES])('%s set: a real deployment, never the sandbox', (name) => {
    expect(isUnconfigured({ [name]: 'x' })).toBe(false);
  });

  test('any other SLACK_… or MEGAMEETING_… variable counts as set too', () => {
    expect(isUnconfigured({ SLACK_SOMETHING_NEW: 'x' })).toBe(false);
    expect(isUnconfigured({ MEGAMEETING_REGION: 'eu' })).toBe(false);
  });
});
