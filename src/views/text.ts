/** Small pure helpers for Slack text: escaping user text and keeping within Block Kit limits. */
import { truncate } from '../util/text.js';

/** Escape the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * User text (a title, a name) for any Slack `text`, blocks or the `text` fallback alike: cut to `max`, then
 * escaped, so `<!channel>`, `<@U…>` or `<https://evil|click>` typed into a title shows as typed, never live.
 */
export function userText(text: string, max: number): string {
  return escapeMrkdwn(truncate(text, max));
}

/** A Block Kit plain_text object (emoji shortcodes shown as emoji). */
export function plainText(text: string): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text, emoji: true };
}

export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  if (m === 0) return h === 1 ? '1 hour' : `${h} hours`;
  return `${h} h ${m} min`;
}
