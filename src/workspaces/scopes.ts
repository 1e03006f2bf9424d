/**
 * The bot scopes the "Add to Slack" button asks for: manifest.yml's `oauth_config.scopes.bot`, the same list
 * (test/workspaces/scopes.test.ts holds them equal, so one cannot change without the other).
 */
export const BOT_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'chat:write.public',
  'users:read',
  'users:read.email',
  'im:write',
  'im:history',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'mpim:history',
  'calls:read',
  'calls:write',
  'links:read',
  'links:write',
];

/**
 * Slack's authorize page is on the same host as its Web API (`https://slack.com/api/` →
 * `https://slack.com/oauth/v2/authorize`): with SLACK_API_URL set (a proxy, a stand-in), the install button
 * goes to that host's authorize page too.
 */
export function authorizeUrlFor(apiUrl: string | undefined): string {
  return new URL('../oauth/v2/authorize', apiUrl ?? 'https://slack.com/api/').toString();
}
