/** Plain-string helpers shared by every layer (Slack-specific text rules live in src/views/text.ts). */

/** Cut to `max` characters (code points, so emoji are not split), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
