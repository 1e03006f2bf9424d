/**
 * Slack's OAuth v2 token endpoint as a stand-in: `oauth.v2.access` for a code exchange and for token rotation
 * (`grant_type=refresh_token`), the authorize page a person installing sees (`authorizePage`), plus the
 * `app_uninstalled` / `tokens_revoked` event payloads. SlackStub serves it with its `oauth` option, and accepts
 * the access tokens issued here like its own bot token until they are revoked.
 *
 * Facts followed (../shared/slack/surfaces.md, Slack's oauth.v2.access reference): a code lives 10 minutes
 * and works once; the redirect_uri must equal the one of the authorize step when one was given there;
 * client credentials come in the form (client_id, client_secret) or as HTTP Basic auth; rotating installs get
 * `xoxe.xoxb-…` tokens with `expires_in: 43200` and a single-use `xoxe-1-…` refresh token.
 */
import { randomBytes } from 'node:crypto';

export interface OAuthResponse {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  appId: string;
  /** Issue rotating tokens (xoxe.) with refresh tokens, as with `token_rotation_enabled`. */
  tokenRotation: boolean;
}

/** What the user granted on the authorize page. */
export interface Grant {
  teamId: string;
  teamName: string;
  enterpriseId?: string;
  enterpriseName?: string;
  isEnterpriseInstall?: boolean;
  userId: string;
  botUserId: string;
  scopes: string[];
  userScopes?: string[];
  /** The redirect_uri of the authorize request, if any: the exchange must repeat it. */
  redirectUri?: string;
}

export const CODE_TTL_MS = 10 * 60 * 1000;
export const ROTATING_TOKEN_TTL_SECONDS = 43_200;

const fail = (error: string): OAuthResponse => ({ ok: false, error });
const rand = () => randomBytes(12).toString('hex');

interface Refreshable {
  grant: Grant;
  tokenType: 'bot' | 'user';
}

export class SlackOAuthStandIn {
  private readonly codes = new Map<string, { grant: Grant; issuedAt: number }>();
  private readonly usedCodes = new Set<string>();
  private readonly refreshTokens = new Map<string, Refreshable>();
  private readonly live = new Set<string>();

  constructor(
    readonly app: OAuthApp,
    private readonly now: () => number = Date.now,
  ) {}

  /** The code Slack would put on the redirect after the user approves `grant`. */
  issueCode(grant: Grant): string {
    const code = `${grant.teamId}.${rand()}`;
    this.codes.set(code, { grant, issuedAt: this.now() });
    return code;
  }

  /** True for an access token issued here and not replaced by a refresh or revoked. */
  isLive(token: string): boolean {
    return this.live.has(token);
  }

  /** Revokes every token of a team (what uninstalling does). */
  revokeTeam(teamId: string): void {
    for (const [refresh, r] of this.refreshTokens)
      if (r.grant.teamId === teamId) this.refreshTokens.delete(refresh);
    for (const t of this.live) if (t.includes(`-${teamId}-`)) this.live.delete(t);
  }

  /** `oauth.v2.access`: `args` are the form fields; `authorization` the HTTP header, if any. */
  access(args: Record<string, unknown>, authorization?: string): OAuthResponse {
    const creds = this.credentials(args, authorization);
    if (!creds.clientId) return fail('invalid_client_id');
    if (creds.clientId !== this.app.clientId) return fail('invalid_client_id');
    if (creds.clientSecret !== this.app.clientSecret) return fail('bad_client_secret');

    const grantType = typeof args.grant_type === 'string' ? args.grant_type : 'authorization_code';
    if (grantType === 'refresh_token') return this.refresh(args.refresh_token);
    if (grantType !== 'authorization_code') return fail('invalid_grant_type');

    const code = typeof args.code === 'string' ? args.code : '';
    if (code === '') return fail('invalid_code');
    const pending = this.codes.get(code);
    if (!pending) return fail(this.usedCodes.has(code) ? 'code_already_used' : 'invalid_code');
    if (this.now() - pending.issuedAt > CODE_TTL_MS) {
      this.codes.delete(code);
      return fail('invalid_code');
    }
    const { grant } = pending;
    if (grant.redirectUri !== undefined && args.redirect_uri !== grant.redirectUri)
      return fail('bad_redirect_uri');
    this.codes.delete(code);
    this.usedCodes.add(code);

    const bot = this.mint(grant, 'bot');
    const user = grant.userScopes?.length ? this.mint(grant, 'user') : undefined;
    return {
      ok: true,
      app_id: this.app.appId,
      authed_user: {
        id: grant.userId,
        ...(user ? { scope: grant.userScopes?.join(','), token_type: 'user', ...user.fields } : {}),
      },
      scope: grant.scopes.join(','),
      token_type: 'bot',
      bot_user_id: grant.botUserId,
      team: grant.isEnterpriseInstall ? null : { id: grant.teamId, name: grant.teamName },
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseName ?? '' } : null,
      is_enterprise_install: grant.isEnterpriseInstall ?? false,
      ...bot.fields,
    };
  }

  private refresh(refreshToken: unknown): OAuthResponse {
    if (typeof refreshToken !== 'string' || refreshToken === '') return fail('invalid_refresh_token');
    const known = this.refreshTokens.get(refreshToken);
    if (!known) return fail('invalid_refresh_token');
    this.refreshTokens.delete(refreshToken); // single-use
    const minted = this.mint(known.grant, known.tokenType);
    return {
      ok: true,
      app_id: this.app.appId,
      token_type: known.tokenType,
      scope: (known.tokenType === 'bot' ? known.grant.scopes : (known.grant.userScopes ?? [])).join(','),
      team: known.grant.isEnterpriseInstall ? null : { id: known.grant.teamId, name: known.grant.teamName },
      enterprise: known.grant.enterpriseId
        ? { id: known.grant.enterpriseId, name: known.grant.enterpriseName ?? '' }
        : null,
      is_enterprise_install: known.grant.isEnterpriseInstall ?? false,
      ...(known.tokenType === 'bot'
        ? { bot_user_id: known.grant.botUserId }
        : { user_id: known.grant.userId }),
      ...minted.fields,
    };
  }

  private mint(grant: Grant, tokenType: 'bot' | 'user'): { fields: Record<string, unknown> } {
    const prefix = tokenType === 'bot' ? 'xoxb' : 'xoxp';
    const base = `${prefix}-${grant.teamId}-${rand()}`;
    if (!this.app.tokenRotation) {
      this.live.add(base);
      return { fields: { access_token: base } };
    }
    const access = `xoxe.${base}`;
    const refresh = `xoxe-1-${rand()}`;
    this.live.add(access);
    this.refreshTokens.set(refresh, { grant, tokenType });
    return {
      fields: { access_token: access, refresh_token: refresh, expires_in: ROTATING_TOKEN_TTL_SECONDS },
    };
  }

  private credentials(
    args: Record<string, unknown>,
    authorization: string | undefined,
  ): { clientId: string | undefined; clientSecret: string | undefined } {
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
    }
    const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    return { clientId: s(args.client_id), clientSecret: s(args.client_secret) };
  }
}

