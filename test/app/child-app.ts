/**
 * The real entry point (src/main.ts) in a child process, for tests that kill it (`kill -9`, SIGTERM) and start
 * another on the same database. Its Slack and MegaMeeting are the test process's stand-in and emulator.
 *
 *   const app = await spawnApp({ emulator, slack, databaseUrl });
 *   await app.command('Weekly sync');
 *   app.kill('SIGKILL');
 *   await app.exited;
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../emulator/index.js';
import { signSlackRequest, slashCommandBody } from '../support/slack-requests.js';
import type { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildApp {
  pid: number;
  port: number;
  /** Every log line so far (JSON text, stdout and stderr). */
  logs: string[];
  /** Settles when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `/meet <text>` signed like Slack; resolves with the HTTP status once the app acknowledged it. */
  command(text: string, responseUrl: string): Promise<number>;
  kill(signal: NodeJS.Signals): void;
  /** Lines whose `msg` is `msg`. */
  logged(msg: string): Record<string, unknown>[];
}

export interface SpawnAppOptions {
  emulator: Emulator;
  slack: SlackStub;
  databaseUrl: string;
  env?: Record<string, string>;
  /** How long start-up may take (tsx compiles on the first run). */
  startTimeoutMs?: number;
}

export async function spawnApp(opts: SpawnAppOptions): Promise<ChildApp> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: TEST_WORKSPACE.botToken,
      SLACK_SIGNING_SECRET: TEST_WORKSPACE.signingSecret,
      SLACK_API_URL: opts.slack.url,
      PORT: '0',
      MEGAMEETING_URL: opts.emulator.url,
      MEGAMEETING_API_TOKEN: opts.emulator.adminToken,
      DATABASE_URL: opts.databaseUrl,
      RECORDINGS_POLL_SECONDS: '0',
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let onLine: (line: string) => void = () => {};
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let rest = '';
    stream?.on('data', (d) => {
      const lines = (rest + String(d)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        logs.push(line);
        onLine(line);
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const parse = (line: string): Record<string, unknown> | null => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return null;
    }
  };

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`the app did not start within ${opts.startTimeoutMs ?? 60_000} ms:\n${logs.join('\n')}`),
      );
    }, opts.startTimeoutMs ?? 60_000);
    const check = (line: string) => {
      const entry = parse(line);
      if (entry?.msg === 'MegaMeeting for Slack is running' && typeof entry.port === 'number') {
        clearTimeout(timer);
        resolve(entry.port);
      }
    };
    onLine = check;
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the app exited during start-up (${code ?? signal}):\n${logs.join('\n')}`));
    });
  });
  onLine = () => {};
  const url = `http://127.0.0.1:${port}/slack/events`;

  return {
    pid: child.pid ?? -1,
    port,
    logs,
    exited,
    async command(text, responseUrl) {
      const body = slashCommandBody({ text, response_url: responseUrl });
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { ...signSlackRequest(body, TEST_WORKSPACE.signingSecret) },
      });
      await res.text();
      return res.status;
    },
    kill(signal) {
      child.kill(signal);
    },
    logged(msg) {
      return logs.map(parse).filter((e): e is Record<string, unknown> => e !== null && e.msg === msg);
    },
  };
}
