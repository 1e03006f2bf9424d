/**
 * `npm run bench` (not part of `npm test`): this app against a bare Bolt 5 app that only acks, alternated and
 * repeated, on SQLite and on Postgres, plus the recordings tick benchmark. Prints one table and writes it into
 * docs/benchmarks.md (between the `bench:<label>` markers; the rest of the file is kept).
 *
 * Each segment: fresh stand-ins (MegaMeeting emulator answering after --latency-ms, Slack stand-in) and a fresh
 * database; the app (built JavaScript, `dist/src/main.js`, as `npm start` runs it) or bare Bolt in its own
 * process pinned to CPU 0; this driver (load generator and stand-ins) pinned to CPU 1. Open-loop signed
 * `/meet <title>` at --rate for --commands; ack = HTTP answer time seen by the sender; card = the
 * chat.postMessage carrying that title reaching the Slack stand-in; RSS from /proc before and after.
 * Then the max sustained rate: steps of --step-seconds at rising rates until the ack p95 passes 1 s.
 *
 *   npm run bench                                   # defaults: 10,000 commands at 50/s, 2 s, 2 repeats
 *   npm run bench -- --commands 2000 --repeat 2 --stores sqlite --label quick
 *   npm run bench -- --compare-dir ../before        # also another build of the app, alternated (before/after)
 *   npm run bench -- --only app --app-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" --no-write  # profile
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TEST_WORKSPACE as W } from '../../sandbox/slack/workspace.js';
import { logOffset, problemLines } from './app-log.js';
import { type SentCommand, sendOpenLoop } from './loadgen.js';
import { cpuMsOf, freePort, hasTaskset, rssOf, startNode } from './processes.js';
import { benchRecordings, recordingsTable } from './recordings.js';
import { startStandIns } from './standins.js';
import { markdownTable, mb, median, ms, ratio, summarize } from './stats.js';
import { type BenchStore, createBenchDatabase } from './stores.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const { values: flags } = parseArgs({
  options: {
    commands: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '50' },
    'latency-ms': { type: 'string', default: '2000' },
    'live-meetings': { type: 'string', default: '200' },
    repeat: { type: 'string', default: '2' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    'max-rates': { type: 'string', default: '50,100,200,400,800,1600' },
    'step-seconds': { type: 'string', default: '30' },
    'no-max-rate': { type: 'boolean', default: false },
    'recordings-sizes': { type: 'string', default: '10,1000,10000' },
    'no-recordings': { type: 'boolean', default: false },
    'app-dir': { type: 'string', default: ROOT },
    'compare-dir': { type: 'string', default: '' },
    'compare-label': { type: 'string', default: 'before' },
    'skip-build': { type: 'boolean', default: false },
    'app-node-args': { type: 'string', default: '' },
    'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    label: { type: 'string', default: 'latest' },
    out: { type: 'string', default: join(ROOT, 'docs/benchmarks.md') },
    'no-write': { type: 'boolean', default: false },
    only: { type: 'string', default: '' },
    'results-dir': { type: 'string', default: '' },
  },
});

const COMMANDS = Number(flags.commands);
const RATE = Number(flags.rate);
const LATENCY_MS = Number(flags['latency-ms']);
const LIVE_MEETINGS = Number(flags['live-meetings']);
const REPEAT = Number(flags.repeat);
const STORES = (flags.stores as string).split(',').filter(Boolean) as BenchStore[];
const MAX_RATES = (flags['max-rates'] as string).split(',').map(Number);
const STEP_SECONDS = Number(flags['step-seconds']);
const APP_DIR = resolve(flags['app-dir'] as string);
const ACK_LIMIT_MS = 1000;
const COMPARE_LABEL = flags['compare-label'] as string;

type Kind = 'bare' | 'app' | 'before';

const COMPARE_DIR = flags['compare-dir'] ? resolve(flags['compare-dir'] as string) : null;

/** Each measured process's log and each unanswered command, per run: bench-results/<label>-<time>/ by default. */
const RESULTS_DIR = resolve(
  (flags['results-dir'] as string) ||
    join(
      ROOT,
      'bench-results',
      `${flags.label}-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}`,
    ),
);

