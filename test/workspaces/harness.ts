/**
 * Multi-workspace mode end to end: the real app (startMultiWorkspaceApp) on a free port, the Slack stand-in with
 * its OAuth endpoint and authorize page (sandbox/slack/oauth.ts), a fresh database. `install()` goes through the
 * pages the way a browser does (cookie included) with fetch; test/workspaces/install.browser.test.ts does it in
 * Chromium.
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from '@jest/globals';
import type { Emulator } from '../../emulator/index.js';
import type { Grant } from '../../sandbox/slack/oauth.js';
import { configSecrets, loadStartupConfig, type MultiModeConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { SecretBox } from '../../src/secrets/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { type RunningMultiWorkspaceApp, startMultiWorkspaceApp } from '../../src/workspaces/app.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../store/helpers.js';
import { eventCallbackBody, postToApp, slashCommandBody } from '../support/slack-requests.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = 'client-secret-for-tests-0001';
export const STATE_SECRET = 'state-secret-for-tests-state-secret-0001';
export const ENCRYPTION_KEY = Buffer.alloc(32, 5).toString('base64');

/** A free TCP port (PUBLIC_URL must name the port before the app listens on it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface MultiTestApp {
  slack: SlackStub;
  running: RunningMultiWorkspaceApp;
  config: MultiModeConfig;
  /** `http://127.0.0.1:<port>` (PUBLIC_URL). */
  base: string;
  store: Store;
  db: TestDatabase;
  logs: string[];
  stop(): Promise<void>;
}

export interface MultiTestAppOptions {
  dialect?: TestDialect;
  /** Issue rotating tokens (xoxe., refresh tokens), as with `token_rotation_enabled`. */
  tokenRotation?: boolean;
  /** Another replica: share this stand-in and database instead of starting new ones. */
  shareWith?: MultiTestApp;
  /** Variables to add or override (e.g. another ENCRYPTION_KEY). */
  env?: Record<string, string>;
  /** Most workspace apps kept built (the bound of src/workspaces/runtimes.ts). */
  maxWorkspaceApps?: number;
}

