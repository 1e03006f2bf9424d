/**
 * Bolt's OAuth (its HTTPReceiver with @slack/oauth's InstallProvider) for multi-workspace mode: the install
 * page, the redirect that exchanges the code with `oauth.v2.access` (through SLACK_API_URL when set), our
 * installation store and single-use state, and our pages for success and each failure. Token rotation is the
 * InstallProvider's: `authorize` refreshes a bot token that expires within 2 hours and stores it again.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type Installation, type InstallationStore } from '@slack/bolt';
import type { MultiModeConfig } from '../config.js';
import { type AppLogger, boltLogger } from '../logger.js';
import { slackClientOptions } from '../slack/bolt-app.js';
import type { Store } from '../store/types.js';
import { failurePage, type InstallFailure, installedPage, installPage } from './pages.js';
import { authorizeUrlFor, BOT_SCOPES } from './scopes.js';
import { SingleUseStateStore } from './state-store.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** Which failure page an error of the OAuth flow gets (the query's `error` tells a cancel from the rest). */
export function failureOf(error: { code?: string; data?: { error?: string } }, req: IncomingMessage) {
  const query = new URL(req.url ?? '/', 'http://x').searchParams;
  const slackError = error.data?.error;
  const kind: InstallFailure =
    query.get('error') === 'access_denied'
      ? 'cancelled'
      : error.code === 'slack_oauth_invalid_state' || error.code === 'slack_oauth_missing_state'
        ? 'bad_state'
        : error.code === 'slack_oauth_missing_code'
          ? 'missing_code'
          : slackError
            ? 'slack_refused'
            : 'unexpected';
  return { kind, slackError };
}

export function createOAuthReceiver(
  config: MultiModeConfig,
  deps: { logger: AppLogger; store: Store; installationStore: InstallationStore },
): HTTPReceiver {
  const { logger } = deps;
  const log = logger.child({ component: 'oauth' });
  return new HTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: '/slack/events',
    logger: boltLogger(logger),
    processBeforeResponse: false,
    clientId: config.slack.clientId,
    clientSecret: config.slack.clientSecret,
    scopes: [...BOT_SCOPES],
    installationStore: deps.installationStore,
    redirectUri: config.workspaces.redirectUri,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      stateStore: new SingleUseStateStore(config.slack.stateSecret, deps.store),
      authorizationUrl: authorizeUrlFor(config.slack.apiUrl),
      clientOptions: slackClientOptions({ slack: { apiUrl: config.slack.apiUrl } }),
      renderHtmlForInstallPath: installPage,
      callbackOptions: {
        success: (installation: Installation, _options, _req, res) => {
          log.info(
            {
              teamId: installation.team?.id,
              enterpriseId: installation.enterprise?.id,
              orgWide: installation.isEnterpriseInstall === true,
              rotating: installation.bot?.refreshToken !== undefined,
            },
            'installed in a workspace',
          );
          const team = installation.team?.id;
          sendHtml(
            res,
            200,
            installedPage({
              teamName: installation.team?.name ?? null,
              enterpriseName: installation.enterprise?.name ?? null,
              isEnterpriseInstall: installation.isEnterpriseInstall === true,
              slackAppUrl:
                team && installation.appId
                  ? `slack://app?team=${encodeURIComponent(team)}&id=${encodeURIComponent(installation.appId)}`
                  : null,
            }),
          );
        },
        failure: (error, _options, req, res) => {
          const { kind, slackError } = failureOf(error as { code?: string; data?: { error?: string } }, req);
          log.warn({ kind, code: error.code, slackError }, 'an installation did not complete');
          const page = failurePage(kind, slackError);
          sendHtml(res, page.status, page.html);
        },
      },
    },
  });
}
