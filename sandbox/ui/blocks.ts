/**
 * Block Kit → HTML for the sandbox's stand-in Slack client: the blocks and elements our app produces (and the
 * common rest), for messages, modals and the Home tab. Pure functions. Every string from the blocks is escaped
 * (see mrkdwn.ts); interactive elements carry `data-block-id` / `data-action-id` / `data-type` so the client
 * script can report what was pressed or typed, and the server rebuilds Slack's payloads from the stored blocks.
 */
import {
  escapeHtml,
  mrkdwnHtml,
  plainTextHtml,
  safeUrl,
  type TextContext,
  textObjectHtml,
} from './mrkdwn.js';

export interface Person {
  id: string;
  name: string;
}

export interface RenderContext extends TextContext {
  /** Everyone a users_select offers. */
  people: Person[];
  /** What conversations_select / channels_select offer (channels have `C…` IDs). */
  conversations: Person[];
  /** The conversation a modal was opened from (`default_to_current_conversation`). */
  currentConversation?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const attr = (name: string, value: string | number | undefined | null): string =>
  value === undefined || value === null || value === '' ? '' : ` ${name}="${escapeHtml(String(value))}"`;

function plain(text: unknown): string {
  return isObject(text) ? plainTextHtml(str(text.text), text.emoji !== false) : '';
}
function plainRaw(text: unknown): string {
  return isObject(text) ? str(text.text) : '';
}

/** The wall time `YYYY-MM-DDTHH:mm` of an instant in a zone (what a datetime-local input shows). */
export function wallTime(epochSeconds: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochSeconds * 1000));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Elements

interface ElementPlace {
  blockId: string;
  /** Whether a change is reported at once (actions blocks, accessories, `dispatch_action` inputs). */
  dispatch: boolean;
}

function optionHtml(option: unknown, selected: Set<string>): string {
  if (!isObject(option)) return '';
  const value = str(option.value);
  return `<option${attr('value', value)}${selected.has(value) ? ' selected' : ''}>${escapeHtml(plainRaw(option.text))}</option>`;
}

function optionsHtml(element: Json, selected: Set<string>): string {
  const groups = list(element.option_groups);
  if (groups.length > 0) {
    return groups
      .map((g) =>
        isObject(g)
          ? `<optgroup${attr('label', plainRaw(g.label))}>${list(g.options)
              .map((o) => optionHtml(o, selected))
              .join('')}</optgroup>`
          : '',
      )
      .join('');
  }
  return list(element.options)
    .map((o) => optionHtml(o, selected))
    .join('');
}

function selectedValues(...options: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const o of options) {
    for (const item of Array.isArray(o) ? o : [o]) if (isObject(item)) out.add(str(item.value));
  }
  return out;
}

function peopleOptions(people: Person[], selected: Set<string>): string {
  return people
    .map(
      (p) =>
        `<option${attr('value', p.id)}${selected.has(p.id) ? ' selected' : ''}>${escapeHtml(p.name)}</option>`,
    )
    .join('');
}

function placeholderOption(element: Json, multiple: boolean): string {
  if (multiple) return '';
  return `<option value="">${escapeHtml(plainRaw(element.placeholder) || 'Choose…')}</option>`;
}

function confirmHtml(confirm: unknown, ctx: RenderContext): string {
  if (!isObject(confirm)) return '';
  return (
    '<template class="bk-confirm">' +
    `<div class="confirm-title">${plain(confirm.title)}</div>` +
    `<div class="confirm-text">${textObjectHtml(confirm.text, ctx)}</div>` +
    `<div class="confirm-buttons"><button type="button" class="deny">${plain(confirm.deny) || 'Cancel'}</button>` +
    `<button type="button" class="confirm${confirm.style === 'danger' ? ' danger' : ' primary'}">${plain(confirm.confirm) || 'Yes'}</button></div>` +
    '</template>'
  );
}

