/** Start-up and shutdown: configuration errors explained, SIGTERM-style stop finishes work in flight. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { startTestApp } from './harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function runMain(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

test('half configured, start-up explains what is missing in one line each, without a stack trace', async () => {
  // One Slack variable set: a (broken) deployment, so the usual rules hold. With none at all, npm start serves
  // the local sandbox instead (test/sandbox/start-up.test.ts).
  const { code, stderr } = await runMain({ SLACK_API_URL: 'http://127.0.0.1:9/api/' });
  expect(code).toBe(1);
  expect(stderr).toContain('SLACK_BOT_TOKEN is required');
  expect(stderr).toContain('MEGAMEETING_URL is required');
  expect(stderr).toContain('MEGAMEETING_API_TOKEN is required');
  expect(stderr).toContain('SLACK_SIGNING_SECRET is required in HTTP mode');
  expect(stderr).not.toMatch(/\n\s+at /);
}, 30_000);

test('a bad DATABASE_URL stops start-up with one clear line', async () => {
  const { code, stderr } = await runMain({
    SLACK_BOT_TOKEN: TEST_WORKSPACE.botToken,
    SLACK_SIGNING_SECRET: 'secret',
    MEGAMEETING_URL: 'http://127.0.0.1:9',
    MEGAMEETING_API_TOKEN: 'token-token',
    DATABASE_URL: 'mysql://user:hunter2@db/x',
  });
  expect(code).toBe(1);
  expect(stderr).toContain('DATABASE_URL');
  expect(stderr).not.toContain('hunter2');
  expect(stderr).not.toMatch(/\n\s+at /);
}, 30_000);

test('stopping lets a command in flight finish, then refuses new requests', async () => {
  const t = await startTestApp();
  try {
    t.emulator.state.setLatency(800);
    const res = await t.command('Last one');
    expect(res.status).toBe(200);
    const stopped = t.running.stop();
    // The meeting being created when the stop began is still created and posted.
    await t.slack.waitForCall('chat.postMessage', undefined, 10_000);
    await stopped;
    expect(t.emulator.state.snapshot().meetings.map((m) => m.name)).toEqual(['Last one']);
    await expect(fetch(t.url.replace('/slack/events', '/healthz'))).rejects.toThrow();
  } finally {
    await t.close();
  }
});

test('a bot token Slack refuses stops start-up with a clear message', async () => {
  await expect(startTestApp({ env: { SLACK_BOT_TOKEN: 'xoxb-not-the-right-token' } })).rejects.toThrow(
    'Slack refused SLACK_BOT_TOKEN (invalid_auth)',
  );
});

test('an unreachable Slack stops start-up with a clear message, not a crash', async () => {
  await expect(startTestApp({ env: { SLACK_API_URL: 'http://127.0.0.1:1/api/' } })).rejects.toThrow(
    "Cannot reach Slack's Web API at http://127.0.0.1:1/api/",
  );
});
