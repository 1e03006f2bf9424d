/**
 * Slack's date formatting token, `<!date^EPOCH^FORMAT|FALLBACK>`: Slack shows the time in each reader's own
 * time zone; clients that cannot render it show the fallback text.
 * https://api.slack.com/reference/surfaces/formatting#date-formatting
 */
import { assertInstant, formatFieldsTime, MONTH_NAMES, WEEKDAY_NAMES, zonedFields } from './tz.js';

export const DEFAULT_SLACK_DATE_FORMAT = '{date_short_pretty} at {time}';

/** Whole seconds since the epoch (floored, also before 1970), as Slack's token wants them. */
export function slackEpochSeconds(instant: Date): number {
  assertInstant(instant);
  return Math.floor(instant.getTime() / 1000);
}

/** The default fallback: a readable UTC text such as `Fri, Feb 12 2021 16:00 UTC`. */
export function slackDateFallback(instant: Date): string {
  const f = zonedFields(instant, 'UTC');
  return `${WEEKDAY_NAMES[f.weekday]}, ${MONTH_NAMES[f.month - 1]} ${f.day} ${f.year} ${formatFieldsTime(f)} UTC`;
}

/**
 * Makes text safe inside the token: Slack's own escapes for `&`, `<` and `>`, and `|` (which would end the
 * format part or be taken as a second separator) replaced by `¦`, since Slack has no escape for it. Line
 * breaks become spaces.
 */
export function escapeSlackDateText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '¦')
    .replace(/[\r\n]+/g, ' ');
}

/**
 * `<!date^1613145600^{date_short_pretty} at {time}|Fri, Feb 12 2021 16:00 UTC>`.
 *
 * `format` is Slack's format with `{date_num}`, `{date}`, `{date_short}`, `{date_long}`, `{date_pretty}`,
 * `{date_short_pretty}`, `{date_long_pretty}`, `{time}`, `{time_secs}`, `{ago}` tokens and free text; `^`
 * (the token's field separator) is not allowed in it. `fallback` defaults to slackDateFallback(instant).
 */
export function slackDateToken(instant: Date, format = DEFAULT_SLACK_DATE_FORMAT, fallback?: string): string {
  const epoch = slackEpochSeconds(instant);
  if (format.includes('^')) throw new RangeError('A Slack date format cannot contain "^"');
  const text = escapeSlackDateText(fallback ?? slackDateFallback(instant));
  return `<!date^${epoch}^${escapeSlackDateText(format)}|${text}>`;
}
