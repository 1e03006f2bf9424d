/** Small pure helpers for Slack text: escaping user text and keeping within Block Kit limits. */

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

/** Cut to `max` characters (code points, so emoji are not split), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (h === 0) return `${m} min`;
  if (m === 0) return h === 1 ? '1 hour' : `${h} hours`;
  return `${h} h ${m} min`;
}