function kindName(kind: Kind): string {
  return kind === 'bare' ? 'bare Bolt' : kind === 'app' ? 'this app' : `app at ${COMPARE_LABEL}`;
}

/**
 * Pins this driver to CPU 1 (the app gets CPU 0) by running a copy of itself under taskset; this unpinned
 * parent then only forwards signals and exits with the copy. Null when nothing can be pinned.
 */
function pinDriver(): number | null {
  if (!hasTaskset() || cpus().length < 2) return null;
  if (!PINNED) {
    const child = spawn(
      'taskset',
      ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      {
        stdio: 'inherit',
        env: { ...process.env, MM_BENCH_PINNED: '1' },
      },
    );
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    child.on('exit', (code) => process.exit(code ?? 1));
  }
  return 0;
}

const PINNED = process.env.MM_BENCH_PINNED === '1';
const appCpu = pinDriver();

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function startTarget(
  kind: Kind,
  dbUrl: string,
  standIns: { slackUrl: string; mmUrl: string; token: string },
  logPath: string,
) {
  const port = await freePort();
  const nodeArgs = (flags['app-node-args'] as string).split(' ').filter(Boolean);
  if (kind === 'bare') {
    return {
      port,
      started: await startNode({
        args: [...nodeArgs, join(ROOT, 'scripts/bench/bare-bolt.mjs')],
        env: { PORT: String(port), SLACK_SIGNING_SECRET: W.signingSecret },
        cpu: appCpu,
        readyUrl: `http://127.0.0.1:${port}/`,
        cwd: ROOT,
        logPath,
      }),
    };
  }
  const dir = kind === 'before' && COMPARE_DIR ? COMPARE_DIR : APP_DIR;
  return {
    port,
    started: await startNode({
      args: [...nodeArgs, join(dir, 'dist/src/main.js')],
      env: {
        NODE_ENV: 'production',
        SLACK_BOT_TOKEN: W.botToken,
        SLACK_SIGNING_SECRET: W.signingSecret,
        SLACK_API_URL: standIns.slackUrl,
        MEGAMEETING_URL: standIns.mmUrl,
        MEGAMEETING_API_TOKEN: standIns.token,
        DATABASE_URL: dbUrl,
        PORT: String(port),
        RECORDINGS_POLL_SECONDS: '60',
        LOG_LEVEL: 'info',
      },
      cpu: appCpu,
      readyUrl: `http://127.0.0.1:${port}/healthz`,
      cwd: dir,
      logPath,
    }),
  };
}

interface Segment {
  kind: Kind;
  store: BenchStore;
  ackMs: number[];
  failed: number;
  cardMs: number[];
  missingCards: number;
  rssStart: number;
  rssAfter: number;
  /** CPU time the target used from the first command until its last card (ms, user + system). */
  cpuMs: number;
  /** MegaMeeting `meetings` queries (lists of the account's meetings) during the segment. */
  meetingLists: number;
}

/**
 * Commands without a 200 answer: how many and why (status or socket error), kept in the results folder, and
 * printed with the target's warn/error log lines written since `fromOffset`.
 */
function reportUnanswered(name: string, sent: SentCommand[], logPath: string, fromOffset: number): void {
  const unanswered = sent.filter((s) => s.status !== 200);
  if (unanswered.length === 0) return;
  const why = new Map<string, number>();
  for (const s of unanswered) {
    const reason = s.status ? `HTTP ${s.status}` : (s.error ?? 'unknown');
    why.set(reason, (why.get(reason) ?? 0) + 1);
  }
  const file = join(RESULTS_DIR, `${name}.unanswered.json`);
  writeFileSync(file, `${JSON.stringify(unanswered, null, 1)}\n`);
  log(
    `  ${unanswered.length} not answered 200 (${[...why].map(([r, n]) => `${n} ${r}`).join(', ')}); ` +
      `commands in ${file}`,
  );
  const problems = problemLines(logPath, fromOffset);
  log(`  the target's warn/error lines meanwhile: ${problems.count} (log: ${logPath})`);
  for (const line of problems.lines) log(`    ${line.slice(0, 600)}`);
  if (problems.count > problems.lines.length) log(`    … ${problems.count - problems.lines.length} more`);
}

