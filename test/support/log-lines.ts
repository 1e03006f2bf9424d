/**
 * The app's own logger (src/logger.ts) writing into memory, each line parsed, so a test can read back what an
 * operator would see: `const log = capturingLogger(); … expect(log.lines).toContainEqual(…)`.
 */
import { Writable } from 'node:stream';
import { type AppLogger, createLogger } from '../../src/logger.js';

/** A parsed log line: pino's fields, the error as the logger serialises it, and the line's own context. */
export interface LogLine {
  level: number;
  msg: string;
  err?: { message?: string; code?: string };
  [field: string]: unknown;
}

export interface CapturingLogger {
  logger: AppLogger;
  /** Every line so far, in order. */
  lines: LogLine[];
}

/** `into`: an array to append to (several loggers of one test into one list); a new one by default. */
export function capturingLogger(level = 'debug', into: LogLine[] = []): CapturingLogger {
  const lines = into;
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      cb();
    },
  });
  return { logger: createLogger({ level, secrets: [], destination }), lines };
}
