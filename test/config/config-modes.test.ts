import { ConfigError, configSecrets, loadStartupConfig } from '../../src/config.js';

const single = {
  SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  MEGAMEETING_URL: 'https://myaccount.megameeting.com/',
  MEGAMEETING_API_TOKEN: 'B834JR9F763JFKJF993JI0FJ4GH67234',
};

const KEY = Buffer.alloc(32, 7).toString('base64');
const OLD_KEY = Buffer.alloc(32, 9).toString('base64');

const multi = {
  SLACK_CLIENT_ID: '1234567890.1234567890',
  SLACK_CLIENT_SECRET: 'client-secret-value-0001',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  SLACK_STATE_SECRET: 'state-secret-state-secret-state-secret-1',
  ENCRYPTION_KEY: KEY,
  PUBLIC_URL: 'https://meet.example.com/',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadStartupConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadStartupConfig: the mode comes from the environment', () => {
  test('SLACK_BOT_TOKEN: single-workspace mode, read exactly as loadConfig reads it', () => {
    const s = loadStartupConfig(single);
    expect(s.mode).toBe('single');
    if (s.mode !== 'single') throw new Error('unreachable');
    expect(s.config.slack.botToken).toBe('xoxb-123-456-abc');
    expect(s.config.megameeting).toEqual({
      url: 'https://myaccount.megameeting.com',
      apiToken: single.MEGAMEETING_API_TOKEN,
    });
  });

  test('neither: the single-workspace lines (the first and simplest set-up)', () => {
    expect(problemsOf({})).toContain('SLACK_BOT_TOKEN is required (the bot token, xoxb-…)');
  });

  test('SLACK_CLIENT_ID: multi-workspace mode with the design.md variables and the shared ones', () => {
    const s = loadStartupConfig({
      ...multi,
      ENCRYPTION_KEY_PREVIOUS: OLD_KEY,
      PORT: '8080',
      SLACK_API_URL: 'http://127.0.0.1:4010/api',
      UNINSTALL_RETENTION_DAYS: '7',
      DEFAULT_TIMEZONE: 'Europe/Paris',
    });
    expect(s.mode).toBe('multi');
    if (s.mode !== 'multi') throw new Error('unreachable');
    expect(s.config).toMatchObject({
      mode: 'multi',
      port: 8080,
      defaultTimeZone: 'Europe/Paris',
      databaseUrl: 'sqlite:./data/megameeting-slack.sqlite',
      slack: {
        clientId: multi.SLACK_CLIENT_ID,
        clientSecret: multi.SLACK_CLIENT_SECRET,
        signingSecret: multi.SLACK_SIGNING_SECRET,
        stateSecret: multi.SLACK_STATE_SECRET,
        apiUrl: 'http://127.0.0.1:4010/api/',
      },
      workspaces: {
        publicUrl: 'https://meet.example.com',
        redirectUri: 'https://meet.example.com/slack/oauth_redirect',
        uninstallRetentionDays: 7,
      },
    });
    expect(s.config.workspaces.encryptionKey.equals(Buffer.from(KEY, 'base64'))).toBe(true);
    expect(s.config.workspaces.encryptionKeyPrevious?.equals(Buffer.from(OLD_KEY, 'base64'))).toBe(true);
    expect('megameeting' in s.config).toBe(false);
  });

  test('both set: one line, whatever else is missing', () => {
    expect(problemsOf({ ...single, SLACK_CLIENT_ID: multi.SLACK_CLIENT_ID })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set/),
    ]);
  });

  test('multi mode: one line per missing variable, MegaMeeting variables refused, values never echoed', () => {
    const problems = problemsOf({
      SLACK_CLIENT_ID: multi.SLACK_CLIENT_ID,
      SLACK_CLIENT_SECRET: 'cs-value-never-echoed',
      MEGAMEETING_URL: 'https://secret-account.megameeting.com',
      MEGAMEETING_API_TOKEN: 'TOKEN-VALUE-NEVER-ECHOED',
      SLACK_APP_TOKEN: 'xapp-1-never-echoed',
      PORT: 'eighty',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'SLACK_SIGNING_SECRET',
      'SLACK_STATE_SECRET',
      'ENCRYPTION_KEY',
      'PUBLIC_URL',
      'MEGAMEETING_URL',
      'MEGAMEETING_API_TOKEN',
      'PORT',
      'SLACK_APP_TOKEN',
    ]);
    const text = problems.join('\n');
    for (const secret of [
      'cs-value-never-echoed',
      'secret-account',
      'TOKEN-VALUE-NEVER-ECHOED',
      'xapp-1-never',
    ])
      expect(text).not.toContain(secret);
  });

  test('multi mode: a malformed shared variable is reported beside the OAuth ones', () => {
    expect(problemsOf({ ...multi, LOG_LEVEL: 'loud' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  test('configSecrets in multi mode: the OAuth secrets and both keys, for the logger to redact', () => {
    const s = loadStartupConfig({ ...multi, ENCRYPTION_KEY_PREVIOUS: OLD_KEY });
    expect(configSecrets(s.config)).toEqual([
      multi.SLACK_SIGNING_SECRET,
      multi.SLACK_CLIENT_SECRET,
      multi.SLACK_STATE_SECRET,
      KEY,
      OLD_KEY,
    ]);
  });
});
