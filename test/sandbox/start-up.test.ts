/**
 * `npm start` chooses: no Slack and no MegaMeeting variable at all → the local sandbox; any one of them set → the
 * usual start-up rules (missing ones reported, nothing starts). Checked on the real process here; the function
 * itself in test/config/config.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs src/main.ts (as `npm start` runs its build) with exactly `env` (plus PATH), collecting its output. */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c: Buffer) => {
    out.stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out.stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exited };
}

async function until(check: () => boolean, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (done || Date.now() > deadline) throw new Error('the process ended or took too long');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start (src/main.ts)', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = null;
  });

  test('with no Slack and no MegaMeeting variable: says so in one line and serves the sandbox', async () => {
    // DATABASE_URL may point at a real database: the sandbox keeps its data in memory and never opens it.
    const database = join(tmpdir(), `sandbox-must-not-create-${process.pid}.sqlite`);
    const started = run({ PORT: '0', DATABASE_URL: `sqlite:${database}` });
    child = started.child;
    await until(() => /open (http:\/\/127\.0\.0\.1:\d+\/)/.test(started.out.stdout), started.exited, 60_000);
    const lines = started.out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^No Slack or MegaMeeting variable is set, so this is the local sandbox\./);
    expect(lines[0]).toContain(
      'SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, MEGAMEETING_URL and MEGAMEETING_API_TOKEN',
    );
    const url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(started.out.stdout)?.[1] ?? '';
    const health = await fetch(`${url}healthz`);
    expect(await health.json()).toEqual({ status: 'ok', sandbox: true });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('MegaMeeting for Slack · sandbox');
    expect(existsSync(database)).toBe(false);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  }, 90_000);

  test('with one MegaMeeting variable set: the missing ones are reported and nothing starts', async () => {
    const started = run({ PORT: '0', MEGAMEETING_URL: 'https://acme.megameeting.com' });
    child = started.child;
    expect(await started.exited).toBe(1);
    expect(started.out.stdout).not.toMatch(/sandbox/i);
    expect(started.out.stderr).toContain('MegaMeeting for Slack cannot start');
    expect(started.out.stderr).toContain('SLACK_BOT_TOKEN is required');
    expect(started.out.stderr).toContain('MEGAMEETING_API_TOKEN is required');
  }, 90_000);

  test('with both SLACK_BOT_TOKEN and SLACK_CLIENT_ID: one line saying to choose, nothing starts', async () => {
    const started = run({
      PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-never-echoed-1',
      SLACK_CLIENT_ID: '1234567890.1234567890',
    });
    child = started.child;
    expect(await started.exited).toBe(1);
    expect(started.out.stderr).toContain('cannot start: 1 problem(s)');
    expect(started.out.stderr).toContain('SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set');
    expect(started.out.stderr).not.toContain('xoxb-never-echoed-1');
  }, 90_000);

  test('with SLACK_CLIENT_ID and its variables: multi-workspace mode serves the install page', async () => {
    const database = join(tmpdir(), `multi-start-${process.pid}-${Date.now()}.sqlite`);
    const started = run({
      PORT: '0',
      DATABASE_URL: `sqlite:${database}`,
      SLACK_CLIENT_ID: '1234567890.1234567890',
      SLACK_CLIENT_SECRET: 'client-secret-value-0001',
      SLACK_SIGNING_SECRET: 'signing-secret-value',
      SLACK_STATE_SECRET: 'state-secret-state-secret-state-secret-1',
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      PUBLIC_URL: 'https://meet.example.com',
    });
    child = started.child;
    await until(() => /running for many workspaces/.test(started.out.stdout), started.exited, 60_000);
    const port = /"port":(\d+)/.exec(started.out.stdout)?.[1];
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', mode: 'multi', store: 'sqlite' });
    const page = await fetch(`http://127.0.0.1:${port}/slack/install`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('https://slack.com/oauth/v2/authorize?');
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    for (const f of [database, `${database}-wal`, `${database}-shm`]) rmSync(f, { force: true });
  }, 90_000);
});