async function runSegment(kind: Kind, store: BenchStore, run: string): Promise<Segment> {
  const standIns = await startStandIns(LATENCY_MS, LIVE_MEETINGS);
  const db = await createBenchDatabase(store, flags['postgres-url'] as string);
  const name = `${store}-${kind}-${run}`;
  const logPath = join(RESULTS_DIR, `${name}.log`);
  const target = await startTarget(
    kind,
    db.url,
    { slackUrl: standIns.slack.url, mmUrl: standIns.emulator.url, token: standIns.emulator.adminToken },
    logPath,
  );
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const rssStart = rssOf(target.started.pid);
    const cpuStart = cpuMsOf(target.started.pid);
    const sent = await sendOpenLoop({
      url: `http://127.0.0.1:${target.port}/slack/events`,
      signingSecret: W.signingSecret,
      rate: RATE,
      count: COMMANDS,
      run,
      responseUrl: () => standIns.slack.responseUrl(),
    });
    reportUnanswered(name, sent, logPath, 0);
    const answered = sent.filter((s) => s.status === 200);
    let cardMs: number[] = [];
    let missingCards = 0;
    if (kind !== 'bare') {
      // Wait for the cards of the last commands (MegaMeeting answers after LATENCY_MS).
      const deadline = Date.now() + LATENCY_MS * 3 + 15_000;
      let cards = standIns.cardTimes();
      while (cards.size < answered.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        cards = standIns.cardTimes();
      }
      cardMs = answered.flatMap((s) => {
        const at = cards.get(s.title);
        return at === undefined ? [] : [at - s.sentAt];
      });
      missingCards = answered.length - cardMs.length;
    }
    await new Promise((r) => setTimeout(r, 1000));
    const rssAfter = rssOf(target.started.pid);
    const cpuMs = cpuMsOf(target.started.pid) - cpuStart;
    const meetingLists = standIns.megameetingCalls().get('meetings') ?? 0;
    return {
      kind,
      store,
      ackMs: answered.map((s) => s.ackMs),
      failed: sent.length - answered.length,
      cardMs,
      missingCards,
      rssStart,
      rssAfter,
      cpuMs,
      meetingLists,
    };
  } finally {
    await target.started.stop();
    await standIns.close();
    await db.drop();
  }
}

/** Rising rates until the ack p95 passes 1 s (or answers fail): the last rate that held. */
async function maxSustainedRate(kind: Kind, store: BenchStore): Promise<{ rate: number; capped: boolean }> {
  const standIns = await startStandIns(LATENCY_MS, LIVE_MEETINGS);
  const db = await createBenchDatabase(store, flags['postgres-url'] as string);
  const logPath = join(RESULTS_DIR, `${store}-${kind}-rates.log`);
  const target = await startTarget(
    kind,
    db.url,
    { slackUrl: standIns.slack.url, mmUrl: standIns.emulator.url, token: standIns.emulator.adminToken },
    logPath,
  );
  let held = 0;
  try {
    for (const [i, rate] of MAX_RATES.entries()) {
      const stepStart = logOffset(logPath);
      const sent = await sendOpenLoop({
        url: `http://127.0.0.1:${target.port}/slack/events`,
        signingSecret: W.signingSecret,
        rate,
        count: Math.round(rate * STEP_SECONDS),
        run: `m${i}`,
        responseUrl: () => standIns.slack.responseUrl(),
        graceMs: 5000,
      });
      const ok = sent.filter((s) => s.status === 200);
      const p95 = summarize(ok.map((s) => s.ackMs)).p95;
      log(`  ${kind} ${store} at ${rate}/s: ack p95 ${ms(p95)}, ${sent.length - ok.length} unanswered`);
      reportUnanswered(`${store}-${kind}-rate${rate}`, sent, logPath, stepStart);
      if (ok.length < sent.length || !(p95 <= ACK_LIMIT_MS)) return { rate: held, capped: false };
      held = rate;
      // Let the work after the acks drain before the next step.
      await new Promise((r) => setTimeout(r, LATENCY_MS + 2000));
    }
    return { rate: held, capped: true };
  } finally {
    await target.started.stop();
    await standIns.close();
    await db.drop();
  }
}

