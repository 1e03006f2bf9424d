/**
 * What the bench keeps of each measured process's log (its stdout and stderr, one file per process in the run's
 * results folder), and the lines it prints when commands go unanswered: pino's warn, error and fatal lines, and
 * any line that is not pino's (a crash trace on stderr). Lines are printed as the app wrote them: its logger has
 * already redacted secrets, and nothing here adds any.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** pino's numeric levels: 40 warn, 50 error, 60 fatal. */
const WARN = 40;

/** Size of a file in bytes (0 when it does not exist yet): where the next part of a log starts. */
export function logOffset(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readFrom(path: string, offset: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const length = Math.max(0, statSync(path).size - offset);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, offset);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A log line worth showing next to unanswered commands: warn and above, or not a pino line at all. */
export function isProblemLine(line: string): boolean {
  if (line.trim() === '') return false;
  try {
    const parsed: unknown = JSON.parse(line);
    const level =
      typeof parsed === 'object' && parsed !== null ? (parsed as { level?: unknown }).level : undefined;
    return typeof level !== 'number' || level >= WARN;
  } catch {
    return true;
  }
}

/** The problem lines of `path` written after byte `offset`: how many, and the first `max` of them. */
export function problemLines(path: string, offset = 0, max = 20): { count: number; lines: string[] } {
  const lines = readFrom(path, offset).split('\n').filter(isProblemLine);
  return { count: lines.length, lines: lines.slice(0, max) };
}
