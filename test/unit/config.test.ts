import { ConfigError, loadConfig } from '../../src/config.js';

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
    });
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/mm',
      recordingsPollSeconds: 0,
      autoRemux: false,
      defaultTimeZone: 'Europe/Paris',
      reminderMinutes: 0,
      logLevel: 'debug',
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
});
