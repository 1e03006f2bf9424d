/**
 * Slack text → HTML for the sandbox's stand-in Slack client. Pure functions. Every character of the input is
 * HTML-escaped before any markup is added, so text typed by a user (a meeting title, a guest name) can never
 * become HTML: only the tags written here appear in the output, and links only keep http(s) and mailto targets.
 */

export interface TextContext {
  /** The viewer's IANA zone: `<!date^…>` tokens are shown in it, as Slack does. */
  timeZone: string;
  now: Date;
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Slack's own escaping in message text: `&amp;`, `&lt;`, `&gt;` stand for the characters. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Only these schemes become links; anything else (javascript:, data:) is shown as text. */
export function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

const EMOJI: Record<string, string> = {
  warning: '⚠️',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  calendar: '📆',
  date: '📅',
  spiral_calendar_pad: '🗓️',
  clock1: '🕐',
  alarm_clock: '⏰',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  movie_camera: '🎥',
  video_camera: '📹',
  film_frames: '🎞️',
  clapper: '🎬',
  lock: '🔒',
  closed_lock_with_key: '🔐',
  key: '🔑',
  link: '🔗',
  bell: '🔔',
  wave: '👋',
  tada: '🎉',
  inbox_tray: '📥',
  arrow_forward: '▶️',
  arrows_counterclockwise: '🔄',
  repeat: '🔁',
  busts_in_silhouette: '👥',
  bust_in_silhouette: '👤',
  email: '📧',
  envelope: '✉️',
  information_source: 'ℹ️',
  bulb: '💡',
  red_circle: '🔴',
  large_green_circle: '🟢',
  black_square_for_stop: '⏹️',
  stopwatch: '⏱️',
  speech_balloon: '💬',
  microphone: '🎤',
  studio_microphone: '🎙️',
  mag: '🔍',
  pencil2: '✏️',
  memo: '📝',
  gear: '⚙️',
  hourglass_done: '⌛',
};

/** `:warning:` → ⚠️ for the shortcodes we know; others stay as typed. */
function emojify(escaped: string): string {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

/** Plain text (`plain_text` objects): escaped, emoji shortcodes replaced when `emoji` is not false. */
export function plainTextHtml(text: string, emoji = true): string {
  const escaped = escapeHtml(text);
  return emoji ? emojify(escaped) : escaped;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates: <!date^1392734382^{date_short_pretty} at {time}|fallback>

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  weekday: string;
  hour: number;
  minute: number;
  second: number;
}

function wallParts(date: Date, timeZone: string): WallParts {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: get('weekday'),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
  };
}

function dayNumber(p: WallParts): number {
  return Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
}

function clock(p: WallParts, seconds: boolean): string {
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const mm = String(p.minute).padStart(2, '0');
  const ss = seconds ? `:${String(p.second).padStart(2, '0')}` : '';
  return `${h12}:${mm}${ss} ${p.hour < 12 ? 'AM' : 'PM'}`;
}

function ago(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60
      ? [abs, 'second']
      : abs < 3600
        ? [Math.round(abs / 60), 'minute']
        : abs < 86_400
          ? [Math.round(abs / 3600), 'hour']
          : [Math.round(abs / 86_400), 'day'];
  const phrase = `${value} ${unit}${value === 1 ? '' : 's'}`;
  return seconds < 0 ? `${phrase} ago` : `in ${phrase}`;
}

/** Slack's `<!date>` format tokens, in the viewer's zone (en-US, 12-hour clock). */
export function formatSlackDate(epochSeconds: number, format: string, ctx: TextContext): string {
  const date = new Date(epochSeconds * 1000);
  const p = wallParts(date, ctx.timeZone);
  const today = dayNumber(wallParts(ctx.now, ctx.timeZone));
  const relative = (): string | null => {
    const diff = dayNumber(p) - today;
    return diff === 0 ? 'today' : diff === -1 ? 'yesterday' : diff === 1 ? 'tomorrow' : null;
  };
  const monthName = MONTHS[p.month - 1] ?? '';
  const tokens: Record<string, () => string> = {
    date_num: () => `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`,
    date: () => `${monthName} ${ordinal(p.day)}, ${p.year}`,
    date_short: () => `${monthName.slice(0, 3)} ${p.day}, ${p.year}`,
    date_long: () => `${p.weekday}, ${monthName} ${ordinal(p.day)}, ${p.year}`,
    time: () => clock(p, false),
    time_secs: () => clock(p, true),
    ago: () => ago(date, ctx.now),
  };
  for (const base of ['date', 'date_short', 'date_long']) {
    tokens[`${base}_pretty`] = () => relative() ?? (tokens[base] as () => string)();
  }
  return format.replace(/\{([a-z_]+)\}/g, (whole, name: string) => tokens[name]?.() ?? whole);
}

// ---------------------------------------------------------------------------------------------------------------
// mrkdwn

/** One `<…>` control sequence (mention, link, date) → HTML. */
function controlHtml(inner: string, ctx: TextContext): string {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? unescapeSlack(inner.slice(bar + 1)) : undefined;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = ctx.userName(id) ?? label ?? id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = ctx.channelName(id) ?? label ?? id;
    return `<span class="mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!date^')) {
    const [, epoch, format, link] = target.split('^');
    const seconds = Number(epoch);
    if (!Number.isFinite(seconds) || format === undefined) return escapeHtml(label ?? '');
    const text = escapeHtml(formatSlackDate(seconds, format, ctx));
    const iso = new Date(seconds * 1000).toISOString();
    const time = `<time datetime="${iso}" data-epoch="${seconds}" title="${escapeHtml(label ?? '')}">${text}</time>`;
    const href = link ? safeUrl(link) : null;
    return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${time}</a>` : time;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">${escapeHtml(label ?? '@group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const href = safeUrl(unescapeSlack(target));
  const text = escapeHtml(label ?? unescapeSlack(target));
  return href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${text}</a>` : text;
}

/** Bold, italic, strike and inline code on already-escaped text (the markers are not HTML-special). */
function inlineFormat(escaped: string): string {
  return escaped
    .replace(/(^|[\s(])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s.,;:!?)])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_(?=\S)([^_\n]*?\S)_(?=$|[\s.,;:!?)])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~(?=\S)([^~\n]*?\S)~(?=$|[\s.,;:!?)])/g, '$1<s>$2</s>');
}

/**
 * Slack mrkdwn → HTML. Control sequences and code spans are cut out first (placeholders), the rest is escaped,
 * formatted, and the pieces are put back.
 */
export function mrkdwnHtml(text: string, ctx: TextContext): string {
  const pieces: string[] = [];
  const hold = (html: string) => `\uE000${pieces.push(html) - 1}\uE000`;
  let work = text.replace(/\uE000/g, '');
  work = work.replace(/```([\s\S]*?)```/g, (_w, code: string) =>
    hold(`<pre>${escapeHtml(unescapeSlack(code.replace(/^\n/, '')))}</pre>`),
  );
  work = work.replace(/`([^`\n]+)`/g, (_w, code: string) =>
    hold(`<code>${escapeHtml(unescapeSlack(code))}</code>`),
  );
  work = work.replace(/<([^<>\n]*)>/g, (_w, inner: string) => hold(controlHtml(inner, ctx)));
  const lines = work.split('\n').map((line) => {
    const quote = /^(&gt;|>) ?/.exec(line);
    const body = quote ? line.slice(quote[0].length) : line;
    const html = inlineFormat(emojify(escapeHtml(unescapeSlack(body))));
    return quote ? `<span class="quote">${html}</span>` : html;
  });
  return lines.join('<br>').replace(/\uE000(\d+)\uE000/g, (_w, i: string) => pieces[Number(i)] ?? '');
}

/** A Block Kit text object (`plain_text` or `mrkdwn`) → HTML. */
export function textObjectHtml(text: unknown, ctx: TextContext): string {
  if (!text || typeof text !== 'object') return '';
  const t = text as { type?: string; text?: unknown; emoji?: boolean };
  const value = typeof t.text === 'string' ? t.text : '';
  return t.type === 'mrkdwn' ? mrkdwnHtml(value, ctx) : plainTextHtml(value, t.emoji !== false);
}
