/**
 * The app's HTTP server (plain node:http): `/slack/events` for Bolt in HTTP mode (after our own timestamp check),
 * `/healthz`, and whatever an optional extra handler claims (the metrics route). Everything else is a JSON 404.
 * While stopping, Slack requests get 503 with retry-after and `/healthz` says so.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HTTPReceiver } from '@slack/bolt';
import type { AppLogger } from '../logger.js';
import { isFreshSlackTimestamp } from '../slack/request-guard.js';

export interface HttpServerDeps {
  /** Bolt's receiver in HTTP mode; null in Socket Mode (then `/slack/events` is a 404). */
  receiver: HTTPReceiver | null;
  logger: AppLogger;
  /** What `/healthz` reports besides its status. */
  health: Record<string, string>;
  isStopping(): boolean;
  /** Answers a request it owns and returns true (the metrics route), else false. */
  extraRoute?: ((req: IncomingMessage, res: ServerResponse, path: string) => boolean) | undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function createHttpServer(deps: HttpServerDeps): Server {
  const { receiver, logger, health, isStopping, extraRoute } = deps;
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (extraRoute?.(req, res, path)) return;
    if (req.method === 'GET' && path === '/healthz') {
      const stopping = isStopping();
      return sendJson(res, stopping ? 503 : 200, { status: stopping ? 'stopping' : 'ok', ...health });
    }
    if (receiver && path === '/slack/events') {
      // Bolt accepts timestamps from the future; Slack's rule is 5 minutes either way, and so is ours.
      if (!isFreshSlackTimestamp(req.headers['x-slack-request-timestamp'], new Date())) {
        logger.warn({ path }, 'rejected a request whose Slack timestamp is missing or outside 5 minutes');
        res.writeHead(401).end();
        return;
      }
      if (isStopping()) {
        res.writeHead(503, { 'retry-after': '5' }).end();
        return;
      }
      try {
        receiver.requestListener(req, res);
      } catch (err) {
        logger.warn({ err, path }, 'request could not be handled');
        if (!res.headersSent) res.writeHead(404).end();
      }
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  });
}

/** Listens on `port` (0: any free port) and resolves with the port actually bound. */
export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