/** The `app_uninstalled` event (wrap it with the Events API envelope, e.g. test/support's eventCallback). */
export function appUninstalledEvent(eventTs = `${Math.floor(Date.now() / 1000)}.000100`): {
  type: 'app_uninstalled';
  event_ts: string;
} {
  return { type: 'app_uninstalled', event_ts: eventTs };
}

/** The `tokens_revoked` event: `oauth` lists users whose user tokens went, `bot` the bot users whose token went. */
export function tokensRevokedEvent(
  tokens: { oauth?: string[]; bot?: string[] },
  eventTs = `${Math.floor(Date.now() / 1000)}.000200`,
): { type: 'tokens_revoked'; tokens: { oauth: string[]; bot: string[] }; event_ts: string } {
  return {
    type: 'tokens_revoked',
    tokens: { oauth: tokens.oauth ?? [], bot: tokens.bot ?? [] },
    event_ts: eventTs,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The authorize page (what `https://slack.com/oauth/v2/authorize` shows a person installing an app)

export interface StandInPage {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const AUTHORIZE_PATH = '/oauth/v2/authorize';
const DECISION_PATH = '/oauth/v2/authorize/decision';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(status: number, title: string, body: string): StandInPage {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
  };
}

/** True for the paths `authorizePage` answers. */
export function isAuthorizePath(pathname: string): boolean {
  return pathname === AUTHORIZE_PATH || pathname === DECISION_PATH;
}

/**
 * GET `/oauth/v2/authorize` shows the permission page for `installer` (Allow / Cancel); the choice goes to
 * `/oauth/v2/authorize/decision`, which redirects to `redirect_uri` with `code` and `state` (Allow) or
 * `error=access_denied` and `state` (Cancel), as Slack does. A wrong client_id or a missing redirect_uri or
 * scope gets an error page, no redirect.
 */
export function authorizePage(
  oauth: SlackOAuthStandIn,
  url: URL,
  installer: Omit<Grant, 'scopes'>,
): StandInPage {
  const q = url.searchParams;
  const clientId = q.get('client_id') ?? '';
  const redirectUri = q.get('redirect_uri') ?? '';
  const scopes = (q.get('scope') ?? '').split(',').filter((s) => s !== '');
  const userScopes = (q.get('user_scope') ?? '').split(',').filter((s) => s !== '');
  const state = q.get('state');
  if (clientId !== oauth.app.clientId) return page(400, 'Slack', '<h1>Invalid client_id parameter</h1>');
  if (redirectUri === '' || scopes.length === 0)
    return page(400, 'Slack', '<h1>Missing redirect_uri or scope parameter</h1>');

  if (url.pathname === DECISION_PATH) {
    const back = new URL(redirectUri);
    if (q.get('decision') === 'allow') {
      const code = oauth.issueCode({ ...installer, scopes, userScopes, redirectUri });
      back.searchParams.set('code', code);
    } else back.searchParams.set('error', 'access_denied');
    if (state !== null) back.searchParams.set('state', state);
    return { status: 302, headers: { location: back.toString() }, body: '' };
  }

  const hidden = [...q.entries()]
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const form = (decision: string, label: string) =>
    `<form method="get" action="${DECISION_PATH}">${hidden}<input type="hidden" name="decision" value="${decision}"><button type="submit">${label}</button></form>`;
  return page(
    200,
    'Slack: install an app',
    `<h1>App ${escapeHtml(oauth.app.appId)} is requesting permission to access the ${escapeHtml(installer.teamName)} Slack workspace</h1>` +
      `<ul>${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` +
      form('allow', 'Allow') +
      form('deny', 'Cancel'),
  );
}
