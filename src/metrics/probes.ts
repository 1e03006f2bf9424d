/**
 * Measurement points that cost nothing unless metrics are on: named `node:diagnostics_channel` channels
 * (a built-in the HTTP stack loads anyway). Producers publish only while someone subscribes; the metrics module
 * (loaded when METRICS=true) is the only subscriber. Payloads carry closed-set values only: operation and method
 * names, error codes, durations — never ids, titles, e-mail addresses or tokens.
 */
import { channel } from 'node:diagnostics_channel';

export interface MegaMeetingCallProbe {
  /** The GraphQL operation (a fixed list: OperationName). */
  operation: string;
  durationMs: number;
  /** `ok`, or the MegaMeetingErrorCode of the failure. */
  outcome: string;
}

export interface SlackApiErrorProbe {
  /** The Web API method the app called (chat.postMessage, …) or `response_url`. */
  method: string;
  /** `ratelimited`, `platform_error`, `http_error`, `request_error`, `connect_failed` or `unknown_error`. */
  kind: string;
}

export const megameetingCallChannel = channel('megameeting-slack.megameeting-call');
export const slackApiErrorChannel = channel('megameeting-slack.slack-api-error');

export function publishMegaMeetingCall(probe: MegaMeetingCallProbe): void {
  if (megameetingCallChannel.hasSubscribers) megameetingCallChannel.publish(probe);
}

export function publishSlackApiError(probe: SlackApiErrorProbe): void {
  if (slackApiErrorChannel.hasSubscribers) slackApiErrorChannel.publish(probe);
}