function range(values: number[], format: (v: number) => string): string {
  if (values.length === 0) return '–';
  const sorted = [...values].sort((a, b) => a - b);
  const lo = sorted[0] as number;
  const hi = sorted[sorted.length - 1] as number;
  return sorted.length > 1 && format(lo) !== format(hi)
    ? `${format(median(values))} (${format(lo)}–${format(hi)})`
    : format(lo);
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const startedAt = new Date();
  mkdirSync(RESULTS_DIR, { recursive: true });
  log(`logs of every measured process in ${RESULTS_DIR}`);
  if (!flags['skip-build']) {
    log(`building ${APP_DIR} (npm run build)`);
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: APP_DIR, stdio: 'inherit' });
  }
  if (!existsSync(join(APP_DIR, 'dist/src/main.js')))
    throw new Error(`no build at ${APP_DIR}/dist/src/main.js`);

  const all: Kind[] = COMPARE_DIR ? ['bare', 'app', 'before'] : ['bare', 'app'];
  const kinds = all.filter((k) => !flags.only || k === flags.only);
  const apps = kinds.filter((k) => k !== 'bare');
  const header = [
    'store',
    'measure',
    ...kinds.map(kindName),
    ...apps.map((k) => `${kindName(k)} ÷ bare`),
    'target',
  ];
  const rows: string[][] = [];
  for (const store of STORES) {
    const segments: Segment[] = [];
    for (let r = 0; r < REPEAT; r++) {
      // Alternate, and rotate who goes first on every repetition.
      const order = kinds.map((_, i) => kinds[(i + r) % kinds.length] as Kind);
      for (const kind of order) {
        log(`${store} repeat ${r + 1}/${REPEAT}: ${kind}, ${COMMANDS} commands at ${RATE}/s`);
        const s = await runSegment(kind, store, `r${r}${kind.slice(0, 2)}`);
        const a = summarize(s.ackMs);
        log(
          `  ack p50 ${ms(a.p50)} p95 ${ms(a.p95)} p99 ${ms(a.p99)}; RSS ${mb(s.rssStart)} → ${mb(s.rssAfter)}` +
            `; CPU ${ms(s.cpuMs / COMMANDS)} per command` +
            (kind !== 'bare' ? `; ${s.meetingLists} meetings lists` : '') +
            (kind !== 'bare' ? `; card p95 ${ms(summarize(s.cardMs).p95)}, ${s.missingCards} missing` : '') +
            (s.failed ? `; ${s.failed} not answered 200` : ''),
        );
        segments.push(s);
      }
    }
    const per = (kind: Kind, f: (s: Segment) => number) => segments.filter((s) => s.kind === kind).map(f);
    const ack = (p: 'p50' | 'p95' | 'p99') => (s: Segment) => summarize(s.ackMs)[p];
    const metric = (
      name: string,
      f: (s: Segment) => number,
      format: (v: number) => string,
      target: string,
    ) => {
      const bare = median(per('bare', f));
      rows.push([
        store,
        name,
        ...kinds.map((k) => range(per(k, f), format)),
        ...apps.map((k) => ratio(median(per(k, f)), bare)),
        target,
      ]);
    };
    const row = (name: string, cells: (k: Kind) => string, over: (k: Kind) => string, target: string) =>
      rows.push([store, name, ...kinds.map(cells), ...apps.map(over), target]);
    metric(`ack p50 (${COMMANDS} commands)`, ack('p50'), ms, '');
    metric(`ack p95 (${COMMANDS} commands)`, ack('p95'), ms, '≤ 1.3×');
    metric(`ack p99 (${COMMANDS} commands)`, ack('p99'), ms, '≤ 1.5×');
    const card = (s: Segment) => summarize(s.cardMs).p95;
    const missing = (k: Kind) => per(k, (s) => s.missingCards).reduce((x, y) => x + y, 0);
    row(
      `command → card p95 (MegaMeeting ${LATENCY_MS} ms)`,
      (k) => (k === 'bare' ? '–' : range(per(k, card), ms) + (missing(k) ? ` (${missing(k)} missing)` : '')),
      (k) => `+${ms(median(per(k, card)) - LATENCY_MS)} over MM`,
      '≤ +50 ms',
    );
    metric('CPU time per command', (s) => s.cpuMs / COMMANDS, ms, '');
    row(
      `MegaMeeting meetings lists (${COMMANDS} commands)`,
      (k) =>
        k === 'bare'
          ? '–'
          : range(
              per(k, (s) => s.meetingLists),
              String,
            ),
      () => '',
      '',
    );
    metric('RSS at start', (s) => s.rssStart, mb, '≤ 1.5×');
    metric(`RSS after ${COMMANDS} commands`, (s) => s.rssAfter, mb, '');
    const growth = (s: Segment) => (s.rssAfter / s.rssStart - 1) * 100;
    const pct = (v: number) => `${v.toFixed(0)}%`;
    row(
      'RSS growth over the run',
      (k) => range(per(k, growth), pct),
      () => '',
      '≤ 15%',
    );
    const failed = (k: Kind) => per(k, (s) => s.failed).reduce((x, y) => x + y, 0);
    if (kinds.some((k) => failed(k) > 0))
      row(
        'commands not answered 200',
        (k) => String(failed(k)),
        () => '',
        '0',
      );
    if (!flags['no-max-rate']) {
      const rates = new Map<Kind, { rate: number; capped: boolean }>();
      for (const k of kinds) rates.set(k, await maxSustainedRate(k, store));
      const show = (k: Kind) => {
        const r = rates.get(k);
        return r ? `${r.capped ? '≥ ' : ''}${r.rate}/s` : '–';
      };
      row(
        'max sustained rate (ack p95 ≤ 1 s)',
        show,
        (k) => ratio(rates.get(k)?.rate ?? Number.NaN, rates.get('bare')?.rate ?? Number.NaN),
        '≥ 0.5×',
      );
    }
  }

  let recordings = '';
  if (!flags['no-recordings']) {
    const sizes = (flags['recordings-sizes'] as string)
      .split(',')
      .map(Number)
      .filter((n) => n > 0);
    recordings = recordingsTable(await benchRecordings(sizes));
  }
  const loadAfter = loadavg();
  const cpu = cpus();
  const report = [
    `Run ${startedAt.toISOString().slice(0, 16)}Z, label \`${flags.label}\`: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}),`,
    `Node ${process.version}, ${appCpu === null ? 'no taskset (nothing pinned)' : 'app on CPU 0, driver and stand-ins on CPU 1 (taskset)'};`,
    `${COMMANDS} commands at ${RATE}/s, MegaMeeting latency ${LATENCY_MS} ms, ${REPEAT} alternating repeats per store,`,
    `${LIVE_MEETINGS > 0 ? `at most ${LIVE_MEETINGS} meetings live on the account (older ones end)` : 'every meeting stays live'};`,
    `load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after.`,
    ...(flags['app-node-args']
      ? [`Node flags of every measured process: \`${flags['app-node-args']}\`.`]
      : []),
    `Values: median of the repeats (min–max).`,
    '',
    markdownTable(header, rows),
    ...(recordings
      ? ['', 'Recordings poller ticks (SQLite, MegaMeeting without latency):', '', recordings]
      : []),
  ].join('\n');
  console.log(report);
  writeFileSync(join(RESULTS_DIR, 'report.md'), `${report}\n`);
  if (!flags['no-write']) writeReport(flags.out as string, flags.label as string, report);
}

/** Replaces the block between `<!-- bench:<label>:begin -->` and `…:end -->`, or appends one. */
function writeReport(path: string, label: string, report: string): void {
  const begin = `<!-- bench:${label}:begin -->`;
  const end = `<!-- bench:${label}:end -->`;
  const block = `${begin}\n${report}\n${end}`;
  const current = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench`.\n';
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  const next =
    i >= 0 && j > i
      ? current.slice(0, i) + block + current.slice(j + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
  log(`wrote ${path} (${label})`);
}

// The unpinned parent only waits for its pinned copy.
if (PINNED || !hasTaskset() || cpus().length < 2) await main();
