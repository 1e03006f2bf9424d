import { isAppError } from '../errors.js';
import { MegaMeetingError, type MegaMeetingErrorCode } from '../megameeting/errors.js';
import { SlackCallError } from '../slack/gateway.js';
import { truncate } from '../util/text.js';

/**
 * The one mapping from an error to what the user reads, in two lengths: a sentence saying what could not be done
 * (`userMessageFor`) and a short reason for a list of things that failed, such as the guests not added
 * (`shortReasonFor`). Expected errors say what happened and what to do; unexpected ones say only that something
 * went wrong (details go to the log, not the user). Neither ever carries a guest key: MegaMeeting's messages
 * about adds hold none.
 */
interface Wording {
  sentence: (err: MegaMeetingError, doing: string) => string;
  reason: (err: MegaMeetingError) => string;
}

const MEGAMEETING: Record<MegaMeetingErrorCode, Wording> = {
  unavailable: {
    sentence: (_, doing) =>
      `MegaMeeting isn't answering right now, so I couldn't ${doing}. Please try again in a minute.`,
    reason: () => "MegaMeeting didn't answer",
  },
  timeout: {
    // The request may have arrived: saying "nothing changed" could make the user create a duplicate.
    sentence: (_, doing) =>
      `MegaMeeting didn't answer in time, so I can't tell whether I managed to ${doing}. Please check in MegaMeeting before trying again.`,
    reason: () => "MegaMeeting didn't answer",
  },
  unauthorized: {
    sentence: (_, doing) =>
      `MegaMeeting refused the app's API token, so I couldn't ${doing}. Ask your Slack admin to check MEGAMEETING_API_TOKEN.`,
    reason: () => "MegaMeeting refused the app's token",
  },
  forbidden: {
    sentence: (_, doing) => `MegaMeeting doesn't allow that, so I couldn't ${doing}.`,
    reason: () => "MegaMeeting refused the app's token",
  },
  not_found: {
    sentence: (_, doing) => `MegaMeeting couldn't find that, so I couldn't ${doing}.`,
    reason: () => 'MegaMeeting no longer knows this meeting',
  },
  invalid_input: {
    sentence: (err, doing) =>
      `MegaMeeting refused the request, so I couldn't ${doing}${
        err.serverMessage ? `: ${truncate(err.serverMessage, 200)}` : '.'
      }`,
    reason: (err) =>
      `MegaMeeting refused it${err.serverMessage ? `: ${err.serverMessage.slice(0, 150)}` : ''}`,
  },
  unexpected_response: {
    sentence: (_, doing) =>
      `MegaMeeting answered something unexpected, so I may not have managed to ${doing}. Please check in MegaMeeting before trying again.`,
    reason: () => 'MegaMeeting answered something unexpected',
  },
};

/** Any error as one short, safe sentence for Slack, saying what could not be done. */
export function userMessageFor(err: unknown, doing: string): string {
  if (isAppError(err)) return err.userMessage;
  if (err instanceof MegaMeetingError) return wordingOf(err).sentence(err, doing);
  if (err instanceof SlackCallError) {
    return `Slack refused a request (${err.code}), so I couldn't ${doing}.`;
  }
  return `Something went wrong and I couldn't ${doing}. Please try again; if it keeps happening, ask your admin to check the app's logs.`;
}

/** Any error as a few words for a list of what failed (the guests not added, shown to the inviter). */
export function shortReasonFor(err: unknown): string {
  if (isAppError(err)) return err.userMessage;
  if (err instanceof MegaMeetingError) return wordingOf(err).reason(err);
  if (err instanceof SlackCallError) {
    return err.code === 'user_not_found'
      ? "Slack doesn't know this user"
      : `Slack refused a request (${err.code})`;
  }
  return 'something went wrong';
}

/** A code this version does not know (a newer payload) reads as an unexpected answer. */
function wordingOf(err: MegaMeetingError): Wording {
  return MEGAMEETING[err.code] ?? MEGAMEETING.unexpected_response;
}
