/**
 * Multi-workspace mode over HTTP, against the Slack stand-in: the install page, the OAuth redirect (success,
 * cancel, forged and reused state, missing code, Slack refusing the code), re-install in place, token rotation
 * through Bolt's authorize, `/meet` before MegaMeeting is connected, and uninstall / revocation in either order.
 * Nothing half-stored on a failure; no token in a page or a log line.
 */
import { appUninstalledEvent, tokensRevokedEvent } from '../../sandbox/slack/oauth.js';
import { NOT_CONNECTED_TEXT } from '../../src/workspaces/not-connected.js';
import { BOT_SCOPES } from '../../src/workspaces/scopes.js';
import { execSql } from '../store/helpers.js';
import { postToApp, slashCommandBody } from '../support/slack-requests.js';
import {
  CLIENT_ID,
  finishInstall,
  install,
  installer,
  type MultiTestApp,
  startInstall,
  startMultiTestApp,
  workspaceEvent,
} from './harness.js';

const lookup = (teamId: string) => ({ teamId, isEnterpriseInstall: false });

async function installationCount(app: MultiTestApp): Promise<number> {
  const [row] = await execSql(app.db.url, ['select count(*) as n from slack_installations']);
  return Number(row?.n);
}

function command(app: MultiTestApp, teamId: string, text = '') {
  return postToApp(
    `${app.base}/slack/events`,
    slashCommandBody({ text, team_id: teamId, user_id: `U${teamId}ADMIN` }),
  );
}

