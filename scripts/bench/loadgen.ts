/**
 * Open-loop load: signed `/meet <title>` requests sent on a fixed schedule (i / rate seconds after the start),
 * whether or not earlier ones were answered, as Slack does. Each answer's latency is the ack as Slack sees it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { TEST_WORKSPACE as W } from '../../sandbox/slack/workspace.js';

export interface SentCommand {
  index: number;
  title: string;
  sentAt: number;
  /** ms from send to the full HTTP answer; NaN when none came. */
  ackMs: number;
  status: number;
  /**
   * Why no answer came: the socket error's code (e.g. `ECONNRESET (reused socket)`) after `failedAfterMs`, or
   * `no answer in time`.
   */
  error?: string;
  failedAfterMs?: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A title made of letters only, so the /meet grammar never reads part of it as a date or a time. */
export function benchTitle(run: string, index: number): string {
  let n = index;
  let word = '';
  do {
    word = (LETTERS[n % 26] as string) + word;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `Bench ${run} q${word}`;
}

function commandBody(title: string, responseUrl: string): string {
  return new URLSearchParams({
    token: W.verificationToken,
    team_id: W.teamId,
    team_domain: W.teamDomain,
    channel_id: W.channelId,
    channel_name: W.channelName,
    user_id: W.userId,
    user_name: W.userName,
    command: '/meet',
    text: title,
    api_app_id: W.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
  }).toString();
}

export interface LoadOptions {
  url: string;
  signingSecret: string;
  rate: number;
  count: number;
  run: string;
  responseUrl: (index: number) => string;
  /** Give up on answers this long after the last send. */
  graceMs?: number;
}

export async function sendOpenLoop(opts: LoadOptions): Promise<SentCommand[]> {
  const target = new URL(opts.url);
  // Node 20's agent honours the server's `Keep-Alive: timeout=N` hint (dropping idle sockets 1 s before it) only
  // when it has a timeout of its own; without one it keeps idle sockets until the server closes them, and a
  // request sent as the server closes one fails with ECONNRESET (round six: the one unanswered /meet of round
  // five; scripts/bench/keepalive-race.mjs). Any timeout above the hint will do: the hint then decides.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, timeout: 60_000 });
  const results: SentCommand[] = [];
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  const send = (index: number) => {
    const title = benchTitle(opts.run, index);
    const body = commandBody(title, opts.responseUrl(index));
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', opts.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const entry: SentCommand = { index, title, sentAt: Date.now(), ackMs: Number.NaN, status: 0 };
    results.push(entry);
    const began = performance.now();
    const done = new Promise<void>((resolve) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-slack-request-timestamp': String(ts),
            'x-slack-signature': signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            entry.ackMs = performance.now() - began;
            entry.status = res.statusCode ?? 0;
            resolve();
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // Given up on already: the agent's sockets are destroyed after the grace.
        if (entry.error === undefined) {
          // A reused keep-alive socket that the server closed as the request went out is the client's race, not
          // the app's failure (Node's docs on `request.reusedSocket`), so say which it was.
          entry.error = `${err.code ?? err.message}${req.reusedSocket ? ' (reused socket)' : ' (new socket)'}`;
          entry.failedAfterMs = performance.now() - began;
        }
        resolve();
      });
      req.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };
  for (let i = 0; i < opts.count; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    send(i);
  }
  const grace = new Promise((r) => setTimeout(r, opts.graceMs ?? 10_000).unref());
  await Promise.race([Promise.all(pending), grace]);
  // Still waiting at the end of the grace: marked before the agent's sockets are destroyed (which errors them).
  for (const entry of results) {
    if (entry.status === 0 && entry.error === undefined) entry.error = 'no answer in time';
  }
  agent.destroy();
  return results;
}
