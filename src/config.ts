import { z } from 'zod';
import {
  type MultiWorkspaceConfig,
  readMultiWorkspaceConfig,
  slackModeOf,
} from './config/multi-workspace.js';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './store/database-url.js';
import { isValidTimeZone } from './time/tz.js';

/**
 * Configuration, read once from the environment and validated. Nothing else reads process.env.
 * The variable names and defaults are the contract in ../shared/design.md: extend, never rename.
 */

const booleanFromEnv = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'must be true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const integerFromEnv = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be between ${min} and ${max}` });

const httpUrl = z
  .string()
  .trim()
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be an http(s) URL' },
  );

/** The store's own parser decides, so there is one reading of DATABASE_URL in the app. */
function isValidDatabaseUrl(url: string): boolean {
  try {
    parseDatabaseUrl(url);
    return true;
  } catch {
    return false;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ message: 'is required (the bot token, xoxb-…)' })
    .trim()
    .regex(/^xoxb-/, { message: 'must be a bot token starting with xoxb-' }),
  SLACK_SIGNING_SECRET: z.string().trim().min(1, { message: 'must not be empty' }).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .regex(/^xapp-/, { message: 'must be an app-level token starting with xapp-' })
    .optional(),
  SLACK_API_URL: httpUrl.transform((v) => (v.endsWith('/') ? v : `${v}/`)).optional(),
  PORT: integerFromEnv(0, 65535).default(3000),
  MEGAMEETING_URL: z
    .string({ message: 'is required (your account URL, e.g. https://myaccount.megameeting.com)' })
    .pipe(httpUrl)
    .transform((v) => v.replace(/\/+$/, '')),
  MEGAMEETING_API_TOKEN: z
    .string({ message: 'is required (an Admin API token of your MegaMeeting account)' })
    .trim()
    .min(1, { message: 'must not be empty' }),
  DATABASE_URL: z
    .string()
    .trim()
    .refine(isValidDatabaseUrl, { message: 'must be sqlite:<path> or postgres://user@host:5432/dbname' })
    .default(DEFAULT_DATABASE_URL),
  RECORDINGS_POLL_SECONDS: integerFromEnv(0, 86_400).default(60),
  AUTO_REMUX: booleanFromEnv.default(true),
  DEFAULT_TIMEZONE: z
    .string()
    .trim()
    .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Paris or UTC' })
    .default('UTC'),
  REMINDER_MINUTES: integerFromEnv(0, 1440).default(10),
  METRICS: booleanFromEnv.default(false),
  LOG_LEVEL: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
});

/** The variables that mean the same in both modes (everything but Slack's credentials and MegaMeeting's). */
const sharedSchema = envSchema.pick({
  SLACK_API_URL: true,
  PORT: true,
  DATABASE_URL: true,
  RECORDINGS_POLL_SECONDS: true,
  AUTO_REMUX: true,
  DEFAULT_TIMEZONE: true,
  REMINDER_MINUTES: true,
  METRICS: true,
  LOG_LEVEL: true,
});

/** Checked apart from the schema so that it is reported together with every other problem. */
function modeProblems(env: Record<string, string>): string[] {
  return !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET
    ? ['SLACK_SIGNING_SECRET is required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)']
    : [];
}

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    mode: 'http' | 'socket';
  };
  port: number;
  megameeting: { url: string; apiToken: string };
  databaseUrl: string;
  recordingsPollSeconds: number;
  autoRemux: boolean;
  defaultTimeZone: string;
  reminderMinutes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Serve Prometheus metrics on `GET /metrics` (the metrics code is loaded only then). */
  metrics: boolean;
}

/**
 * Multi-workspace mode (`SLACK_CLIENT_ID` set, design.md "Multi-workspace mode"): no bot token and no MegaMeeting
 * account in the environment; each workspace installs the app through OAuth and brings its own account.
 */
export interface MultiModeConfig extends Omit<Config, 'slack' | 'megameeting'> {
  mode: 'multi';
  slack: {
    signingSecret: string;
    apiUrl: string | undefined;
    clientId: string;
    clientSecret: string;
    stateSecret: string;
  };
  workspaces: MultiWorkspaceConfig;
}

/** What `npm start` runs: today's single-workspace app, or the multi-workspace one. */
export type StartupConfig = { mode: 'single'; config: Config } | { mode: 'multi'; config: MultiModeConfig };