/** One interactive (or image) element → HTML. */
export function elementHtml(element: unknown, place: ElementPlace, ctx: RenderContext): string {
  if (!isObject(element)) return '';
  const type = str(element.type);
  const base =
    `${attr('data-block-id', place.blockId)}${attr('data-action-id', str(element.action_id))}` +
    `${attr('data-type', type)}${place.dispatch ? ' data-dispatch="1"' : ''}`;
  const wrap = (inner: string, extra = '') =>
    `<span class="bk-el el-${escapeHtml(type)}"${base}${extra}>${inner}</span>`;
  switch (type) {
    case 'button': {
      const url = element.url === undefined ? null : safeUrl(str(element.url));
      const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
      return wrap(
        `<button type="button" class="bk-button${style}"${attr('data-url', url)}${attr('data-value', str(element.value))}>` +
          `${plain(element.text)}</button>${confirmHtml(element.confirm, ctx)}`,
      );
    }
    case 'static_select':
    case 'multi_static_select': {
      const multiple = type.startsWith('multi_');
      const selected = selectedValues(element.initial_option, element.initial_options);
      return wrap(
        `<select${multiple ? ' multiple' : ''}>${placeholderOption(element, multiple)}${optionsHtml(element, selected)}</select>`,
      );
    }
    case 'overflow':
      return wrap(
        `<select class="bk-overflow"><option value="">⋯</option>${optionsHtml(element, new Set())}</select>`,
      );
    case 'external_select':
    case 'multi_external_select': {
      const initial = isObject(element.initial_option)
        ? element.initial_option
        : (list(element.initial_options).find(isObject) as Json | undefined);
      const label = initial ? plainRaw(initial.text) : '';
      const value = initial ? str(initial.value) : '';
      const min = typeof element.min_query_length === 'number' ? element.min_query_length : 3;
      return wrap(
        `<input type="text" class="bk-search" autocomplete="off"${attr('placeholder', plainRaw(element.placeholder) || 'Search…')}${attr('value', label)}>` +
          `<input type="hidden" class="bk-value"${attr('value', value)}${attr('data-label', label)}>` +
          '<ul class="bk-options" hidden></ul>',
        attr('data-min-query-length', min),
      );
    }
    case 'users_select':
    case 'multi_users_select': {
      const multiple = type.startsWith('multi_');
      const selected = new Set<string>([
        ...(typeof element.initial_user === 'string' ? [element.initial_user] : []),
        ...list(element.initial_users).map(String),
      ]);
      return wrap(
        `<select${multiple ? ' multiple' : ''}>${placeholderOption(element, multiple)}${peopleOptions(ctx.people, selected)}</select>`,
      );
    }
    case 'conversations_select':
    case 'multi_conversations_select':
    case 'channels_select':
    case 'multi_channels_select': {
      const multiple = type.startsWith('multi_');
      const channelsOnly = type.includes('channels');
      const initial = [
        element.initial_conversation,
        element.initial_channel,
        ...list(element.initial_conversations),
        ...list(element.initial_channels),
      ].filter((v): v is string => typeof v === 'string');
      if (
        initial.length === 0 &&
        element.default_to_current_conversation === true &&
        ctx.currentConversation
      ) {
        initial.push(ctx.currentConversation);
      }
      const choices = ctx.conversations.filter((c) => !channelsOnly || c.id.startsWith('C'));
      return wrap(
        `<select${multiple ? ' multiple' : ''}>${placeholderOption(element, multiple)}${peopleOptions(choices, new Set(initial))}</select>`,
      );
    }
    case 'datepicker':
      return wrap(`<input type="date"${attr('value', str(element.initial_date))}>`);
    case 'timepicker':
      return wrap(`<input type="time"${attr('value', str(element.initial_time))}>`);
    case 'datetimepicker': {
      const initial =
        typeof element.initial_date_time === 'number'
          ? wallTime(element.initial_date_time, ctx.timeZone)
          : '';
      return wrap(`<input type="datetime-local"${attr('value', initial)}>`);
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const selected = selectedValues(element.initial_option, element.initial_options);
      const kind = type === 'checkboxes' ? 'checkbox' : 'radio';
      const name = `${place.blockId}/${str(element.action_id)}`;
      const items = list(element.options)
        .map((o) => {
          if (!isObject(o)) return '';
          const value = str(o.value);
          const description = isObject(o.description)
            ? `<small>${textObjectHtml(o.description, ctx)}</small>`
            : '';
          return (
            `<label class="bk-choice"><input type="${kind}"${attr('name', name)}${attr('value', value)}${selected.has(value) ? ' checked' : ''}>` +
            `<span>${textObjectHtml(o.text, ctx)}${description}</span></label>`
          );
        })
        .join('');
      return wrap(items);
    }
    case 'plain_text_input': {
      const common = `${attr('placeholder', plainRaw(element.placeholder))}${attr('maxlength', typeof element.max_length === 'number' ? element.max_length : undefined)}`;
      return wrap(
        element.multiline === true
          ? `<textarea rows="3"${common}>${escapeHtml(str(element.initial_value))}</textarea>`
          : `<input type="text"${common}${attr('value', str(element.initial_value))}>`,
      );
    }
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const inputType = type === 'number_input' ? 'number' : type === 'email_text_input' ? 'email' : 'url';
      return wrap(
        `<input type="${inputType}"${attr('placeholder', plainRaw(element.placeholder))}${attr('value', str(element.initial_value))}>`,
      );
    }
    case 'image':
      return `<span class="bk-image-el" title="${escapeHtml(str(element.alt_text))}">🖼</span>`;
    default:
      return `<span class="bk-unsupported">[${escapeHtml(type || 'element')}]</span>`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

function richTextHtml(elements: unknown, ctx: RenderContext): string {
  return list(elements)
    .map((el) => {
      if (!isObject(el)) return '';
      switch (el.type) {
        case 'rich_text_section':
        case 'rich_text_quote':
        case 'rich_text_preformatted': {
          const inner = list(el.elements)
            .map((e) => {
              if (!isObject(e)) return '';
              if (e.type === 'text') return escapeHtml(str(e.text)).replace(/\n/g, '<br>');
              if (e.type === 'link') {
                const href = safeUrl(str(e.url));
                const text = escapeHtml(str(e.text) || str(e.url));
                return href
                  ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${text}</a>`
                  : text;
              }
              if (e.type === 'user') return mrkdwnHtml(`<@${str(e.user_id)}>`, ctx);
              if (e.type === 'channel') return mrkdwnHtml(`<#${str(e.channel_id)}>`, ctx);
              if (e.type === 'emoji') return mrkdwnHtml(`:${str(e.name)}:`, ctx);
              return '';
            })
            .join('');
          const tag =
            el.type === 'rich_text_preformatted'
              ? 'pre'
              : el.type === 'rich_text_quote'
                ? 'blockquote'
                : 'div';
          return `<${tag}>${inner}</${tag}>`;
        }
        case 'rich_text_list':
          return `<ul>${list(el.elements)
            .map((item) => `<li>${richTextHtml([item], ctx)}</li>`)
            .join('')}</ul>`;
        default:
          return '';
      }
    })
    .join('');
}

/** One block → HTML. `errors` are a modal's inline errors by block_id (from `response_action: "errors"`). */
export function blockHtml(block: unknown, ctx: RenderContext, errors: Json = {}): string {
  if (!isObject(block)) return '';
  const blockId = str(block.block_id);
  const open = (cls: string) => `<div class="bk-block ${cls}"${attr('data-block-id', blockId)}>`;
  switch (block.type) {
    case 'header':
      return `${open('bk-header')}${plain(block.text)}</div>`;
    case 'divider':
      return `${open('bk-divider')}<hr></div>`;
    case 'call':
      // Slack draws the call itself (Join, who is in it, then "ended" with its duration).
      return `${open('bk-context')}<span>📞 Slack call ${escapeHtml(str(block.call_id))}</span></div>`;
    case 'section': {
      const text = block.text ? `<div class="bk-text">${textObjectHtml(block.text, ctx)}</div>` : '';
      const fields = list(block.fields);
      const fieldsHtml =
        fields.length > 0
          ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${textObjectHtml(f, ctx)}</div>`).join('')}</div>`
          : '';
      const accessory = block.accessory
        ? `<div class="bk-accessory">${elementHtml(block.accessory, { blockId, dispatch: true }, ctx)}</div>`
        : '';
      return `${open('bk-section')}<div class="bk-section-body">${text}${fieldsHtml}</div>${accessory}</div>`;
    }
    case 'context':
      return `${open('bk-context')}${list(block.elements)
        .map((e) =>
          isObject(e) && e.type === 'image'
            ? `<span class="bk-image-el" title="${escapeHtml(str(e.alt_text))}">🖼</span>`
            : `<span>${textObjectHtml(e, ctx)}</span>`,
        )
        .join('')}</div>`;
    case 'actions':
      return `${open('bk-actions')}${list(block.elements)
        .map((e) => elementHtml(e, { blockId, dispatch: true }, ctx))
        .join('')}</div>`;
    case 'image':
      return `${open('bk-image')}<span class="bk-image-el">🖼 ${escapeHtml(plainRaw(block.title) || str(block.alt_text))}</span></div>`;
    case 'input': {
      const error = typeof errors[blockId] === 'string' ? (errors[blockId] as string) : '';
      const optional = block.optional === true ? ' <span class="optional">(optional)</span>' : '';
      const hint = block.hint ? `<div class="bk-hint">${textObjectHtml(block.hint, ctx)}</div>` : '';
      return (
        `${open('bk-input')}<label class="bk-label">${plain(block.label)}${optional}</label>` +
        elementHtml(block.element, { blockId, dispatch: block.dispatch_action === true }, ctx) +
        hint +
        `<div class="bk-error"${error ? '' : ' hidden'}>${escapeHtml(error)}</div></div>`
      );
    }
    case 'rich_text':
      return `${open('bk-rich-text')}${richTextHtml(block.elements, ctx)}</div>`;
    default:
      return `${open('bk-unsupported')}[unsupported block: ${escapeHtml(str(block.type))}]</div>`;
  }
}

/** Blocks of a message, a modal or the Home tab. */
export function blocksHtml(blocks: unknown, ctx: RenderContext, errors: Json = {}): string {
  return list(blocks)
    .map((b) => blockHtml(b, ctx, errors))
    .join('');
}

/** A message body: its blocks, or its text when it has none (as Slack shows it). */
export function messageBodyHtml(message: { text?: unknown; blocks?: unknown }, ctx: RenderContext): string {
  const blocks = list(message.blocks);
  if (blocks.length > 0) return blocksHtml(blocks, ctx);
  return `<div class="bk-text">${mrkdwnHtml(str(message.text), ctx)}</div>`;
}

/** A modal: title, blocks (with inline errors) and its Close / Submit buttons. */
export function modalHtml(view: Json, ctx: RenderContext, errors: Json = {}): string {
  const submit = view.submit
    ? `<button type="button" class="bk-submit primary">${plain(view.submit)}</button>`
    : '';
  return (
    `<div class="modal"${attr('data-view-id', str(view.id))}${attr('data-hash', str(view.hash))}${attr('data-callback-id', str(view.callback_id))}>` +
    `<div class="modal-title">${plain(view.title)}</div>` +
    `<div class="modal-body">${blocksHtml(view.blocks, ctx, errors)}</div>` +
    `<div class="modal-buttons"><button type="button" class="bk-close">${plain(view.close) || 'Close'}</button>${submit}</div></div>`
  );
}