describe('multi-workspace install (HTTP, Slack stand-in)', () => {
  let app: MultiTestApp;
  beforeAll(async () => {
    app = await startMultiTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    await execSql(app.db.url, ['delete from slack_installations', 'delete from leases']);
    app.slack.reset();
  });

  test('GET /slack/install: a page with Add to Slack to the authorize URL, our bot scopes and a signed state', async () => {
    const res = await fetch(`${app.base}/slack/install`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const steps = await startInstall(app, 'deny');
    const url = steps.authorizeUrl;
    expect(`${url.origin}${url.pathname}`).toBe(`${app.slack.origin}/oauth/v2/authorize`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('scope')?.split(',')).toEqual(BOT_SCOPES);
    expect(url.searchParams.get('redirect_uri')).toBe(`${app.base}/slack/oauth_redirect`);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(steps.cookie).toBe(`slack-app-oauth-state=${url.searchParams.get('state')}`);
  });

  test('Allow: the install completes through oauth.v2.access, is stored encrypted, and says what to do next', async () => {
    const done = await install(app, installer('T0AAA'));
    expect(done.status).toBe(200);
    expect(done.html).toContain('MegaMeeting is installed in Team T0AAA');
    expect(done.html).toContain('/meet connect');
    expect(done.html).toContain('slack://app?team=T0AAA');
    const exchange = app.slack.calls('oauth.v2.access');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]?.args).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: `${app.base}/slack/oauth_redirect`,
    });
    const stored = await app.running.installations.find(lookup('T0AAA'), new Date());
    expect(stored).toMatchObject({
      teamId: 'T0AAA',
      teamName: 'Team T0AAA',
      botUserId: 'UT0AAABOT',
      userId: 'UT0AAAADMIN',
    });
    expect(stored?.botScopes).toEqual(BOT_SCOPES);
    expect(app.slack.oauth?.isLive(stored?.botToken ?? '')).toBe(true);
    const [row] = await execSql(app.db.url, ['select bot_token from slack_installations']);
    expect(String(row?.bot_token)).not.toContain(stored?.botToken);
    expect(done.html).not.toContain(stored?.botToken);
    expect(app.logs.join('\n')).not.toContain(stored?.botToken);
  });

  test('/meet in an installed workspace answers at once that an admin must connect MegaMeeting', async () => {
    await install(app, installer('T0AAA'));
    const res = await command(app, 'T0AAA', 'standup');
    expect(res.status).toBe(200);
    expect(res.elapsedMs).toBeLessThan(3000);
    expect(res.json).toEqual({ response_type: 'ephemeral', text: NOT_CONNECTED_TEXT });
  });

  test('Cancel on Slack: a clear page, nothing stored, no code exchanged', async () => {
    const steps = await startInstall(app, 'deny');
    expect(steps.callbackUrl.searchParams.get('error')).toBe('access_denied');
    const done = await finishInstall(steps);
    expect(done.html).toContain('Installation cancelled');
    expect(done.html).toContain('href="/slack/install"');
    expect(app.slack.calls('oauth.v2.access')).toHaveLength(0);
    expect(await installationCount(app)).toBe(0);
  });

  test('a forged state, or one without its browser cookie, is refused: nothing exchanged or stored', async () => {
    const steps = await startInstall(app);
    const forged = new URL(steps.callbackUrl);
    const [body] = (forged.searchParams.get('state') ?? '').split('.');
    forged.searchParams.set('state', `${body}.${'A'.repeat(43)}`);
    const withForged = await finishInstall(
      { ...steps, callbackUrl: forged },
      `slack-app-oauth-state=${forged.searchParams.get('state')}`,
    );
    expect(withForged.status).toBe(400);
    expect(withForged.html).toContain('This installation link has expired or was already used');
    const noCookie = await finishInstall(steps, null);
    expect(noCookie.status).toBe(400);
    expect(app.slack.calls('oauth.v2.access')).toHaveLength(0);
    expect(await installationCount(app)).toBe(0);
  });

  test('a reused state is refused even with its cookie (single use across replicas)', async () => {
    const steps = await startInstall(app);
    expect((await finishInstall(steps)).status).toBe(200);
    const again = await finishInstall(steps);
    expect(again.status).toBe(400);
    expect(again.html).toContain('already used');
    expect(app.slack.calls('oauth.v2.access')).toHaveLength(1);
  });

  test('a missing code, or a code Slack refuses: a clear page, nothing stored', async () => {
    const steps = await startInstall(app);
    const noCode = new URL(steps.callbackUrl);
    noCode.searchParams.delete('code');
    const missing = await finishInstall({ ...steps, callbackUrl: noCode });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('without an authorization code');

    const next = await startInstall(app);
    const badCode = new URL(next.callbackUrl);
    badCode.searchParams.set('code', 'T0AAA.not-a-code-slack-issued');
    const refused = await finishInstall({ ...next, callbackUrl: badCode });
    expect(refused.status).toBe(502);
    expect(refused.html).toContain('Slack refused to complete the installation');
    expect(refused.html).toContain('invalid_code');
    expect(await installationCount(app)).toBe(0);
  });

  test('a re-install updates the installation in place', async () => {
    await install(app, installer('T0AAA'));
    const first = await app.running.installations.find(lookup('T0AAA'), new Date());
    await install(app, installer('T0AAA', { teamName: 'Renamed' }));
    const second = await app.running.installations.find(lookup('T0AAA'), new Date());
    expect(await installationCount(app)).toBe(1);
    expect(second).toMatchObject({ teamName: 'Renamed', version: 2, installedAt: first?.installedAt });
    expect(second?.botToken).not.toBe(first?.botToken);
  });

  test('app_uninstalled deletes that workspace only; a repeat (Slack retries, either order) is harmless', async () => {
    await install(app, installer('T0AAA'));
    await install(app, installer('T0BBB'));
    expect((await workspaceEvent(app, 'T0AAA', appUninstalledEvent())).status).toBe(200);
    await waitFor(async () => (await app.running.installations.find(lookup('T0AAA'), new Date())) === null);
    expect(await app.running.installations.find(lookup('T0BBB'), new Date())).not.toBeNull();
    expect((await workspaceEvent(app, 'T0AAA', tokensRevokedEvent({ bot: ['UT0AAABOT'] }))).status).toBe(200);
    expect(await command(app, 'T0BBB')).toMatchObject({ json: { text: NOT_CONNECTED_TEXT } });
  });

  test('tokens_revoked for user tokens only keeps the workspace; for the bot it deletes it', async () => {
    await install(app, installer('T0AAA'));
    await workspaceEvent(app, 'T0AAA', tokensRevokedEvent({ oauth: ['UT0AAAADMIN'] }));
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.running.installations.find(lookup('T0AAA'), new Date())).not.toBeNull();
    await workspaceEvent(app, 'T0AAA', tokensRevokedEvent({ bot: ['UT0AAABOT'] }));
    await waitFor(async () => (await app.running.installations.find(lookup('T0AAA'), new Date())) === null);
    await workspaceEvent(app, 'T0AAA', appUninstalledEvent());
  });
});

