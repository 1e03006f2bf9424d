/** The Add to Slack button asks for manifest.yml's bot scopes; the manifest names the OAuth redirect URL. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { authorizeUrlFor, BOT_SCOPES } from '../../src/workspaces/scopes.js';

const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8'));

test('BOT_SCOPES is exactly manifest.yml oauth_config.scopes.bot, in order', () => {
  expect(BOT_SCOPES).toEqual(manifest.oauth_config.scopes.bot);
});

test('the manifest redirects OAuth to /slack/oauth_redirect and subscribes to the uninstall events', () => {
  expect(manifest.oauth_config.redirect_urls.map((u: string) => new URL(u).pathname)).toEqual([
    '/slack/oauth_redirect',
  ]);
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(
    expect.arrayContaining(['app_uninstalled', 'tokens_revoked']),
  );
  // Org-wide (Enterprise Grid) installs are not offered: say so explicitly.
  expect(manifest.settings.org_deploy_enabled).toBe(false);
});

test("the authorize page is on the Web API's host: Slack's by default, SLACK_API_URL's when set", () => {
  expect(authorizeUrlFor(undefined)).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorizeUrlFor('http://127.0.0.1:4010/api/')).toBe('http://127.0.0.1:4010/oauth/v2/authorize');
});
