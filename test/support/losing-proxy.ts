/**
 * A proxy in front of the MegaMeeting emulator that loses answers, as a broken load balancer would.
 * `lose(operation, mode)` makes the next request naming `operation` either reach MegaMeeting and come back as
 * garbage (`'forward'`: done, answer lost; `afterForward` runs once it was carried out) or not reach it at all
 * (`'drop'`). `after` runs a hook once the next such request was answered normally; `hold` keeps every request
 * whose body matches waiting until a promise settles (to make requests overlap without timing luck).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../emulator/index.js';

export interface LosingProxy {
  url: string;
  lose(operation: string, mode: 'forward' | 'drop', afterForward?: () => void): void;
  /** Runs `run` once the next request naming `operation` was answered normally (before the answer leaves). */
  after(operation: string, run: () => void): void;
  /** Requests whose body matches `pattern` wait for `until` before they reach MegaMeeting. */
  hold(pattern: RegExp, until: Promise<void>): void;
  close(): Promise<void>;
}

const GARBAGE = '<html>upstream reset</html>';

export async function startLosingProxy(emulator: Emulator): Promise<LosingProxy> {
  let rule: { operation: string; mode: 'forward' | 'drop'; afterForward?: (() => void) | undefined } | null =
    null;
  let hook: { operation: string; run: () => void } | null = null;
  let held: { pattern: RegExp; until: Promise<void> } | null = null;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (held?.pattern.test(body)) await held.until;
    const lost = rule && body.includes(rule.operation) ? rule : null;
    if (lost) rule = null;
    if (lost?.mode === 'drop') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(GARBAGE);
      return;
    }
    const upstream = await fetch(`${emulator.url}${req.url ?? '/'}`, {
      method: req.method ?? 'POST',
      headers: { 'content-type': 'application/json', apitoken: String(req.headers.apitoken ?? '') },
      ...(req.method === 'GET' ? {} : { body }),
    });
    const text = await upstream.text();
    if (lost) {
      lost.afterForward?.();
      res.writeHead(200, { 'content-type': 'application/json' }).end(GARBAGE);
      return;
    }
    if (hook && body.includes(hook.operation)) {
      hook.run();
      hook = null;
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lose(operation, mode, afterForward) {
      rule = { operation, mode, afterForward };
    },
    after(operation, run) {
      hook = { operation, run };
    },
    hold(pattern, until) {
      held = { pattern, until };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
