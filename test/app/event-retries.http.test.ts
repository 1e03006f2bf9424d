/**
 * Events API retries (issue #10): Slack re-sends an event with the same `event_id` and `X-Slack-Retry-Num`; the
 * app's global middleware lets every event listener see it once, on one replica or on two sharing Postgres. The
 * tests add an `app_home_opened` listener to the running Bolt app (as any future listener would be) whose side
 * effect is a DM.
 */
import type { App } from '@slack/bolt';
import { EVENT_RECORD_TTL_MS } from '../../src/slack/event-dedupe.js';
import { type ManualClock, manualClock } from '../recordings/setup.js';
import { appHomeOpenedEvent, eventCallbackBody, signSlackRequest } from '../support/slack-requests.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually, type SentRequest, startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
const RETRY = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };

/**
 * The Messages tab: App Home publishes nothing for it, so the greeter below is the only work an event causes and
 * the timing these tests rely on (the event recorded as handled right after the greeting) is the greeter's alone.
 */
const messagesTabOpened = () => appHomeOpenedEvent({ tab: 'messages' });

function deliver(t: TestApp, body: string, headers: Record<string, string> = {}): Promise<SentRequest> {
  return t.post(body, {
    ...signSlackRequest(body, W.signingSecret, Math.floor(Date.now() / 1000)),
    'content-type': 'application/json',
    ...headers,
  });
}

/** A listener with a side effect (a DM), counting its runs; `gate` holds it until released. */
function addGreeter(bolt: App, t: TestApp, opts: { failFirst?: boolean; gate?: Promise<void> } = {}) {
  const runs: string[] = [];
  bolt.event('app_home_opened', async ({ event, body }) => {
    runs.push(body.event_id);
    await opts.gate;
    if (opts.failFirst && runs.length === 1) throw new Error('first delivery failed');
    await t.running.services.slack.dm(event.user, { text: `Welcome ${body.event_id}` });
  });
  return runs;
}

function welcomes(slack: SlackStub, eventId: string): number {
  return slack.calls('chat.postMessage').filter((c) => String(c.args.text).includes(eventId)).length;
}

describe('one replica (SQLite)', () => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = manualClock(new Date());
    t = await startTestApp({ clock });
  });
  afterEach(async () => {
    await t.close();
  });

  test('the same event delivered again with retry headers is handled once', async () => {
    const runs = addGreeter(t.running.bolt, t);
    const body = eventCallbackBody(messagesTabOpened(), { event_id: 'EvRETRY0001' });
    expect((await deliver(t, body)).status).toBe(200);
    await eventually(() => welcomes(t.slack, 'EvRETRY0001') === 1);
    expect((await deliver(t, body, RETRY)).status).toBe(200);
    expect((await deliver(t, body, { ...RETRY, 'x-slack-retry-num': '2' })).status).toBe(200);
    await eventually(() => t.logs.filter((l) => l.includes('this delivery is skipped')).length === 2);
    expect(runs).toEqual(['EvRETRY0001']);
    expect(welcomes(t.slack, 'EvRETRY0001')).toBe(1);
    // Another event is its own: handled.
    await deliver(t, eventCallbackBody(messagesTabOpened(), { event_id: 'EvOTHER0001' }));
    await eventually(() => welcomes(t.slack, 'EvOTHER0001') === 1);
  });

  test('a retry arriving while the first delivery is still running is skipped', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const runs = addGreeter(t.running.bolt, t, { gate });
    const body = eventCallbackBody(messagesTabOpened(), { event_id: 'EvSLOW00001' });
    await deliver(t, body);
    await eventually(() => runs.length === 1);
    await deliver(t, body, RETRY);
    await eventually(() => t.logs.some((l) => l.includes('this delivery is skipped')));
    release();
    await eventually(() => welcomes(t.slack, 'EvSLOW00001') === 1);
    expect(runs).toHaveLength(1);
  });

  test('a delivery whose handling failed leaves the event to the retry', async () => {
    const runs = addGreeter(t.running.bolt, t, { failFirst: true });
    const body = eventCallbackBody(messagesTabOpened(), { event_id: 'EvFAIL00001' });
    await deliver(t, body);
    await eventually(() => t.logs.some((l) => l.includes('first delivery failed')));
    expect(welcomes(t.slack, 'EvFAIL00001')).toBe(0);
    await deliver(t, body, RETRY);
    await eventually(() => welcomes(t.slack, 'EvFAIL00001') === 1);
    expect(runs).toHaveLength(2);
  });

  test('a handled event is remembered for an hour, then forgotten', async () => {
    const runs = addGreeter(t.running.bolt, t);
    const body = eventCallbackBody(messagesTabOpened(), { event_id: 'EvLATE00001' });
    await deliver(t, body);
    await eventually(() => welcomes(t.slack, 'EvLATE00001') === 1);
    clock.advance(EVENT_RECORD_TTL_MS - 1000);
    await deliver(t, body, RETRY);
    await eventually(() => t.logs.some((l) => l.includes('this delivery is skipped')));
    expect(runs).toHaveLength(1);
    clock.advance(2000);
    await deliver(t, body, RETRY);
    await eventually(() => runs.length === 2);
  });
});

test('two replicas on one Postgres database: each gets a delivery of the same event, one handles it', async () => {
  const slack = await SlackStub.start();
  const a = await startTestApp({ dialect: 'postgres', slack });
  const b = await startTestApp({ emulator: a.emulator, slack, databaseUrl: a.databaseUrl });
  try {
    const runsA = addGreeter(a.running.bolt, a);
    const runsB = addGreeter(b.running.bolt, b);
    const body = eventCallbackBody(messagesTabOpened(), { event_id: 'EvREPLICA01' });
    await Promise.all([deliver(a, body), deliver(b, body, RETRY), deliver(a, body, RETRY)]);
    await eventually(() => welcomes(slack, 'EvREPLICA01') === 1);
    await eventually(
      () => [...a.logs, ...b.logs].filter((l) => l.includes('this delivery is skipped')).length === 2,
    );
    expect(runsA.length + runsB.length).toBe(1);
    expect(welcomes(slack, 'EvREPLICA01')).toBe(1);
  } finally {
    await b.close();
    await a.close();
    await slack.close();
  }
});