/** Every secret value in the configuration, for the logger's redaction and for scrubbing start-up errors. */
export function configSecrets(config: Config | MultiModeConfig): Array<string | undefined> {
  if ('workspaces' in config) {
    const keys = [config.workspaces.encryptionKey, config.workspaces.encryptionKeyPrevious];
    return [
      config.slack.signingSecret,
      config.slack.clientSecret,
      config.slack.stateSecret,
      ...keys.map((k) => k?.toString('base64')),
    ];
  }
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.megameeting.apiToken,
  ];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as in most .env tooling. */
function nonEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

/**
 * The variables that connect the app to a real Slack or MegaMeeting. When none of them (and no other `SLACK_…` or
 * `MEGAMEETING_…` variable) is set, `npm start` serves the local sandbox instead; any one of them set means a real
 * deployment, and start-up follows the usual rules (missing ones are reported, nothing starts).
 */
export const CONNECTION_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'MEGAMEETING_URL',
  'MEGAMEETING_API_TOKEN',
] as const;

/** True when no Slack and no MegaMeeting variable is set at all (empty values count as unset). */
export function isUnconfigured(env: Record<string, string | undefined>): boolean {
  return !Object.keys(nonEmpty(env)).some(
    (name) =>
      (CONNECTION_VARIABLES as readonly string[]).includes(name) ||
      name.startsWith('SLACK_') ||
      name.startsWith('MEGAMEETING_'),
  );
}

/**
 * Chooses the mode from the environment (`SLACK_BOT_TOKEN` → single, `SLACK_CLIENT_ID` → multi, both → one
 * error line) and reads it. Throws ConfigError with one line per problem, never a value. With neither set, the
 * single-workspace rules apply (the first and simplest set-up), so the lines name what that mode needs.
 */
export function loadStartupConfig(env: Record<string, string | undefined>): StartupConfig {
  const choice = slackModeOf(env);
  if (choice === 'single' || choice === 'neither') return { mode: 'single', config: loadConfig(env) };
  return { mode: 'multi', config: loadMultiModeConfig(env) };
}

function loadMultiModeConfig(env: Record<string, string | undefined>): MultiModeConfig {
  const present = nonEmpty(env);
  const workspaces = readMultiWorkspaceConfig(env);
  // Both modes set: that one line alone (what else is wrong depends on the mode the operator meant).
  if (!workspaces.ok && slackModeOf(env) === 'both') throw new ConfigError(workspaces.problems);
  const shared = sharedSchema.safeParse(present);
  const problems = [
    ...(workspaces.ok ? [] : workspaces.problems),
    ...(shared.success
      ? []
      : shared.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...(present.SLACK_APP_TOKEN
      ? [
          'SLACK_APP_TOKEN must not be set in multi-workspace mode: installs and events come over HTTP ' +
            '(PUBLIC_URL), not Socket Mode',
        ]
      : []),
  ];
  if (!workspaces.ok || !shared.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const w = workspaces.config;
  const e = shared.data;
  return {
    mode: 'multi',
    slack: {
      signingSecret: w.signingSecret,
      apiUrl: e.SLACK_API_URL,
      clientId: w.clientId,
      clientSecret: w.clientSecret,
      stateSecret: w.stateSecret,
    },
    workspaces: w,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    recordingsPollSeconds: e.RECORDINGS_POLL_SECONDS,
    autoRemux: e.AUTO_REMUX,
    defaultTimeZone: e.DEFAULT_TIMEZONE,
    reminderMinutes: e.REMINDER_MINUTES,
    logLevel: e.LOG_LEVEL,
    metrics: e.METRICS,
  };
}

/** Single-workspace mode's variables (the table in design.md). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = nonEmpty(env);
  const parsed = envSchema.safeParse(present);
  // One line per problem, naming the variable; values are never echoed (they may be secrets).
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...modeProblems(present),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
    },
    port: e.PORT,
    megameeting: { url: e.MEGAMEETING_URL, apiToken: e.MEGAMEETING_API_TOKEN },
    databaseUrl: e.DATABASE_URL,
    recordingsPollSeconds: e.RECORDINGS_POLL_SECONDS,
    autoRemux: e.AUTO_REMUX,
    defaultTimeZone: e.DEFAULT_TIMEZONE,
    reminderMinutes: e.REMINDER_MINUTES,
    logLevel: e.LOG_LEVEL,
    metrics: e.METRICS,
  };
}
