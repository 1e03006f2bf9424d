/** The sandbox page's server over HTTP: who it answers, what it accepts, what the page may load. */
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { SANDBOX_CHANNELS, SANDBOX_PEOPLE } from '../../sandbox/people.js';
import { type Sandbox, startSandbox } from '../../sandbox/start.js';

let sandbox: Sandbox;
const ANA = SANDBOX_PEOPLE[0]?.id ?? '';
const GENERAL = SANDBOX_CHANNELS[0].id;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
});

/** A raw request (fetch may not set Host). */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: sandbox.port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('the page goes to the first person in #general, and loads nothing from elsewhere', async () => {
  const first = await raw('/');
  expect(first.status).toBe(302);
  expect(first.headers.location).toBe(`/?as=${ANA}&c=${GENERAL}`);
  const page = await raw(`/?as=${ANA}&c=${GENERAL}`);
  expect(page.status).toBe(200);
  expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  const loaded = [...page.body.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
  // Only the page's own files, plus the link to the emulator (opened in a new tab, not loaded).
  expect(loaded.filter((u) => !u.startsWith('/') && u !== sandbox.emulator.url)).toEqual([]);
  expect(page.body).not.toMatch(/<script>|style="/);
});

test('requests addressed to another host name are refused (DNS rebinding)', async () => {
  const res = await raw(`/?as=${ANA}&c=${GENERAL}`, { headers: { host: 'evil.example:3000' } });
  expect(res.status).toBe(403);
  const ok = await raw('/healthz', { headers: { host: `localhost:${sandbox.port}` } });
  expect(ok.status).toBe(200);
});

test('actions are JSON only (a cross-site form cannot post one) and validated', async () => {
  const form = await raw('/ui/send', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `as=${ANA}&c=${GENERAL}&text=%2Fmeet+Sneaky`,
  });
  expect(form.status).toBe(415);
  const stranger = await raw('/ui/send', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as: 'U0NOBODY01', c: GENERAL, text: '/meet Sneaky' }),
  });
  expect(stranger.status).toBe(400);
  expect(JSON.parse(stranger.body).error).toContain('unknown person');
  expect(sandbox.slack.calls('chat.postMessage')).toEqual([]);
});

test('a person with no MegaMeeting login gets the app’s own explanation, privately', async () => {
  const gus = SANDBOX_PEOPLE.find((p) => p.login === null)?.id ?? '';
  const res = await raw('/ui/send', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as: gus, c: GENERAL, text: '/meet Sneaky' }),
  });
  expect(JSON.parse(res.body)).toEqual({ ok: true });
  await sandbox.slack.waitForResponse();
  const seen = sandbox.client.conversation(gus, GENERAL);
  expect(seen).toHaveLength(1);
  expect(seen[0]?.ephemeral).toBe(true);
  expect(seen[0]?.text).toMatch(/admin/i);
  expect(sandbox.client.conversation(ANA, GENERAL)).toEqual([]);
});