export async function startMultiTestApp(opts: MultiTestAppOptions = {}): Promise<MultiTestApp> {
  const slack =
    opts.shareWith?.slack ??
    (await SlackStub.start({
      oauth: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        appId: TEST_WORKSPACE.appId,
        tokenRotation: opts.tokenRotation ?? false,
      },
    }));
  const db = opts.shareWith?.db ?? (await createTestDatabase(opts.dialect ?? 'sqlite'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const startup = loadStartupConfig({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_SIGNING_SECRET: TEST_WORKSPACE.signingSecret,
    SLACK_STATE_SECRET: STATE_SECRET,
    ENCRYPTION_KEY,
    PUBLIC_URL: base,
    PORT: String(port),
    SLACK_API_URL: slack.url,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  if (startup.mode !== 'multi') throw new Error('expected multi-workspace mode');
  const config = startup.config;
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', secrets: configSecrets(config), destination });
  const store = await openStore(db.url);
  let running: RunningMultiWorkspaceApp;
  try {
    running = await startMultiWorkspaceApp(config, logger, {
      store,
      megameetingUrls: { allowLoopbackHttp: true },
      ...(opts.maxWorkspaceApps ? { maxWorkspaceApps: opts.maxWorkspaceApps } : {}),
      // Tests drive the background work themselves (running.jobs).
      startJobs: false,
    });
  } catch (err) {
    await store.close();
    if (!opts.shareWith) {
      await slack.close();
      await db.drop();
    }
    throw err;
  }
  return {
    slack,
    running,
    config,
    base,
    store,
    db,
    logs,
    async stop() {
      await running.stop();
      await store.close();
      if (!opts.shareWith) {
        await slack.close();
        await db.drop();
      }
    },
  };
}

/** The person and workspace the stand-in's authorize page installs for. */
export function installer(teamId: string, over: Partial<Omit<Grant, 'scopes'>> = {}): Omit<Grant, 'scopes'> {
  return {
    teamId,
    teamName: `Team ${teamId}`,
    userId: `U${teamId}ADMIN`,
    botUserId: `U${teamId}BOT`,
    ...over,
  };
}

const unescapeHtml = (s: string) =>
  s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'");

export interface InstallSteps {
  /** The state cookie the install page set (`name=value`). */
  cookie: string;
  /** The authorize URL of the Add to Slack button. */
  authorizeUrl: URL;
  /** Where the stand-in's authorize page sent the browser back (the redirect with code and state). */
  callbackUrl: URL;
}

/** The install page and the stand-in's authorize page, up to (not following) the redirect back to the app. */
export async function startInstall(
  app: MultiTestApp,
  decision: 'allow' | 'deny' = 'allow',
): Promise<InstallSteps> {
  const page = await fetch(`${app.base}/slack/install`);
  const html = await page.text();
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const href = /id="add-to-slack" href="([^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error(`no Add to Slack button on the install page: ${html}`);
  const authorizeUrl = new URL(unescapeHtml(href));
  const decide = new URL(authorizeUrl);
  decide.pathname = '/oauth/v2/authorize/decision';
  decide.searchParams.set('decision', decision);
  const back = await fetch(decide, { redirect: 'manual' });
  const location = back.headers.get('location');
  if (back.status !== 302 || !location)
    throw new Error(`the authorize page did not redirect (${back.status})`);
  return { cookie, authorizeUrl, callbackUrl: new URL(location) };
}

/** Follows the redirect back to the app as the browser would (with the state cookie). */
export async function finishInstall(
  steps: InstallSteps,
  cookie: string | null = steps.cookie,
): Promise<{ status: number; html: string; setCookie: string | null }> {
  const res = await fetch(steps.callbackUrl, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, html: await res.text(), setCookie: res.headers.get('set-cookie') };
}

/** The whole install for `who`: the success page's status and HTML. */
export async function install(app: MultiTestApp, who: Omit<Grant, 'scopes'>) {
  app.slack.authorizeAs = who;
  return finishInstall(await startInstall(app));
}

/** A signed Events API delivery of `e` from workspace `teamId` (its bot's authorization). */
export function workspaceEvent(app: MultiTestApp, teamId: string, e: { type: string }) {
  return postToApp(
    `${app.base}/slack/events`,
    eventCallbackBody(e, {
      team_id: teamId,
      context_team_id: teamId,
      authorizations: [
        {
          enterprise_id: null,
          team_id: teamId,
          user_id: `U${teamId}BOT`,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
    }),
  );
}

/** Polls `check` every 50 ms until it holds (or fails after `timeoutMs`). */
export async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The bot token Slack issued to `teamId` at install: what every Slack call for that workspace must carry. */
export async function botTokenOf(app: MultiTestApp, teamId: string): Promise<string> {
  const found = await app.running.installations.find({ teamId, isEnterpriseInstall: false }, new Date());
  if (!found) throw new Error(`${teamId} is not installed`);
  return found.botToken;
}

/** Saves `teamId`'s MegaMeeting connection directly (connect.http.test.ts goes through the form instead). */
export async function connectAccount(
  app: MultiTestApp,
  teamId: string,
  account: { url: string; adminToken: string; adminLoginId: string },
): Promise<void> {
  await app.store.megameetingConnections(new SecretBox(Buffer.from(ENCRYPTION_KEY, 'base64'))).upsert({
    teamId,
    accountUrl: account.url,
    apiToken: account.adminToken,
    loginId: account.adminLoginId,
    loginEmail: 'admin@example.com',
    connectedBy: `U${teamId}ADMIN`,
    connectedAt: new Date(),
  });
}

/** `/meet <text>` from `userId` in `channelId` of workspace `teamId`, with the response_url it carried. */
export async function meetCommand(
  app: MultiTestApp,
  teamId: string,
  text: string,
  who: { userId: string; channelId: string },
) {
  const responseUrl = app.slack.responseUrl();
  const res = await postToApp(
    `${app.base}/slack/events`,
    slashCommandBody({
      text,
      team_id: teamId,
      team_domain: teamId.toLowerCase(),
      user_id: who.userId,
      channel_id: who.channelId,
      response_url: responseUrl,
      trigger_id: app.slack.issueTriggerId(),
    }),
  );
  return { ...res, responseUrl };
}

/** `/meet <title>` in `teamId`, acked in time; the card Slack was asked to post, and the meeting `emu` holds. */
export async function startMeetingIn(
  app: MultiTestApp,
  emu: Emulator,
  teamId: string,
  title: string,
  who: { userId: string; channelId: string },
) {
  const res = await meetCommand(app, teamId, title, who);
  expect(res.status).toBe(200);
  expect(res.elapsedMs).toBeLessThan(3000);
  const post = await app.slack.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === who.channelId && JSON.stringify(c.args.blocks ?? '').includes(title),
    10_000,
  );
  const meeting = emu.state.snapshot().meetings.find((m) => m.name === title);
  if (!meeting) throw new Error(`no meeting "${title}" in the account at ${emu.url}`);
  return { post, meeting };
}
