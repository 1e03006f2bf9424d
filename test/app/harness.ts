/**
 * Drives the real app over HTTP for end-to-end tests: the Bolt app (startApp) on a free port, the MegaMeeting
 * emulator, the Slack Web API stand-in, and a store on SQLite (or Postgres). Requests are signed like Slack's.
 *
 *   const t = await startTestApp();
 *   const res = await t.command('Design sync');
 *   const post = await t.slack.waitForCall('chat.postMessage');
 *   await t.close();
 */

import { Writable } from 'node:stream';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { type RunningApp, startApp, type Tuning } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Clock } from '../../src/services/clock.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../store/helpers.js';
import { postOnce } from '../support/http-post.js';
import {
  type BlockActionsInput,
  blockActionsPayload,
  interactivityBody,
  signSlackRequest,
  slashCommandBody,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from '../support/slack-requests.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

export const HOST_EMAIL = TEST_WORKSPACE.userEmail;

export interface TestAppOptions {
  env?: Record<string, string>;
  dialect?: TestDialect;
  clock?: Clock;
  /** Share one emulator / database between apps (restart and multi-replica tests). */
  emulator?: Emulator;
  slack?: SlackStub;
  databaseUrl?: string;
  /** Map the default Slack user (ana@example.com) to a MegaMeeting host login (default true). */
  seedHostLogin?: boolean;
  startPoller?: boolean;
  /** Shorter waits (Slack's call timeout, the look-up pause) for tests of slow answers. */
  tuning?: Tuning;
}

export interface SentRequest {
  status: number;
  body: string;
  elapsedMs: number;
}

export interface TestApp {
  emulator: Emulator;
  slack: SlackStub;
  running: RunningApp;
  store: Store;
  url: string;
  /** Every log line the app wrote (JSON text). */
  logs: string[];
  /** The default user's MegaMeeting login, when seeded. */
  hostLogin: { loginId: string; apiToken: string } | null;
  databaseUrl: string;
  /** Send `/meet <text>`; returns the HTTP answer. `responseUrl` of the command is `t.lastResponseUrl`. */
  command(text: string, overrides?: Record<string, string>): Promise<SentRequest & { responseUrl: string }>;
  /** Press a button: `action_id` and `value`, from a message (channel card by default). */
  action(
    actionId: string,
    value: string,
    overrides?: { userId?: string; channelId?: string; messageTs?: string; isEphemeral?: boolean } & Omit<
      BlockActionsInput,
      'actionId' | 'value'
    >,
  ): Promise<SentRequest & { responseUrl: string }>;
  /** Submit a modal as Slack would. */
  submitView(input: {
    callbackId: string;
    values: Record<string, Record<string, unknown>>;
    privateMetadata?: string;
    userId?: string;
    viewId?: string;
    /** The view being submitted (e.g. `t.slack.lastView(callbackId)`), echoed as Slack does. */
    view?: ViewSubmissionInput['view'];
  }): Promise<SentRequest>;
  /** POST any raw body with chosen headers (signature tests). */
  post(body: string, headers: Record<string, string>): Promise<SentRequest>;
  close(): Promise<void>;
}

async function postTo(url: string, body: string, headers: Record<string, string>): Promise<SentRequest> {
  const res = await postOnce(url, body, headers);
  return { status: res.status, body: res.body, elapsedMs: res.elapsedMs };
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const emulator = opts.emulator ?? (await startEmulator({ remuxDelayMs: 0 }));
  const slack = opts.slack ?? (await SlackStub.start());
  let db: TestDatabase | null = null;
  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    db = await createTestDatabase(opts.dialect ?? 'sqlite');
    databaseUrl = db.url;
  }
  let hostLogin: TestApp['hostLogin'] = null;
  if (opts.seedHostLogin !== false && !opts.emulator) {
    const added = emulator.state.addLogin({
      email: HOST_EMAIL,
      fullName: TEST_WORKSPACE.userRealName,
      roles: ['host'],
    });
    hostLogin = { loginId: added.loginId, apiToken: added.apiToken };
  }
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_WORKSPACE.botToken,
    SLACK_SIGNING_SECRET: TEST_WORKSPACE.signingSecret,
    SLACK_API_URL: slack.url,
    PORT: '0',
    MEGAMEETING_URL: emulator.url,
    MEGAMEETING_API_TOKEN: emulator.adminToken,
    DATABASE_URL: databaseUrl,
    RECORDINGS_POLL_SECONDS: '0',
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.slack.botToken, config.slack.signingSecret, config.megameeting.apiToken],
    destination,
  });
  let running: RunningApp;
  try {
    running = await startApp(config, logger, {
      ...(opts.clock ? { clock: opts.clock } : {}),
      startPoller: opts.startPoller ?? false,
      ...(opts.tuning ? { tuning: opts.tuning } : {}),
    });
  } catch (err) {
    // Nothing may outlive a failed start: the test would hang on open handles.
    if (!opts.slack) await slack.close();
    if (!opts.emulator) await emulator.close();
    if (db) await db.drop();
    throw err;
  }
  const url = `http://127.0.0.1:${running.port}/slack/events`;

  const signedPost = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    postTo(url, body, {
      ...signSlackRequest(body, TEST_WORKSPACE.signingSecret, Math.floor(Date.now() / 1000)),
      'content-type': contentType,
    });

  return {
    emulator,
    slack,
    running,
    store: running.services.store,
    url,
    logs,
    hostLogin,
    databaseUrl,
    async command(text, overrides = {}) {
      const responseUrl = overrides.response_url ?? slack.responseUrl();
      const body = slashCommandBody({ text, response_url: responseUrl, ...overrides });
      return { ...(await signedPost(body)), responseUrl };
    },
    async action(actionId, value, o = {}) {
      const responseUrl = slack.responseUrl();
      const payload = blockActionsPayload({
        ...o,
        actionId,
        value,
        userId: o.userId ?? TEST_WORKSPACE.userId,
        channelId: o.channelId ?? TEST_WORKSPACE.channelId,
        messageTs: o.messageTs ?? '1700000000.000100',
        isEphemeral: o.isEphemeral ?? false,
        responseUrl,
      });
      return { ...(await signedPost(interactivityBody(payload))), responseUrl };
    },
    async submitView(input) {
      const payload = viewSubmissionPayload({
        callbackId: input.callbackId,
        values: input.values,
        privateMetadata: input.privateMetadata ?? '',
        userId: input.userId ?? TEST_WORKSPACE.userId,
        ...(input.viewId ? { viewId: input.viewId } : {}),
        ...(input.view ? { view: input.view } : {}),
      });
      return signedPost(interactivityBody(payload));
    },
    post: (body, headers) => postTo(url, body, headers),
    async close() {
      await running.stop();
      await running.services.store.close().catch(() => {});
      if (!opts.slack) await slack.close();
      if (!opts.emulator) await emulator.close();
      if (db) await db.drop();
    },
  };
}

export { openStore };

/** Polls `check` until it returns a value other than undefined/false (the app works after its ack). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  // Generous: a condition met returns at once; only a failing test waits this long (a loaded CI machine).
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
