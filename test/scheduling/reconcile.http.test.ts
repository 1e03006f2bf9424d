/**
 * `/meet list` reconciles with MegaMeeting's `meetings` without ever concluding "ended" from one answer (issue #10,
 * item 3). A proxy in front of the emulator rewrites the `meetings` answer (null, [], or a list missing some
 * meetings); the clock is injected so "two answers minutes apart" is exact.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { ABSENCE_CONFIRM_MS } from '../../src/services/meeting-list.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import { type ManualClock, manualClock } from '../recordings/setup.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
type Rewrite = { kind: 'null' } | { kind: 'empty' } | { kind: 'drop'; meetIds: string[] } | null;

let emulator: Emulator;
let proxy: Server;
let rewrite: Rewrite = null;
let clock: ManualClock;
let t: TestApp;

function rewritten(text: string): string {
  if (!rewrite) return text;
  if (rewrite.kind === 'null') return JSON.stringify({ data: { meetings: null } });
  if (rewrite.kind === 'empty') return JSON.stringify({ data: { meetings: [] } });
  const drop = new Set(rewrite.meetIds);
  const parsed = JSON.parse(text) as {
    data: { meetings: { edges: { node: { meetId: string } }[] }[] };
  };
  for (const conn of parsed.data.meetings) conn.edges = conn.edges.filter((e) => !drop.has(e.node.meetId));
  return JSON.stringify(parsed);
}

beforeEach(async () => {
  rewrite = null;
  clock = manualClock(new Date());
  emulator = await startEmulator();
  emulator.state.addLogin({ email: W.userEmail, fullName: W.userRealName, roles: ['host'] });
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const upstream = await fetch(`${emulator.url}${req.url ?? '/'}`, {
      method: req.method ?? 'POST',
      headers: { 'content-type': 'application/json', apitoken: String(req.headers.apitoken ?? '') },
      ...(req.method === 'GET' ? {} : { body }),
    });
    let text = await upstream.text();
    // Only the `meetings` query (no other operation names that field).
    if (/\bmeetings\b/.test(body) && upstream.ok) text = rewritten(text);
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  t = await startTestApp({ emulator, clock, env: { MEGAMEETING_URL: url } });
});

afterEach(async () => {
  await t.close();
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await emulator.close();
});

async function meet(title: string): Promise<string> {
  const before = t.slack.calls('chat.postMessage').length;
  await t.command(title);
  await t.slack.waitForCalls('chat.postMessage', before + 1);
  const meetId = emulator.state.snapshot().meetings.find((m) => m.name === title)?.meetId;
  if (!meetId) throw new Error(`no meeting ${title}`);
  return meetId;
}

async function list(): Promise<string> {
  const sent = await t.command('list');
  const answer = await t.slack.waitForResponse(sent.responseUrl);
  return JSON.stringify({ text: answer.body.text, blocks: answer.body.blocks });
}

async function statusOf(meetId: string) {
  return (await t.store.getMeeting(W.teamId, meetId))?.status;
}

for (const kind of ['null', 'empty'] as const) {
  test(`${kind === 'null' ? 'a null' : 'an empty'} meetings answer ends nothing, rewrites no card, and /meet end still works`, async () => {
    const a = await meet('Standup A');
    const b = await meet('Standup B');
    const updates = t.slack.calls('chat.update').length;
    rewrite = { kind };
    // Twice, minutes apart: still nothing.
    for (let i = 0; i < 2; i++) {
      const shown = await list();
      expect(shown).toContain('Standup A');
      expect(shown).toContain('Standup B');
      expect(shown).toMatch(/couldn't check these with MegaMeeting/);
      clock.advance(ABSENCE_CONFIRM_MS + 60_000);
    }
    expect(await statusOf(a)).toBe('live');
    expect(await statusOf(b)).toBe('live');
    expect((await t.store.getMeeting(W.teamId, a))?.absentSince).toBeNull();
    expect(t.slack.calls('chat.update').length).toBe(updates);
    expect(t.logs.some((l) => l.includes('not reconciling on that answer'))).toBe(true);

    rewrite = null;
    const sent = await t.command(`end ${a}`);
    const answer = await t.slack.waitForResponse(sent.responseUrl);
    expect(answer.body.text).toMatch(/^Ended/);
    expect(emulator.state.meetings.get(a)?.endedAt).toBeInstanceOf(Date);
  });
}

test('a list missing a meeting once does not end it; listed again, the sighting is forgotten', async () => {
  const a = await meet('Kept A');
  const b = await meet('Kept B');
  const updates = t.slack.calls('chat.update').length;
  rewrite = { kind: 'drop', meetIds: [a] };
  expect(await list()).toContain('Kept A');
  expect(await statusOf(a)).toBe('live');
  expect((await t.store.getMeeting(W.teamId, a))?.absentSince).toEqual(clock.now());

  // Listed again (the first answer was partial): the sighting is cleared, so a later single miss starts over.
  clock.advance(60_000);
  rewrite = null;
  expect(await list()).toContain('Kept A');
  expect((await t.store.getMeeting(W.teamId, a))?.absentSince).toBeNull();
  rewrite = { kind: 'drop', meetIds: [a] };
  clock.advance(ABSENCE_CONFIRM_MS + 60_000);
  expect(await list()).toContain('Kept A');
  expect(await statusOf(a)).toBe('live');
  expect(await statusOf(b)).toBe('live');
  expect(t.slack.calls('chat.update').length).toBe(updates);
});

test('missing from two answers minutes apart: marked ended and its card turns to Ended', async () => {
  const a = await meet('Gone A');
  const b = await meet('Stays B');
  emulator.state.endMeeting(a); // ended in MegaMeeting's own UI
  expect(await list()).toContain('Gone A');
  expect(await statusOf(a)).toBe('live');

  clock.advance(ABSENCE_CONFIRM_MS - 1000);
  expect(await list()).toContain('Gone A'); // not yet minutes apart
  expect(await statusOf(a)).toBe('live');

  clock.advance(2000);
  const shown = await list();
  expect(shown).not.toContain('Gone A');
  expect(shown).toContain('Stays B');
  expect(await statusOf(a)).toBe('ended');
  expect(await statusOf(b)).toBe('live');
  const card = await eventually(() =>
    t.slack.calls('chat.update').find((c) => JSON.stringify(c.args).includes(a)),
  );
  expect(JSON.stringify(card.args)).toMatch(/ended/i);
});
