/** Slack's replay window: a request's timestamp must lie within 5 minutes of now, in either direction. */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 300;

export function isFreshSlackTimestamp(header: string | string[] | undefined, now: Date): boolean {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw || !/^\d{1,12}$/.test(raw)) return false;
  const ts = Number(raw);
  return Math.abs(Math.floor(now.getTime() / 1000) - ts) <= SLACK_TIMESTAMP_WINDOW_SECONDS;
}
