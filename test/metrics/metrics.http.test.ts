/**
 * GET /metrics end to end: the real app over signed HTTP (METRICS=true), the MegaMeeting emulator and the Slack
 * stand-in. The exposition is parsed line by line; label values are checked against what the app must never
 * put in a label (user, team and channel IDs, titles, e-mail addresses, tokens, the signing secret, meetIds).
 */
import { ACTIONS } from '../../src/views/ids.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const TITLE = 'Quarterly secret roadmap with Zoë';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_RE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|\+Inf|-Inf)$/;
const LABEL_RE = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Prometheus text format 0.0.4 (NaN in any case, as Go's ParseFloat reads it): every line is a comment (# HELP / # TYPE) or a sample; throws otherwise. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const m = SAMPLE_RE.exec(line);
    if (!m) throw new Error(`not a Prometheus text line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const rawLabels = m[3] ?? '';
    for (const l of rawLabels.matchAll(LABEL_RE)) labels[l[1] as string] = l[2] as string;
    // Everything between the braces must have been labels.
    expect(rawLabels.replace(LABEL_RE, '').replace(/,/g, '')).toBe('');
    samples.push({ name: m[1] as string, labels, value: Number(m[4]) });
  }
  return { samples, types };
}

function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

describe('METRICS=true', () => {
  let t: TestApp;
  let metricsUrl: string;

  beforeEach(async () => {
    t = await startTestApp({ env: { METRICS: 'true' } });
    metricsUrl = t.url.replace('/slack/events', '/metrics');
  });
  afterEach(async () => {
    await t.close();
  });

  async function scrape() {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    return { text, ...parseExposition(text) };
  }

  test('serves the Prometheus text format with the documented families', async () => {
    const { types, samples } = await scrape();
    expect(Object.fromEntries(types)).toMatchObject({
      megameeting_slack_requests_total: 'counter',
      megameeting_slack_ack_seconds: 'histogram',
      megameeting_slack_handler_seconds: 'histogram',
      megameeting_api_call_seconds: 'histogram',
      megameeting_api_errors_total: 'counter',
      megameeting_slack_api_errors_total: 'counter',
      megameeting_slack_api_rate_limited_total: 'counter',
      megameeting_recordings: 'gauge',
      process_resident_memory_bytes: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_eventloop_lag_p99_seconds: 'gauge',
    });
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
    expect(sampleValue(samples, 'megameeting_recordings', { state: 'notified' })).toBe(0);
  });

  test('a signed /meet moves the request, ack and MegaMeeting counters', async () => {
    const before = await scrape();
    expect(sampleValue(before.samples, 'megameeting_slack_ack_seconds_count')).toBe(0);
    const res = await t.command(TITLE);
    expect(res.status).toBe(200);
    await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === W.channelId);
    const after = await eventually(async () => {
      const s = await scrape();
      return sampleValue(s.samples, 'megameeting_slack_requests_total', {
        type: 'command',
        name: '/meet',
        outcome: 'ok',
      }) === 1
        ? s
        : undefined;
    });
    expect(sampleValue(after.samples, 'megameeting_slack_ack_seconds_count')).toBe(1);
    expect(sampleValue(after.samples, 'megameeting_slack_ack_seconds_bucket', { le: '3' })).toBe(1);
    expect(
      sampleValue(after.samples, 'megameeting_api_call_seconds_count', {
        operation: 'createMeeting',
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(sampleValue(after.samples, 'megameeting_slack_handler_seconds_count', { type: 'command' })).toBe(
      1,
    );
  });

  test('MegaMeeting failures, Slack errors and 429s are counted by operation and method', async () => {
    t.slack.rateLimitNext('chat.postMessage', 0);
    await t.command(TITLE);
    // The gateway waits as asked and retries once: the card still arrives.
    await t.slack.waitForCall('chat.postMessage', (c) => c.status === 200);
    t.emulator.state.injectFaults('error500', 10);
    await t.command('another one');
    const s = await eventually(async () => {
      const scraped = await scrape();
      return (sampleValue(scraped.samples, 'megameeting_api_errors_total', { operation: 'createMeeting' }) ??
        0) > 0
        ? scraped
        : undefined;
    });
    expect(sampleValue(s.samples, 'megameeting_api_errors_total', { code: 'unavailable' })).toBeGreaterThan(
      0,
    );
    expect(
      sampleValue(s.samples, 'megameeting_slack_api_rate_limited_total', { method: 'chat.postMessage' }),
    ).toBe(1);
    expect(
      sampleValue(s.samples, 'megameeting_slack_api_errors_total', {
        method: 'chat.postMessage',
        kind: 'ratelimited',
      }),
    ).toBe(1);
  });

  test('no label carries user data, IDs or secrets, even for unknown action IDs', async () => {
    await t.command(TITLE);
    await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === W.channelId);
    const meetId = t.emulator.state.snapshot().meetings[0]?.meetId as string;
    await t.action(`${ACTIONS.end}:${meetId}`, meetId);
    await t.action(`evil_${W.userId}_${meetId}`, TITLE);
    const { samples, text } = await eventually(async () => {
      const s = await scrape();
      return sampleValue(s.samples, 'megameeting_slack_requests_total', {
        type: 'block_actions',
        name: 'other',
      })
        ? s
        : undefined;
    });
    expect(sampleValue(samples, 'megameeting_slack_requests_total', { name: ACTIONS.end })).toBe(1);
    const forbidden = [
      TITLE,
      'Zoë',
      meetId,
      W.userId,
      W.teamId,
      W.channelId,
      W.userEmail,
      W.botToken,
      W.signingSecret,
      t.emulator.adminToken,
      t.hostLogin?.apiToken as string,
      t.hostLogin?.loginId as string,
    ];
    for (const secret of forbidden) expect(text).not.toContain(secret);
    // And every label value is a short identifier-like word from a closed set.
    for (const s of samples) {
      for (const value of Object.values(s.labels)) expect(value).toMatch(/^[a-zA-Z0-9_./+-]{1,40}$/);
    }
  });
});

test('without METRICS=true, GET /metrics is a 404 and the app serves as usual', async () => {
  const t = await startTestApp();
  try {
    const res = await fetch(t.url.replace('/slack/events', '/metrics'));
    expect(res.status).toBe(404);
    expect((await t.command('plain')).status).toBe(200);
  } finally {
    await t.close();
  }
});
