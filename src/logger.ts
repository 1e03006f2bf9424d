import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import { type Logger, pino } from 'pino';

/**
 * One pino logger for the whole app (also handed to Bolt). Secrets never reach a log line: known secret values,
 * Slack tokens and personal guest-key links are scrubbed from every string, and secret-named fields are
 * redacted wherever they sit.
 */

export type AppLogger = Logger;

const SECRET_FIELD_NAMES = [
  'token',
  'apiToken',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  'guestKey',
  'key',
  'meetingLink',
  'personalLink',
  'password',
];

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\bxox[abeoprs]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  // Personal guest links: /meeting/?key=abcdef123456 (and any other key= query value).
  [/([?&]key=)[^&\s"'<>|]+/gi, '$1[redacted]'],
  [/([?&]token=)[^&\s"'<>|]+/gi, '$1[redacted]'],
];

export function makeScrubber(
  secrets: Array<string | undefined>,
  /** Secrets learnt while running (see `scrubFromLogs`), read at each call. */
  later: ReadonlySet<string> = new Set(),
): (text: string) => string {
  const literals = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
  return (text: string) => {
    let out = text;
    for (const secret of literals) out = out.split(secret).join('[redacted]');
    for (const secret of later) out = out.split(secret).join('[redacted]');
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

function scrubDeep(value: unknown, scrub: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  // A date holds no secret, and copying its (no) own fields would log it as `{}`.
  if (value instanceof Date) return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrub(value.message), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD_NAMES.includes(k) && v != null ? '[redacted]' : scrubDeep(v, scrub, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level: string;
  /** Literal secret values (tokens, signing secret) to scrub wherever they appear. */
  secrets: Array<string | undefined>;
  /** Where lines go; defaults to stdout. Tests pass a stream to capture them. */
  destination?: NodeJS.WritableStream;
}

/** Where a logger keeps the secrets added by `scrubFromLogs` (child loggers inherit it from their parent). */
const LATER_SECRETS = Symbol('laterSecrets');
/** Bounded: the oldest is forgotten first (secrets learnt while running are rare: a token shown once). */
const LATER_SECRETS_MAX = 200;

/**
 * From now on, `secret` is scrubbed from every line of this logger, its parent and its children (all share the
 * root's list): for a secret the app learns while running, such as an API token shown once to an admin, which
 * Slack's WebClient would otherwise print in its debug lines of the view that shows it.
 */
export function scrubFromLogs(logger: AppLogger, secret: string): void {
  const set = (logger as unknown as { [LATER_SECRETS]?: Set<string> })[LATER_SECRETS];
  if (!set || secret.length < 6) return;
  for (const variant of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
    set.delete(variant);
    set.add(variant);
  }
  while (set.size > LATER_SECRETS_MAX) set.delete(set.values().next().value as string);
}

export function createLogger(opts: LoggerOptions): AppLogger {
  const later = new Set<string>();
  const scrub = makeScrubber(opts.secrets, later);
  const logger = pino(
    {
      level: opts.level,
      base: { service: 'megameeting-slack' },
      // The formatter below has already reduced errors to { type, message, code }: pino's own error serializer
      // runs after it and would rename every type to "Object".
      serializers: { err: (value: unknown) => value },
      formatters: {
        log: (obj) => scrubDeep(obj, scrub) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const cleaned: unknown[] = args.map((a) => (typeof a === 'string' ? scrub(a) : a));
          // pino takes the message from an error when none is given (`log.error(err)`, `log.error({ err })`):
          // give it the scrubbed text instead.
          const [first, second] = cleaned;
          if (typeof second !== 'string' && first && typeof first === 'object') {
            const err = first instanceof Error ? first : (first as { err?: unknown }).err;
            if (err instanceof Error) {
              const fields = first instanceof Error ? { err: first } : first;
              cleaned.splice(0, 1, fields, scrub(err.message));
            }
          }
          // biome-ignore lint/suspicious/noExplicitAny: pino's overloads cannot be expressed for a spread
          return method.apply(this, cleaned as any);
        },
      },
    },
    opts.destination ?? process.stdout,
  );
  Object.defineProperty(logger, LATER_SECRETS, { value: later });
  return logger;
}

const BOLT_TO_PINO: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt's Logger interface on top of the app's pino logger. */
export function boltLogger(logger: AppLogger): SlackLogger {
  const child = logger.child({ component: 'bolt' });
  const text = (msg: unknown[]) =>
    msg
      .map((m) =>
        typeof m === 'string' ? m : m instanceof Error ? `${m.name}: ${m.message}` : JSON.stringify(m),
      )
      .join(' ');
  // Bolt and its WebClient log at debug on every request and answer: nothing is formatted for a level that is off.
  return {
    debug: (...msg) => {
      if (child.isLevelEnabled('debug')) child.debug(text(msg));
    },
    info: (...msg) => {
      if (child.isLevelEnabled('info')) child.info(text(msg));
    },
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    // The app's LOG_LEVEL governs; Bolt's own level changes are ignored on purpose.
    setLevel: () => {},
    getLevel: () =>
      (Object.entries(BOLT_TO_PINO).find(([, v]) => v === child.level)?.[0] as LogLevel) ?? LogLevel.INFO,
    setName: () => {},
  };
}