describe('token rotation (xoxe. tokens) through Bolt', () => {
  let app: MultiTestApp;
  beforeAll(async () => {
    app = await startMultiTestApp({ tokenRotation: true });
  });
  afterAll(async () => {
    await app?.stop();
  });

  test('a bot token expiring within 2 hours is refreshed on the next request and stored again', async () => {
    await install(app, installer('T0ROT'));
    const before = await app.running.installations.find(lookup('T0ROT'), new Date());
    expect(before?.botToken).toMatch(/^xoxe\.xoxb-/);
    expect(before?.botRefreshToken).toMatch(/^xoxe-1-/);
    // An hour left: Bolt's authorize refreshes it (single-use refresh token) before using it.
    await execSql(app.db.url, [`update slack_installations set bot_expires_at = ${Date.now() + 3_600_000}`]);
    expect((await command(app, 'T0ROT')).json).toMatchObject({ text: NOT_CONNECTED_TEXT });
    const refresh = app.slack.calls('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token');
    expect(refresh).toHaveLength(1);
    expect(refresh[0]?.args.refresh_token).toBe(before?.botRefreshToken);
    const after = await app.running.installations.find(lookup('T0ROT'), new Date());
    expect(after?.botToken).not.toBe(before?.botToken);
    expect(after?.botRefreshToken).not.toBe(before?.botRefreshToken);
    expect(after?.botExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    const logs = app.logs.join('\n');
    for (const secret of [before?.botRefreshToken, after?.botRefreshToken, after?.botToken])
      expect(logs).not.toContain(secret);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('replicas and keys (Postgres)', () => {
  let a: MultiTestApp;
  let b: MultiTestApp;
  beforeAll(async () => {
    a = await startMultiTestApp({ dialect: 'postgres', tokenRotation: true });
    b = await startMultiTestApp({ shareWith: a });
  }, 30_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  test('two replicas refreshing the same expiring token at once keep the newer pair', async () => {
    await install(a, installer('T0TWO'));
    const before = await a.running.installations.find(lookup('T0TWO'), new Date());
    await execSql(a.db.url, [`update slack_installations set bot_expires_at = ${Date.now() + 600_000}`]);
    const answers = await Promise.all([command(a, 'T0TWO'), command(b, 'T0TWO')]);
    for (const r of answers) expect(r.json).toMatchObject({ text: NOT_CONNECTED_TEXT });
    // The refresh token is single-use: at most one refresh succeeded, and what is stored is what it gave.
    const refreshes = a.slack.calls('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token');
    const granted = refreshes.filter((c) => c.response.ok);
    expect(granted).toHaveLength(1);
    const after = await b.running.installations.find(lookup('T0TWO'), new Date());
    expect(after?.botToken).toBe(granted[0]?.response.access_token);
    expect(after?.botRefreshToken).toBe(granted[0]?.response.refresh_token);
    expect(after?.botRefreshToken).not.toBe(before?.botRefreshToken);
  });

  test('a replica started with another ENCRYPTION_KEY stops at start with one line naming the key ids', async () => {
    const wrong = startMultiTestApp({
      shareWith: a,
      env: { ENCRYPTION_KEY: Buffer.alloc(32, 8).toString('base64') },
    });
    await expect(wrong).rejects.toMatchObject({ code: 'encryption_key_mismatch' });
    const message = await wrong.then(
      () => '',
      (e: Error) => e.message,
    );
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/encrypted with key id \S+, but ENCRYPTION_KEY has id/);
  });
});
