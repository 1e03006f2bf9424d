/**
 * The sandbox page, server-rendered: the person switch, the conversations, the messages as the chosen person
 * sees them, the composer, the open modal, and the sandbox controls. Pure functions of plain data; the client
 * script (client.js) only swaps fragments rendered here and reports what the person does.
 */
import type { SeenMessage } from '../slack/client.js';
import { blocksHtml, messageBodyHtml, modalHtml, type Person, type RenderContext } from './blocks.js';
import { escapeHtml } from './mrkdwn.js';

export interface PagePerson extends Person {
  role: string;
}

export interface PageData {
  /** Who the page acts as. */
  as: PagePerson;
  people: PagePerson[];
  channels: Person[];
  /** A channel ID, the person's DM with the app (`D…`), or `home`. */
  conversation: string;
  dmChannel: string;
  botName: string;
  emulatorUrl: string;
  meetings: { meetId: string; name: string }[];
  view: ViewData;
}

export interface ViewData {
  revision: string;
  messages: SeenMessage[];
  modal: { view: Record<string, unknown>; channel: string; errors: Record<string, string> } | null;
  home: Record<string, unknown> | null;
  ctx: RenderContext;
  authorName(id: string): string;
}

const q = (data: { as: string; c: string }) =>
  `/?as=${encodeURIComponent(data.as)}&c=${encodeURIComponent(data.c)}`;

function timeOf(at: number, ctx: RenderContext): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: ctx.timeZone,
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(at));
}

export function messageHtml(m: SeenMessage, view: ViewData): string {
  const classes = [
    'msg',
    m.ephemeral ? 'ephemeral' : '',
    m.fromApp ? 'from-app' : '',
    m.threadTs ? 'reply' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const badge = m.fromApp ? ' <span class="badge">APP</span>' : '';
  const edited = m.edited ? ' <span class="edited">(edited)</span>' : '';
  return (
    `<div class="${classes}" data-key="${escapeHtml(m.key)}" data-source="${escapeHtml(JSON.stringify(m.source))}">` +
    `<div class="msg-head"><b class="author">${escapeHtml(view.authorName(m.author))}</b>${badge}` +
    ` <span class="when">${escapeHtml(timeOf(m.at, view.ctx))}</span>${edited}</div>` +
    `<div class="msg-body">${messageBodyHtml(m, view.ctx)}</div>` +
    (m.ephemeral ? '<div class="ephemeral-note">👁 Only visible to you</div>' : '') +
    '</div>'
  );
}

/** The meetings "finish a recording" offers, newest first. */
export function meetingOptionsHtml(meetings: { meetId: string; name: string }[]): string {
  if (meetings.length === 0) return '<option value="">(no meetings yet)</option>';
  return meetings
    .map(
      (m) =>
        `<option value="${escapeHtml(m.meetId)}">${escapeHtml(m.name)} (${escapeHtml(m.meetId)})</option>`,
    )
    .join('');
}

export function timelineHtml(view: ViewData, conversation: string): string {
  if (conversation === 'home') {
    return view.home
      ? `<div class="home" data-view-id="${escapeHtml(String(view.home.id ?? ''))}">${blocksHtml(view.home.blocks, view.ctx)}</div>`
      : '<div class="empty">The app has not published a Home tab.</div>';
  }
  if (view.messages.length === 0) {
    return '<div class="empty">No messages yet. Type <code>/meet Design review</code> below to start a meeting.</div>';
  }
  return view.messages.map((m) => messageHtml(m, view)).join('');
}

export function modalFragment(view: ViewData): { key: string; html: string } | null {
  if (!view.modal) return null;
  const v = view.modal.view;
  const ctx = { ...view.ctx, currentConversation: view.modal.channel };
  return { key: `${String(v.id)}:${String(v.hash)}`, html: modalHtml(v, ctx, view.modal.errors) };
}

function conversationTitle(data: PageData): string {
  if (data.conversation === 'home') return `${data.botName} · Home`;
  if (data.conversation === data.dmChannel) return `${data.botName} · Messages`;
  const channel = data.channels.find((c) => c.id === data.conversation);
  return channel ? `#${channel.name}` : data.conversation;
}

export function pageHtml(data: PageData): string {
  const as = data.as.id;
  const link = (c: string, label: string) =>
    `<a class="conv${data.conversation === c ? ' active' : ''}" href="${escapeHtml(q({ as, c }))}">${label}</a>`;
  const people = data.people
    .map(
      (p) =>
        `<option value="${escapeHtml(p.id)}"${p.id === as ? ' selected' : ''}>${escapeHtml(p.name)} (${escapeHtml(p.role)})</option>`,
    )
    .join('');
  const meetings = meetingOptionsHtml(data.meetings);
  const modal = modalFragment(data.view);
  const composer =
    data.conversation === 'home'
      ? ''
      : '<form id="composer" autocomplete="off"><input id="composer-input" name="text" placeholder="Message, or /meet …" aria-label="Message">' +
        '<button type="submit">Send</button></form><div id="composer-status" role="status"></div>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MegaMeeting sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/ui/style.css"></head>
<body data-as="${escapeHtml(as)}" data-conversation="${escapeHtml(data.conversation)}" data-revision="${escapeHtml(data.view.revision)}">
<header class="topbar">
  <span class="brand">MegaMeeting for Slack · sandbox</span>
  <label>Acting as <select id="act-as">${people}</select></label>
  <form id="finish-recording"><label>Finish a recording of <select id="recording-meeting" name="meetId">${meetings}</select></label>
  <button type="submit">Finish a recording</button><span id="recording-status" role="status"></span></form>
  <a href="${escapeHtml(data.emulatorUrl)}" target="_blank" rel="noopener">MegaMeeting emulator</a>
</header>
<div class="layout">
<nav class="sidebar">
  <div class="section">Channels</div>
  ${data.channels.map((c) => link(c.id, `# ${escapeHtml(c.name)}`)).join('\n  ')}
  <div class="section">Apps</div>
  ${link('home', `${escapeHtml(data.botName)} · Home`)}
  ${link(data.dmChannel, `${escapeHtml(data.botName)} · Messages`)}
  <p class="hint">A sandbox: Slack and MegaMeeting are emulated, nothing leaves this machine. Switch person at the top to see what others see.</p>
</nav>
<main>
  <h1 class="conv-title">${escapeHtml(conversationTitle(data))}</h1>
  <div id="timeline">${timelineHtml(data.view, data.conversation)}</div>
  ${composer}
</main>
</div>
<div id="modal-layer" data-key="${escapeHtml(modal?.key ?? '')}"${modal ? '' : ' hidden'}>${modal?.html ?? ''}</div>
<div id="confirm-layer" hidden></div>
<script src="/ui/client.js"></script>
</body></html>`;
}
