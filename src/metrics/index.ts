/**
 * Prometheus metrics (prom-client), loaded by the app only when METRICS=true: `GET /metrics` on the app's own
 * HTTP server. Every label comes from a closed set (labels.ts). One registry per running app, so that tests can
 * run several apps in one process; the diagnostics channels (probes.ts) are process-wide.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import promClient from 'prom-client';
import type { AppLogger } from '../logger.js';
import type { RecordingState, Store } from '../store/types.js';
import {
  closed,
  MEGAMEETING_ERROR_CODES,
  OPERATIONS,
  requestLabels,
  SLACK_ERROR_KINDS,
  SLACK_METHODS,
} from './labels.js';
import {
  type MegaMeetingCallProbe,
  megameetingCallChannel,
  type SlackApiErrorProbe,
  slackApiErrorChannel,
} from './probes.js';

const RECORDING_STATES: readonly RecordingState[] = [
  'seen',
  'remux_requested',
  'ready',
  'notified',
  'failed',
  'skipped',
  'deleted',
];

export interface Metrics {
  /** Counts every request Bolt handles (type, name, outcome) and how long its listener ran. */
  middleware: Middleware<AnyMiddlewareArgs>;
  /** Serves `GET /metrics` and times the ack of `POST /slack/events`; true when it answered the request. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  stop(): void;
}

export function startMetrics(deps: { store: Store; logger: AppLogger }): Metrics {
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = promClient;
  const registry = new Registry();
  // Process memory, CPU, GC, handles and event-loop delay (perf_hooks.monitorEventLoopDelay).
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'megameeting_slack_requests_total',
    help: 'Slack requests handled, by type (command, block_actions, …), name (command or action/view id) and outcome',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [registry],
  });
  const handling = new Histogram({
    name: 'megameeting_slack_handler_seconds',
    help: 'Time from a Slack request reaching the listeners until its listener finished (after the ack)',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const ack = new Histogram({
    name: 'megameeting_slack_ack_seconds',
    help: 'Time from a request on /slack/events arriving to the HTTP answer (the ack Slack waits 3 s for)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [registry],
  });
  const mmCalls = new Histogram({
    name: 'megameeting_api_call_seconds',
    help: 'MegaMeeting API operations (retries included), by operation and outcome (ok or an error code)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers: [registry],
  });
  const mmErrors = new Counter({
    name: 'megameeting_api_errors_total',
    help: 'Failed MegaMeeting API operations, by operation and error code',
    labelNames: ['operation', 'code'] as const,
    registers: [registry],
  });
  const slackErrors = new Counter({
    name: 'megameeting_slack_api_errors_total',
    help: 'Failed Slack Web API calls (each attempt), by method and kind',
    labelNames: ['method', 'kind'] as const,
    registers: [registry],
  });
  const slackRateLimited = new Counter({
    name: 'megameeting_slack_api_rate_limited_total',
    help: 'Slack Web API calls answered 429 (rate limited), by method',
    labelNames: ['method'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'megameeting_recordings',
    help: 'Recordings the app knows, by state (notified = announced; seen, remux_requested, ready = pending)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const counts = new Map<string, number>(RECORDING_STATES.map((s) => [s, 0]));
        for (const state of (await deps.store.getRecordingStates()).values()) {
          counts.set(state, (counts.get(state) ?? 0) + 1);
        }
        for (const [state, n] of counts) this.set({ state }, n);
      } catch (err) {
        deps.logger.warn({ err }, 'metrics: could not count recordings in the store');
      }
    },
  });

  const onMegaMeetingCall = (message: unknown) => {
    const m = message as MegaMeetingCallProbe;
    const operation = closed(m.operation, OPERATIONS);
    const outcome = m.outcome === 'ok' ? 'ok' : closed(m.outcome, MEGAMEETING_ERROR_CODES);
    mmCalls.observe({ operation, outcome }, m.durationMs / 1000);
    if (outcome !== 'ok') mmErrors.inc({ operation, code: outcome });
  };
  const onSlackApiError = (message: unknown) => {
    const m = message as SlackApiErrorProbe;
    const method = closed(m.method, SLACK_METHODS);
    const kind = closed(m.kind, SLACK_ERROR_KINDS);
    slackErrors.inc({ method, kind });
    if (kind === 'ratelimited') slackRateLimited.inc({ method });
  };
  subscribe(megameetingCallChannel.name, onMegaMeetingCall);
  subscribe(slackApiErrorChannel.name, onSlackApiError);

  const middleware: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
    const { type, name } = requestLabels(body);
    const started = performance.now();
    let outcome = 'error';
    try {
      await next();
      outcome = 'ok';
    } finally {
      requests.inc({ type, name, outcome });
      handling.observe({ type }, (performance.now() - started) / 1000);
    }
  };

  return {
    middleware,
    handle(req, res, path) {
      if (path === '/metrics' && req.method === 'GET') {
        registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': registry.contentType });
            res.end(text);
          },
          (err: unknown) => {
            deps.logger.warn({ err }, 'metrics: could not render /metrics');
            res.writeHead(500).end();
          },
        );
        return true;
      }
      if (path === '/slack/events') {
        const started = performance.now();
        res.once('finish', () => ack.observe((performance.now() - started) / 1000));
      }
      return false;
    },
    stop() {
      unsubscribe(megameetingCallChannel.name, onMegaMeetingCall);
      unsubscribe(slackApiErrorChannel.name, onSlackApiError);
      registry.clear();
    },
  };
}
