/**
 * A Logger for Bolt / WebClient in tests that prints nothing and keeps every line, so tests stay quiet and can
 * still assert on what was logged (e.g. that a token never appears).
 *
 * ```ts
 * const logger = new RecordingLogger();
 * const client = new WebClient(token, { slackApiUrl: stub.url, logger, retryConfig: { retries: 0 } });
 * expect(logger.lines('error')).toEqual([]);
 * ```
 */
import { type Logger, LogLevel } from '@slack/bolt';

export interface LoggedLine {
  level: LogLevel;
  name: string;
  message: string;
}

export class RecordingLogger implements Logger {
  readonly entries: LoggedLine[] = [];
  private level: LogLevel = LogLevel.DEBUG;
  private name = '';

  /** Messages logged at `level` (all levels when omitted). */
  lines(level?: LogLevel | `${LogLevel}`): string[] {
    return this.entries.filter((e) => level === undefined || e.level === level).map((e) => e.message);
  }

  debug(...msg: unknown[]): void {
    this.add(LogLevel.DEBUG, msg);
  }
  info(...msg: unknown[]): void {
    this.add(LogLevel.INFO, msg);
  }
  warn(...msg: unknown[]): void {
    this.add(LogLevel.WARN, msg);
  }
  error(...msg: unknown[]): void {
    this.add(LogLevel.ERROR, msg);
  }
  setLevel(level: LogLevel): void {
    this.level = level;
  }
  getLevel(): LogLevel {
    return this.level;
  }
  setName(name: string): void {
    this.name = name;
  }

  private add(level: LogLevel, msg: unknown[]): void {
    const message = msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? (m.stack ?? m.message) : safeJson(m)))
      .join(' ');
    this.entries.push({ level, name: this.name, message });
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
