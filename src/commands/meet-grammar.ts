/**
 * The `/meet` grammar (../shared/design.md). Pure: text in, intent out. A subcommand word counts only when its
 * arguments fit, so `/meet end of quarter review` is a meeting titled "end of quarter review".
 * Slack sends mentions escaped (`<@U123>` or `<@U123|ana>`) because the manifest sets should_escape.
 */
import type { SchedulePreset } from '../domain/meeting.js';

export type MeetIntent =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'recordings' }
  | { kind: 'end'; meetId: string }
  | { kind: 'guests'; meetId: string }
  | { kind: 'account' }
  | { kind: 'account_set'; slackUserId: string; loginId: string }
  /** People admin (MegaMeeting admins): logins, links, roles, API tokens. Only the bare word counts. */
  | { kind: 'admin' }
  /** The workspace's MegaMeeting connection (workspace admins). Only the bare words count. */
  | { kind: 'connect' }
  | { kind: 'disconnect' }
  | { kind: 'schedule'; preset: SchedulePreset; title: string }
  /** An instant or (when the text names a time) scheduled meeting; the caller reads the time. */
  | { kind: 'create'; title: string; mentions: string[] };

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const MEET_ID = /^\d{4,12}$/;
const LOGIN_ID = /^[A-Za-z0-9_-]{4,64}$/;

/** Slack escapes &, < and > in command text; channel links become their names. */
export function unescapeSlackText(text: string): string {
  return text
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(?:subteam\^[A-Z0-9]+)\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) => label ?? url)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function parseMeetCommand(rawText: string): MeetIntent {
  const text = collapse(rawText ?? '');
  const [first = '', ...rest] = text.split(' ');
  const word = first.toLowerCase();
  const args = rest;

  switch (word) {
    case 'help':
    case '?':
      if (args.length === 0) return { kind: 'help' };
      break;
    case 'list':
      if (args.length === 0) return { kind: 'list' };
      break;
    case 'recordings':
      if (args.length === 0) return { kind: 'recordings' };
      break;
    case 'end':
      if (args.length === 1 && MEET_ID.test(args[0] ?? '')) return { kind: 'end', meetId: args[0] as string };
      break;
    case 'guests':
      if (args.length === 1 && MEET_ID.test(args[0] ?? ''))
        return { kind: 'guests', meetId: args[0] as string };
      break;
    case 'account': {
      if (args.length === 0) return { kind: 'account' };
      const mention = args.length === 2 ? /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(args[0] ?? '') : null;
      if (mention?.[1] && LOGIN_ID.test(args[1] ?? '')) {
        return { kind: 'account_set', slackUserId: mention[1], loginId: args[1] as string };
      }
      break;
    }
    case 'admin':
      if (args.length === 0) return { kind: 'admin' };
      break;
    case 'connect':
    case 'disconnect':
      if (args.length === 0) return { kind: word };
      break;
    case 'schedule':
    case 'webinar':
    case 'secure': {
      const preset = word === 'schedule' ? 'meeting' : word;
      return { kind: 'schedule', preset, title: unescapeSlackText(collapse(args.join(' '))) };
    }
  }

  const mentions = [...new Set(Array.from(text.matchAll(MENTION), (m) => m[1] as string))];
  const title = unescapeSlackText(collapse(text.replace(MENTION, ' ')));
  return { kind: 'create', title, mentions };
}
