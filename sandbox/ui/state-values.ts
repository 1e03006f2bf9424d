/**
 * What the browser reports (which element, the strings it holds) → what Slack sends the app: `view.state.values`
 * entries and `block_actions` action objects, built from the element as the app defined it in the stored blocks
 * (option objects are copied from there, never taken from the browser). Pure functions.
 */
import { z } from 'zod';

/** One field as the client script reports it. */
export const rawFieldSchema = z.object({
  blockId: z.string().max(255),
  actionId: z.string().max(255),
  values: z.array(z.string().max(3000)).max(200).default([]),
  /** Labels of external_select choices (their options exist only in the app's answer). */
  labels: z.array(z.string().max(300)).max(200).default([]),
});
export type RawField = z.infer<typeof rawFieldSchema>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every option of a select (flattening option_groups) or of checkboxes / radio buttons. */
function optionsOf(element: Json): Json[] {
  const grouped = list(element.option_groups).flatMap((g) => (isObject(g) ? list(g.options) : []));
  return [...list(element.options), ...grouped].filter(isObject);
}

function pickOptions(element: Json, values: string[]): Json[] {
  const options = optionsOf(element);
  return values.flatMap((v) => options.filter((o) => o.value === v).slice(0, 1));
}

/** The instant a wall time (`YYYY-MM-DDTHH:mm`) names in `timeZone`, in epoch seconds (DST-correct). */
export function epochOfWallTime(wall: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const offsetAt = (ms: number): number => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - ms;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return Math.floor(guess / 1000);
}

/**
 * The `view.state.values[block][action]` entry Slack sends for an input element holding `field`.
 * Returns null for elements that keep no state (buttons, images).
 */
export function stateValue(element: Json, field: RawField, timeZone: string): Json | null {
  const type = String(element.type ?? '');
  const first = field.values.find((v) => v !== '') ?? null;
  const nonEmpty = field.values.filter((v) => v !== '');
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return {
        type,
        value: field.values[0] === undefined || field.values[0] === '' ? null : field.values[0],
      };
    case 'datepicker':
      return { type, selected_date: first };
    case 'timepicker':
      return { type, selected_time: first };
    case 'datetimepicker':
      return { type, selected_date_time: first ? epochOfWallTime(first, timeZone) : null };
    case 'static_select':
      return { type, selected_option: pickOptions(element, nonEmpty)[0] ?? null };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: pickOptions(element, nonEmpty) };
    case 'radio_buttons':
      return { type, selected_option: pickOptions(element, nonEmpty)[0] ?? null };
    case 'external_select':
      return {
        type,
        selected_option: first
          ? { text: { type: 'plain_text', text: field.labels[0] || first, emoji: true }, value: first }
          : null,
      };
    case 'multi_external_select':
      return {
        type,
        selected_options: nonEmpty.map((v, i) => ({
          text: { type: 'plain_text', text: field.labels[i] || v, emoji: true },
          value: v,
        })),
      };
    case 'users_select':
      return { type, selected_user: first };
    case 'multi_users_select':
      return { type, selected_users: nonEmpty };
    case 'conversations_select':
      return { type, selected_conversation: first };
    case 'multi_conversations_select':
      return { type, selected_conversations: nonEmpty };
    case 'channels_select':
      return { type, selected_channel: first };
    case 'multi_channels_select':
      return { type, selected_channels: nonEmpty };
    default:
      return null;
  }
}

/** The `actions[0]` object of a block_actions payload for `element` (a button press or a changed input). */
export function actionObject(element: Json, field: RawField, timeZone: string, actionTs: string): Json {
  const base: Json = {
    type: element.type,
    block_id: field.blockId,
    action_id: field.actionId,
    action_ts: actionTs,
  };
  if (element.type === 'button') {
    return {
      ...base,
      text: element.text,
      ...(element.value !== undefined ? { value: element.value } : {}),
      ...(element.style !== undefined ? { style: element.style } : {}),
      ...(element.url !== undefined ? { url: element.url } : {}),
    };
  }
  if (element.type === 'overflow') {
    return { ...base, selected_option: pickOptions(element, field.values)[0] ?? null };
  }
  const { type: _type, ...value } = stateValue(element, field, timeZone) ?? {};
  return { ...base, ...value };
}

/** Finds the element with `actionId` in the block `blockId` (its element, accessory or actions elements). */
export function findElement(blocks: unknown, blockId: string, actionId: string): Json | null {
  for (const block of list(blocks)) {
    if (!isObject(block) || block.block_id !== blockId) continue;
    const candidates = [block.element, block.accessory, ...list(block.elements)];
    for (const el of candidates) if (isObject(el) && el.action_id === actionId) return el;
  }
  return null;
}

/**
 * `view.state.values` for a modal or Home tab from what the browser reports (every stateful element it shows);
 * elements are looked up in the stored view, so a field the view does not have is ignored.
 */
export function viewStateValues(
  blocks: unknown,
  fields: RawField[],
  timeZone: string,
): Record<string, Record<string, Json>> {
  const out: Record<string, Record<string, Json>> = {};
  for (const field of fields) {
    const element = findElement(blocks, field.blockId, field.actionId);
    if (!element) continue;
    const value = stateValue(element, field, timeZone);
    if (!value) continue;
    out[field.blockId] ??= {};
    (out[field.blockId] as Record<string, Json>)[field.actionId] = value;
  }
  return out;
}
