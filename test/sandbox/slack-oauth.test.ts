/** The Slack stand-in's OAuth token endpoint, driven by the real WebClient, and the uninstall event builders. */
import { WebClient } from '@slack/web-api';
import {
  appUninstalledEvent,
  CODE_TTL_MS,
  type Grant,
  type OAuthApp,
  tokensRevokedEvent,
} from '../../sandbox/slack/oauth.js';
import { SlackStub } from '../../sandbox/slack/stub.js';

const APP: OAuthApp = {
  clientId: '111.222',
  clientSecret: 'shh-secret',
  appId: 'A0MULTI',
  tokenRotation: false,
};
const REDIRECT = 'https://meet.example.com/slack/oauth_redirect';
const GRANT: Grant = {
  teamId: 'T0AAA',
  teamName: 'Team A',
  userId: 'U0INSTALL',
  botUserId: 'U0BOT',
  scopes: ['commands', 'chat:write'],
  redirectUri: REDIRECT,
};

let clock = 1_750_000_000_000;
let stub: SlackStub;
let rotatingStub: SlackStub;
const client = () => new WebClient(undefined, { slackApiUrl: stub.url, retryConfig: { retries: 0 } });

/** The Slack error code of a failed call. */
async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    return String((err as { data?: { error?: string } }).data?.error);
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  stub = await SlackStub.start({ oauth: APP, now: () => clock });
  rotatingStub = await SlackStub.start({ oauth: { ...APP, tokenRotation: true }, now: () => clock });
});
afterAll(async () => {
  await stub.close();
  await rotatingStub.close();
});

describe('oauth.v2.access: code exchange', () => {
  test('a code gives the documented installation answer, once', async () => {
    const code = stub.oauth?.issueCode({ ...GRANT, userScopes: ['users:read'] }) as string;
    const args = { client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT };
    const res = await client().oauth.v2.access(args);
    expect(res).toMatchObject({
      ok: true,
      app_id: 'A0MULTI',
      scope: 'commands,chat:write',
      token_type: 'bot',
      bot_user_id: 'U0BOT',
      team: { id: 'T0AAA', name: 'Team A' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U0INSTALL', scope: 'users:read', token_type: 'user' },
    });
    expect(res.access_token).toMatch(/^xoxb-T0AAA-/);
    expect(res.authed_user?.access_token).toMatch(/^xoxp-T0AAA-/);
    expect(res.refresh_token).toBeUndefined();
    expect(stub.oauth?.isLive(res.access_token as string)).toBe(true);

    expect(await errorOf(client().oauth.v2.access(args))).toBe('code_already_used');
  });

  test('client credentials may come as HTTP Basic auth', async () => {
    const code = stub.oauth?.issueCode(GRANT) as string;
    const res = await fetch(`${stub.url}oauth.v2.access`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ code, redirect_uri: REDIRECT }).toString(),
    });
    expect(await res.json()).toMatchObject({ ok: true, team: { id: 'T0AAA' } });
  });

  test.each([
    ['an unknown code', { code: 'nope' }, 'invalid_code'],
    ['no code', { code: undefined }, 'invalid_code'],
    ['a wrong client secret', { client_secret: 'guess' }, 'bad_client_secret'],
    ['an unknown client id', { client_id: '999.999' }, 'invalid_client_id'],
    ['another redirect_uri', { redirect_uri: 'https://evil.example/cb' }, 'bad_redirect_uri'],
    ['an unknown grant type', { grant_type: 'password' }, 'invalid_grant_type'],
  ])('%s is refused (%s)', async (_label, over, error) => {
    const code = stub.oauth?.issueCode(GRANT) as string;
    const args = {
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      code,
      redirect_uri: REDIRECT,
      ...over,
    };
    expect(
      await errorOf(client().oauth.v2.access(args as Parameters<WebClient['oauth']['v2']['access']>[0])),
    ).toBe(error);
  });

  test('a code older than 10 minutes is refused', async () => {
    const code = stub.oauth?.issueCode(GRANT) as string;
    clock += CODE_TTL_MS + 1;
    const args = { client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT };
    expect(await errorOf(client().oauth.v2.access(args))).toBe('invalid_code');
  });

  test('an org-wide install has no team and names the enterprise', async () => {
    const code = stub.oauth?.issueCode({
      ...GRANT,
      enterpriseId: 'E0ORG',
      enterpriseName: 'Org',
      isEnterpriseInstall: true,
    }) as string;
    const res = await client().oauth.v2.access({
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      code,
      redirect_uri: REDIRECT,
    });
    expect(res).toMatchObject({
      team: null,
      enterprise: { id: 'E0ORG', name: 'Org' },
      is_enterprise_install: true,
    });
  });
});

