/**
 * Bolt itself: the Web API options our clients share, the App with its receiver for the configured mode (HTTP
 * receiver, or Socket Mode with SLACK_API_URL honoured), and start-up's one-line explanation of a refused token.
 */
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config.js';
import { type AppLogger, boltLogger } from '../logger.js';

/**
 * Bolt's Web API options (Bolt's own client checks the token at start-up; the app's calls go through the
 * gateway, whose client never retries on its own: see src/slack/gateway.ts). Interactive flows must not hang
 * for Slack's default 30 minutes of retries.
 */
export function slackClientOptions(config: { slack: Pick<Config['slack'], 'apiUrl'> }) {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
  };
}

/** The Bolt app (not yet initialised: `init()` checks the token) and its HTTP receiver, null in Socket Mode. */
export function createBolt(config: Config, logger: AppLogger): { bolt: App; receiver: HTTPReceiver | null } {
  const common = {
    token: config.slack.botToken,
    logger: boltLogger(logger),
    clientOptions: slackClientOptions(config),
  };
  if (config.slack.mode === 'socket') {
    // Built here rather than by Bolt so that apps.connections.open also honours SLACK_API_URL.
    const socketReceiver = new SocketModeReceiver({
      appToken: config.slack.appToken as string,
      logger: boltLogger(logger),
      installerOptions: { clientOptions: common.clientOptions },
    });
    return {
      bolt: new App({ ...common, receiver: socketReceiver, deferInitialization: true }),
      receiver: null,
    };
  }
  const receiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret as string,
    endpoints: '/slack/events',
    logger: boltLogger(logger),
    processBeforeResponse: false,
  });
  return { bolt: new App({ ...common, receiver, deferInitialization: true }), receiver };
}

export function describeSlackStartupError(err: unknown, apiUrl: string): string {
  const e = err as { code?: string; data?: { error?: string } };
  if (e?.data?.error) {
    return `Slack refused SLACK_BOT_TOKEN (${e.data.error}); check the bot token of the installed app.`;
  }
  return `Cannot reach Slack's Web API at ${apiUrl} to check SLACK_BOT_TOKEN (${e?.code ?? 'network error'}).`;
}
