/**
 * Benchmark of the recordings poller (not a test): `npm run bench:recordings [-- 10 1000 10000]`, and part of
 * `npm run bench` (scripts/bench/main.ts).
 *
 * For each size it starts the MegaMeeting emulator with that many recordings (`waiting`, remuxDelayMs 0), a
 * Slack Web API stand-in and a temporary SQLite store, then runs ticks of the real RecordingsPoller:
 *   1. everything new: stored, processing requested (startRemux per recording);
 *   2. everything completed: one DM per recording;
 *   3. steady state: everything finished with (measured twice, the faster shown).
 * It counts MegaMeeting operations (by wrapping the client), store calls (by wrapping the store; one call is
 * one statement except upsertSeenRecording, which is two) and Slack Web API calls (the stand-in's log).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator } from '../../emulator/index.js';
import { SlackStub } from '../../sandbox/slack/stub.js';
import { TEST_WORKSPACE } from '../../sandbox/slack/workspace.js';
import { createLogger } from '../../src/logger.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import type { MegaMeetingApi } from '../../src/megameeting/types.js';
import { IdentityService } from '../../src/services/identity.js';
import { RecordingsPoller, RecordingsService } from '../../src/services/recordings/index.js';
import { createSlackWebClient, SlackGateway } from '../../src/slack/gateway.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

type Counts = Map<string, number>;

/** Wraps every method of `target` to count calls by name. */
function counting<T extends object>(target: T, counts: Counts): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        counts.set(prop, (counts.get(prop) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

const total = (c: Counts) => [...c.values()].reduce((a, b) => a + b, 0);

export interface RecordingsRow {
  recordings: number;
  tick: string;
  ms: number;
  mmRecordingsQueries: number;
  mmOtherCalls: number;
  storeCalls: number;
  slackCalls: number;
  result: string;
}

async function benchOne(size: number): Promise<RecordingsRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-'));
  let now = new Date('2026-03-02T15:00:00Z').getTime();
  const clock = { now: () => new Date(now) };
  const emulator = await startEmulator({ remuxDelayMs: 0 });
  // Block Kit validation in the stand-in is Slack's job, not ours: keep it out of the timing.
  const slack = await SlackStub.start({ validateBlocks: false });
  const rawStore = await openStore(`sqlite:${join(dir, 'bench.sqlite')}`);
  const rows: RecordingsRow[] = [];
  try {
    const logger = createLogger({ level: 'error', secrets: [emulator.adminToken] });
    const host = emulator.state.addLogin({ email: TEST_WORKSPACE.userEmail, roles: ['host'] });
    const meeting = emulator.state.addMeeting({ name: 'Bench meeting', loginId: host.loginId });
    emulator.state.addRecordings(size, {
      meetId: meeting.meetId,
      createdAt: new Date('2026-03-02T14:00:00Z'),
    });
    await rawStore.upsertUserLink({
      teamId: TEST_WORKSPACE.teamId,
      slackUserId: TEST_WORKSPACE.userId,
      loginId: host.loginId,
      email: null,
      source: 'admin',
      linkedBy: null,
      linkedAt: clock.now(),
    });

    const storeCounts: Counts = new Map();
    const mmCounts: Counts = new Map();
    const store: Store = counting(rawStore, storeCounts);
    const megameeting: MegaMeetingApi = counting(
      new MegaMeetingClient({ baseUrl: emulator.url, apiToken: emulator.adminToken }),
      mmCounts,
    );
    const client = createSlackWebClient(TEST_WORKSPACE.botToken, { apiUrl: slack.url });
    const gateway = new SlackGateway(client, logger);
    const identity = new IdentityService({ store, megameeting, slack: gateway, logger, clock });
    const recordings = new RecordingsService({
      store,
      megameeting,
      slack: gateway,
      identity,
      logger,
      clock,
      megameetingUrl: emulator.url,
      autoRemux: true,
    });
    const poller = new RecordingsPoller({ recordings, store, logger, clock, intervalSeconds: 60 });

    const tick = async (label: string): Promise<RecordingsRow> => {
      storeCounts.clear();
      mmCounts.clear();
      slack.clearCalls();
      const started = performance.now();
      const r = await poller.tick();
      const ms = performance.now() - started;
      now += 60_000;
      const recordingsQueries = mmCounts.get('recordings') ?? 0;
      return {
        recordings: size,
        tick: label,
        ms: Math.round(ms),
        mmRecordingsQueries: recordingsQueries,
        mmOtherCalls: total(mmCounts) - recordingsQueries,
        storeCalls: total(storeCounts),
        slackCalls: slack.calls().length,
        result: `${r.status} +${r.added ?? 0} remux ${r.remuxRequested ?? 0} dm ${r.notifiedReady ?? 0} err ${r.errors ?? 0}`,
      };
    };

    rows.push(await tick('1 all new'));
    rows.push(await tick('2 all ready'));
    const a = await tick('3 steady');
    const b = await tick('3 steady');
    rows.push(a.ms <= b.ms ? a : b);
    await poller.stop();
  } finally {
    await rawStore.close();
    await slack.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const HEADERS = [
  'recordings',
  'tick',
  'ms',
  'MM recordings queries',
  'MM other calls',
  'store calls',
  'Slack calls',
  'result',
];

function cellsOf(rows: RecordingsRow[]): string[][] {
  return rows.map((r) => [
    String(r.recordings),
    r.tick,
    String(r.ms),
    String(r.mmRecordingsQueries),
    String(r.mmOtherCalls),
    String(r.storeCalls),
    String(r.slackCalls),
    r.result,
  ]);
}

/** The rows as an aligned Markdown table. */
export function recordingsTable(rows: RecordingsRow[]): string {
  const cells = cellsOf(rows);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join(
    '\n',
  );
}

/** Three ticks (all new, all ready, steady) per size. */
export async function benchRecordings(sizes: readonly number[]): Promise<RecordingsRow[]> {
  const all: RecordingsRow[] = [];
  for (const size of sizes) {
    process.stderr.write(`benchmarking ${size} recordings…\n`);
    all.push(...(await benchOne(size)));
  }
  return all;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  console.log(recordingsTable(await benchRecordings(sizes.length > 0 ? sizes : [10, 1_000, 10_000])));
}
