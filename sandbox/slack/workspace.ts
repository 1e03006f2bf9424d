/**
 * The fake Slack workspace that the test harness uses by default. The Web API stub (`slack-stub.ts`) and the
 * request factories (`slack-requests.ts`) share these IDs, so a slash command built with the defaults comes
 * from a user the stub knows, in a channel the stub accepts, for the app the stub's `auth.test` reports.
 *
 * IDs follow Slack's shapes (upper-case letters and digits after a one-letter prefix) so they pass Block Kit
 * patterns such as `^[UW][A-Z0-9]+$` when used as `initial_user`.
 */
export const TEST_WORKSPACE = {
  teamId: 'T0TESTTEAM',
  teamDomain: 'megameeting-test',
  teamName: 'MegaMeeting Test',
  appId: 'A0TESTAPP1',
  /** The bot user of the app (auth.test `user_id`). */
  botUserId: 'U0TESTBOT1',
  /** auth.test `bot_id`. */
  botId: 'B0TESTBOT1',
  botName: 'megameeting',
  /** The bot token the stub accepts unless told otherwise (`SLACK_BOT_TOKEN` in app tests). */
  botToken: 'xoxb-0000000001-0000000002-testbottokentestbottoken',
  /** A signing secret for app tests (`SLACK_SIGNING_SECRET`). */
  signingSecret: 'test-signing-secret-0123456789abcdef',
  /** The deprecated verification token Slack still puts in every payload's `token` field. */
  verificationToken: 'testVerificationToken00000',
  /** The default human user: the one who types `/meet` unless a test says otherwise. */
  userId: 'U0TESTUSR1',
  userName: 'ana',
  userRealName: 'Ana Alvarez',
  userEmail: 'ana@example.com',
  userTz: 'America/Chicago',
  /** The default channel. */
  channelId: 'C0TESTCHAN',
  channelName: 'general',
} as const;

export type TestWorkspace = typeof TEST_WORKSPACE;