describe('oauth.v2.access: token rotation', () => {
  const rotating = () =>
    new WebClient(undefined, { slackApiUrl: rotatingStub.url, retryConfig: { retries: 0 } });

  test('rotating installs get xoxe. tokens; a refresh token works once and replaces the access token', async () => {
    const code = rotatingStub.oauth?.issueCode(GRANT) as string;
    const first = await rotating().oauth.v2.access({
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      code,
      redirect_uri: REDIRECT,
    });
    expect(first.access_token).toMatch(/^xoxe\.xoxb-T0AAA-/);
    expect(first.refresh_token).toMatch(/^xoxe-1-/);
    expect(first.expires_in).toBe(43_200);

    const refreshArgs = {
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      grant_type: 'refresh_token' as const,
      refresh_token: first.refresh_token as string,
    };
    const second = await rotating().oauth.v2.access(refreshArgs);
    expect(second).toMatchObject({ ok: true, token_type: 'bot', expires_in: 43_200, team: { id: 'T0AAA' } });
    expect(second.access_token).toMatch(/^xoxe\.xoxb-T0AAA-/);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);

    // Single-use: the second replica refreshing with the same token loses.
    expect(await errorOf(rotating().oauth.v2.access(refreshArgs))).toBe('invalid_refresh_token');
    // The new pair works.
    const third = await rotating().oauth.v2.access({
      ...refreshArgs,
      refresh_token: second.refresh_token as string,
    });
    expect(third.ok).toBe(true);
  });

  test('refreshing needs the client secret and a known refresh token', async () => {
    const args = {
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      grant_type: 'refresh_token' as const,
    };
    expect(await errorOf(rotating().oauth.v2.access({ ...args, refresh_token: 'xoxe-1-forged' }))).toBe(
      'invalid_refresh_token',
    );
    expect(
      await errorOf(
        rotating().oauth.v2.access({ ...args, client_secret: 'guess', refresh_token: 'xoxe-1-x' }),
      ),
    ).toBe('bad_client_secret');
  });

  test('uninstalling revokes the refresh tokens of that team only', async () => {
    const a = await rotating().oauth.v2.access({
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      code: rotatingStub.oauth?.issueCode(GRANT) as string,
      redirect_uri: REDIRECT,
    });
    const b = await rotating().oauth.v2.access({
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      code: rotatingStub.oauth?.issueCode({ ...GRANT, teamId: 'T0BBB' }) as string,
      redirect_uri: REDIRECT,
    });
    rotatingStub.oauth?.revokeTeam('T0AAA');
    expect(rotatingStub.oauth?.isLive(a.access_token as string)).toBe(false);
    expect(rotatingStub.oauth?.isLive(b.access_token as string)).toBe(true);
    const args = {
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      grant_type: 'refresh_token' as const,
    };
    expect(
      await errorOf(rotating().oauth.v2.access({ ...args, refresh_token: a.refresh_token as string })),
    ).toBe('invalid_refresh_token');
    expect((await rotating().oauth.v2.access({ ...args, refresh_token: b.refresh_token as string })).ok).toBe(
      true,
    );
  });
});

test('without an OAuth app the stub does not know oauth.v2.access (no token: not_authed)', async () => {
  const plain = await SlackStub.start();
  try {
    const c = new WebClient(undefined, { slackApiUrl: plain.url, retryConfig: { retries: 0 } });
    expect(await errorOf(c.oauth.v2.access({ client_id: '1', client_secret: '2', code: '3' }))).toBe(
      'not_authed',
    );
  } finally {
    await plain.close();
  }
});

describe('uninstall event payloads', () => {
  test("app_uninstalled and tokens_revoked have Slack's shapes", () => {
    expect(appUninstalledEvent('1700000000.000100')).toEqual({
      type: 'app_uninstalled',
      event_ts: '1700000000.000100',
    });
    expect(tokensRevokedEvent({ oauth: ['U1'] }, '1.2')).toEqual({
      type: 'tokens_revoked',
      tokens: { oauth: ['U1'], bot: [] },
      event_ts: '1.2',
    });
    expect(tokensRevokedEvent({ bot: ['U0BOT'] }).tokens).toEqual({ oauth: [], bot: ['U0BOT'] });
  });
});

describe('the authorize page (GET /oauth/v2/authorize)', () => {
  const authorize = (params: Record<string, string>, path = '/oauth/v2/authorize') =>
    fetch(`${stub.origin}${path}?${new URLSearchParams(params)}`, { redirect: 'manual' });
  const valid = {
    client_id: APP.clientId,
    scope: 'commands,chat:write',
    redirect_uri: REDIRECT,
    state: 's1',
  };

  test('shows the workspace and scopes with Allow and Cancel', async () => {
    stub.authorizeAs = { teamId: 'T0AAA', teamName: 'Team <A>', userId: 'U0INSTALL', botUserId: 'U0BOT' };
    const res = await authorize(valid);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('the Team &lt;A&gt; Slack workspace');
    expect(html).toContain('<li>chat:write</li>');
    expect(html).toMatch(/<button type="submit">Allow<\/button>/);
    expect(html).toMatch(/<button type="submit">Cancel<\/button>/);
  });

  test('Allow redirects back with a code that oauth.v2.access takes once, and the state', async () => {
    stub.authorizeAs = { teamId: 'T0AAA', teamName: 'Team A', userId: 'U0INSTALL', botUserId: 'U0BOT' };
    const res = await authorize({ ...valid, decision: 'allow' }, '/oauth/v2/authorize/decision');
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code') ?? '';
    const args = { client_id: APP.clientId, client_secret: APP.clientSecret, code, redirect_uri: REDIRECT };
    expect(await client().oauth.v2.access(args)).toMatchObject({
      ok: true,
      team: { id: 'T0AAA' },
      scope: 'commands,chat:write',
    });
  });

  test('Cancel redirects back with error=access_denied and the state, no code', async () => {
    const res = await authorize({ ...valid, decision: 'deny' }, '/oauth/v2/authorize/decision');
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s1');
    expect(back.searchParams.has('code')).toBe(false);
  });

  test('a wrong client_id, or no redirect_uri or scope: an error page, no redirect', async () => {
    const cases: Record<string, string>[] = [
      { ...valid, client_id: '999.999' },
      { client_id: APP.clientId, scope: 'commands' },
      { client_id: APP.clientId, redirect_uri: REDIRECT },
    ];
    for (const params of cases) {
      const res = await authorize({ ...params, decision: 'allow' }, '/oauth/v2/authorize/decision');
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });
});
