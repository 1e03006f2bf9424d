import { isAppError } from '../errors.js';
import { MegaMeetingError } from '../megameeting/errors.js';
import { SlackCallError } from '../slack/gateway.js';
import { truncate } from '../util/text.js';

/**
 * Turns any error into one short, safe sentence for Slack. Expected errors say what happened and what to do;
 * unexpected ones say only that something went wrong (details go to the log, not the user).
 */
export function userMessageFor(err: unknown, doing: string): string {
  if (isAppError(err)) return err.userMessage;
  if (err instanceof MegaMeetingError) {
    switch (err.code) {
      case 'unavailable':
        return `MegaMeeting isn't answering right now, so I couldn't ${doing}. Please try again in a minute.`;
      case 'timeout':
        // The request may have arrived: saying "nothing changed" could make the user create a duplicate.
        return `MegaMeeting didn't answer in time, so I can't tell whether I managed to ${doing}. Please check in MegaMeeting before trying again.`;
      case 'unauthorized':
        return `MegaMeeting refused the app's API token, so I couldn't ${doing}. Ask your Slack admin to check MEGAMEETING_API_TOKEN.`;
      case 'forbidden':
        return `MegaMeeting doesn't allow that, so I couldn't ${doing}.`;
      case 'not_found':
        return `MegaMeeting couldn't find that, so I couldn't ${doing}.`;
      case 'invalid_input':
        return `MegaMeeting refused the request, so I couldn't ${doing}${
          err.serverMessage ? `: ${truncate(err.serverMessage, 200)}` : '.'
        }`;
      default:
        return `MegaMeeting answered something unexpected, so I may not have managed to ${doing}. Please check in MegaMeeting before trying again.`;
    }
  }
  if (err instanceof SlackCallError) {
    return `Slack refused a request (${err.code}), so I couldn't ${doing}.`;
  }
  return `Something went wrong and I couldn't ${doing}. Please try again; if it keeps happening, ask your admin to check the app's logs.`;
}
