/** Starting, measuring and stopping the app under test in its own process (pinned with taskset when it exists). */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resident set size of a process from /proc (Linux), in bytes; NaN elsewhere. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time a process has used so far (user + system, /proc/<pid>/stat at 100 ticks a second), in ms; NaN
 * elsewhere. On a shared machine this is the fair measure of work per command: wall time includes waiting
 * for the core, CPU time does not.
 */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces, so split after its closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

const running = new Set<ChildProcess>();
let handlersInstalled = false;

/** Ctrl-C or a kill of the bench takes the app under test down with it. */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

export interface Started {
  child: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** The last `chars` characters of a file (empty when it cannot be read). */
function tailOf(path: string, chars: number): string {
  try {
    return readFileSync(path, 'utf8').slice(-chars);
  } catch {
    return '';
  }
}

/**
 * `node <args>` with `env`, on `cpu` when taskset exists (taskset execs node: the pid is node's). Ready when
 * `readyUrl` answers anything over HTTP. Its stdout and stderr go to `logPath` (the app's own log lines, as
 * its logger wrote them, redacted): the child writes the file itself, so keeping it costs the driver nothing.
 */
export async function startNode(opts: {
  args: string[];
  env: Record<string, string>;
  cpu: number | null;
  readyUrl: string;
  cwd: string;
  logPath: string;
}): Promise<Started> {
  const [command, args] =
    opts.cpu === null
      ? [process.execPath, opts.args]
      : ['taskset', ['-c', String(opts.cpu), process.execPath, ...opts.args]];
  const log = openSync(opts.logPath, 'a');
  const child = spawn(command as string, args as string[], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    stdio: ['ignore', log, log],
  });
  closeSync(log); // the child has its own copy of the descriptor
  installExitHandlers();
  running.add(child);
  child.once('exit', () => running.delete(child));
  const logTail = () => tailOf(opts.logPath, 4000);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited at start: ${logTail()}`);
    try {
      await fetch(opts.readyUrl, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`not ready within 60 s: ${logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    child,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
