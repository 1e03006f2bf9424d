/** `npm run emulator` (emulator/main.ts): start-up output, serving, SIGTERM/SIGINT, bad configuration. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, expect, test } from '@jest/globals';

const ROOT = resolve(import.meta.dirname, '../..');
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

function run(env: Record<string, string>) {
  // Node itself with tsx's loader, not the tsx binary: tsx relays signals to a child process and, when the
  // child's "I handle SIGINT" message is late (a loaded machine), exits 130 itself.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  const started = new Promise<string>((res, rej) => {
    proc.stdout.on('data', () => {
      if (out.includes('npm start')) res(out);
    });
    proc.on('exit', () => rej(new Error(`exited early: ${out} ${err}`)));
  });
  started.catch(() => {}); // observed by the tests that expect a start
  return { proc, started, exited, output: () => ({ out, err }) };
}

test('prints the URL, the token and the hint; serves; stops on SIGTERM', async () => {
  const token = 'CLITOKEN0123456789ABCDEFGHIJKLMN';
  const r = run({ EMULATOR_PORT: '0', EMULATOR_ADMIN_TOKEN: token, EMULATOR_REMUX_DELAY_MS: '0' });
  const out = await r.started;
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(out).toContain(`admin token: ${token}`);
  expect(out).toContain(`MEGAMEETING_URL=${url} MEGAMEETING_API_TOKEN=${token} npm start`);
  const res = await fetch(`${url}/api`, {
    method: 'POST',
    headers: { apiToken: token, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ meetings { edges { node { meetId } } } }' }),
  });
  expect(await res.json()).toEqual({ data: { meetings: [{ edges: [] }] } });
  const state = (await (await fetch(`${url}/_emulator/state`)).json()) as { remuxDelayMs: number };
  expect(state.remuxDelayMs).toBe(0);
  r.proc.kill('SIGTERM');
  expect(await r.exited).toBe(0);
}, 60_000);

test('generates a token when none is given, and stops on SIGINT', async () => {
  const r = run({ EMULATOR_PORT: '0' });
  const out = await r.started;
  expect(out).toMatch(/admin token: [A-Z0-9]{32} \(generated/);
  r.proc.kill('SIGINT');
  expect(await r.exited).toBe(0);
}, 60_000);

test('bad configuration stops start-up with one clear line per problem', async () => {
  const r = run({ EMULATOR_PORT: 'abc', EMULATOR_ADMIN_TOKEN: 'short' });
  expect(await r.exited).toBe(1);
  const { err } = r.output();
  expect(err).toMatch(/EMULATOR_PORT/);
  expect(err).toMatch(/EMULATOR_ADMIN_TOKEN/);
  expect(err).not.toMatch(/\n\s+at /);
}, 60_000);
