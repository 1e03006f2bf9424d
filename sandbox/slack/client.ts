/**
 * The sandbox's stand-in for the Slack client: what a person does (types `/meet …`, presses a button, picks an
 * option, submits a modal, opens the Home tab) becomes the request Slack would send the app, signed with the
 * app's signing secret; and what the app did (messages, ephemeral messages, response_url answers, modals, Home
 * tabs, all recorded by the Web API stand-in) becomes what each person sees.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SandboxIdentity } from '../people.js';
import { actionObject, findElement, type RawField, viewStateValues } from '../ui/state-values.js';
import type { SlackStub, StubView } from './stub.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Slack waits 3 seconds for an answer. */
const SLACK_TIMEOUT_MS = 3000;

/** Where a message shown in the sandbox lives: in the stand-in's channel history, or only in the sandbox. */
export type MessageSource = { kind: 'message'; channel: string; ts: string } | { kind: 'local'; key: string };

/** One message as a person sees it in a conversation. */
export interface SeenMessage {
  key: string;
  source: MessageSource;
  /** Milliseconds, for ordering. */
  at: number;
  ts: string;
  author: string;
  fromApp: boolean;
  text: string;
  blocks: unknown[];
  ephemeral: boolean;
  edited: boolean;
  threadTs?: string;
}

interface LocalItem {
  key: string;
  channel: string;
  /** Visible to this person only (ephemeral), or to everyone in the channel. */
  user: string | null;
  at: number;
  ts: string;
  text: string;
  blocks: unknown[];
  hidden?: boolean;
  edited?: boolean;
}

interface RequestContext {
  user: string;
  channel: string;
  source?: MessageSource;
}

export interface SendResult {
  ok: boolean;
  /** Shown to the person when Slack would show an error. */
  error?: string;
}

export interface SubmitResult extends SendResult {
  errors?: Record<string, string>;
}

export interface SandboxSlackClientOptions {
  stub: SlackStub;
  identity: SandboxIdentity;
  /** The app's Request URL (`…/slack/events`). */
  eventsUrl: string;
  channelName(id: string): string | undefined;
  userTimeZone(id: string): string;
}

export class SandboxSlackClient {
  private readonly triggers = new Map<string, RequestContext>();
  private readonly responseContexts = new Map<string, RequestContext>();
  private readonly viewOwners = new Map<string, RequestContext>();
  private readonly closedViews = new Set<string>();
  private readonly viewErrors = new Map<string, Record<string, string>>();
  private readonly notes: LocalItem[] = [];
  private localRevision = 0;
  private seq = 0;

  constructor(private readonly opts: SandboxSlackClientOptions) {}

  /** Changes whenever something a person could see may have changed. */
  get revision(): string {
    return `${this.opts.stub.revision}.${this.localRevision}`;
  }

  // ----- requests to the app ---------------------------------------------------------------------------------

  private sign(body: string): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', this.opts.identity.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
  }

  private async post(
    body: string,
    contentType: string,
  ): Promise<{ ok: true; status: number; text: string } | { ok: false; error: string }> {
    try {
      const res = await fetch(this.opts.eventsUrl, {
        method: 'POST',
        headers: { 'content-type': contentType, ...this.sign(body) },
        body,
        signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
      });
      return { ok: true, status: res.status, text: await res.text() };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { ok: false, error: timedOut ? 'operation_timeout' : 'dispatch_failed' };
    }
  }

  private postPayload(payload: Json) {
    return this.post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  private trigger(context: RequestContext): string {
    const id = this.opts.stub.issueTriggerId();
    this.triggers.set(id, context);
    return id;
  }

  private responseUrl(context: RequestContext): string {
    const url = this.opts.stub.responseUrl();
    this.responseContexts.set(url.slice(url.indexOf('/response/') + '/response/'.length), context);
    return url;
  }

  private userObject(user: string) {
    const u = this.opts.stub.user(user);
    return { id: user, username: u?.name ?? user, name: u?.name ?? user, team_id: this.opts.identity.teamId };
  }

  private team() {
    return { id: this.opts.identity.teamId, domain: this.opts.identity.teamDomain };
  }

  /** A note from "Slack" itself to one person (an app that failed to answer, a message Slack refused). */
  private note(user: string, channel: string, text: string): void {
    const at = Date.now();
    this.notes.push({ key: `n${++this.seq}`, channel, user, at, ts: tsOf(at), text, blocks: [] });
    this.localRevision++;
  }

  /** A slash command typed in the composer (`/meet …`). */
  async command(user: string, channel: string, commandLine: string): Promise<SendResult> {
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(commandLine.trim());
    if (!match) return { ok: false, error: 'not a command' };
    const [, command, text] = match as unknown as [string, string, string];
    if (command !== '/meet') {
      this.note(user, channel, `${command} is not a valid command. This sandbox knows /meet.`);
      return { ok: false, error: 'unknown command' };
    }
    const context = { user, channel };
    const u = this.opts.stub.user(user);
    const body = new URLSearchParams({
      token: 'sandbox-verification-token',
      team_id: this.opts.identity.teamId,
      team_domain: this.opts.identity.teamDomain,
      channel_id: channel,
      channel_name: this.opts.channelName(channel) ?? 'directmessage',
      user_id: user,
      user_name: u?.name ?? user,
      command,
      text,
      api_app_id: this.opts.identity.appId,
      is_enterprise_install: 'false',
      response_url: this.responseUrl(context),
      trigger_id: this.trigger(context),
    }).toString();
    const res = await this.post(body, 'application/x-www-form-urlencoded');
    return this.afterAck(res, user, channel, `${command} failed`);
  }

  private afterAck(
    res: Awaited<ReturnType<SandboxSlackClient['post']>>,
    user: string,
    channel: string,
    what: string,
  ): SendResult {
    if (!res.ok || res.status !== 200) {
      const error = res.ok ? `http_${res.status}` : res.error;
      this.note(user, channel, `${what} with the error "${error}"`);
      return { ok: false, error };
    }
    // A slash command may answer in its acknowledgement: Slack shows that to the person.
    const answer = parseJson(res.text);
    if (isObject(answer) && (typeof answer.text === 'string' || Array.isArray(answer.blocks))) {
      this.notes.push({
        key: `n${++this.seq}`,
        channel,
        user: answer.response_type === 'in_channel' ? null : user,
        at: Date.now(),
        ts: tsOf(Date.now()),
        text: typeof answer.text === 'string' ? answer.text : '',
        blocks: list(answer.blocks),
      });
      this.localRevision++;
    } else if (res.text.trim() !== '' && !isObject(answer)) {
      this.note(user, channel, res.text.slice(0, 3000));
    }
    return { ok: true };
  }

  /** A message a person types that is not a command: it simply appears in the conversation. */
  say(user: string, channel: string, text: string): void {
    this.opts.stub.addMessage(channel, { text, user });
  }

  /** A button pressed or a select changed in a message. */
  async messageAction(
    user: string,
    channel: string,
    source: MessageSource,
    field: RawField,
  ): Promise<SendResult> {
    const shown = this.find(user, channel, source);
    if (!shown) return { ok: false, error: 'message_not_found' };
    const element = findElement(shown.blocks, field.blockId, field.actionId);
    if (!element) return { ok: false, error: 'element_not_found' };
    const context: RequestContext = { user, channel, source };
    const ts = shown.ts;
    const payload: Json = {
      type: 'block_actions',
      user: this.userObject(user),
      api_app_id: this.opts.identity.appId,
      token: 'sandbox-verification-token',
      container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: shown.ephemeral },
      trigger_id: this.trigger(context),
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel, name: this.opts.channelName(channel) ?? 'directmessage' },
      ...(shown.ephemeral
        ? {}
        : {
            message: {
              type: 'message',
              user: shown.author,
              ts,
              text: shown.text,
              blocks: shown.blocks,
              ...(shown.fromApp
                ? { bot_id: this.opts.identity.botId, app_id: this.opts.identity.appId }
                : {}),
              team: this.opts.identity.teamId,
            },
          }),
      state: { values: {} },
      response_url: this.responseUrl(context),
      actions: [actionObject(element, field, this.opts.userTimeZone(user), tsOf(Date.now()))],
    };
    return this.afterAck(await this.postPayload(payload), user, channel, 'The app');
  }

  private viewPayload(view: StubView, fields: RawField[], user: string): Json {
    return {
      ...view,
      state: { values: viewStateValues(view.blocks, fields, this.opts.userTimeZone(user)) },
    };
  }

  /** An element inside a modal or the Home tab changed (a button, or an input with `dispatch_action`). */
  async viewAction(user: string, viewId: string, field: RawField, fields: RawField[]): Promise<SendResult> {
    const view = this.opts.stub.view(viewId);
    if (!view) return { ok: false, error: 'view_not_found' };
    const element = findElement(view.blocks, field.blockId, field.actionId);
    if (!element) return { ok: false, error: 'element_not_found' };
    const context = this.viewOwners.get(viewId) ?? this.ownerOf(view) ?? { user, channel: '' };
    const payload: Json = {
      type: 'block_actions',
      user: this.userObject(user),
      api_app_id: this.opts.identity.appId,
      token: 'sandbox-verification-token',
      container: { type: 'view', view_id: viewId },
      trigger_id: this.trigger({ user, channel: context.channel }),
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      view: this.viewPayload(view, fields, user),
      actions: [actionObject(element, field, this.opts.userTimeZone(user), tsOf(Date.now()))],
    };
    const res = await this.postPayload(payload);
    if (!res.ok || res.status !== 200) return { ok: false, error: res.ok ? `http_${res.status}` : res.error };
    return { ok: true };
  }

  /** Options for an external select as the person types (`block_suggestion`). */
  async suggest(user: string, viewId: string, field: RawField, query: string, fields: RawField[]) {
    const view = this.opts.stub.view(viewId);
    if (!view) return { ok: false as const, error: 'view_not_found' };
    const payload: Json = {
      type: 'block_suggestion',
      user: this.userObject(user),
      container: { type: 'view', view_id: viewId },
      api_app_id: this.opts.identity.appId,
      token: 'sandbox-verification-token',
      action_id: field.actionId,
      block_id: field.blockId,
      value: query,
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      view: this.viewPayload(view, fields, user),
    };
    const res = await this.postPayload(payload);
    if (!res.ok || res.status !== 200)
      return { ok: false as const, error: res.ok ? `http_${res.status}` : res.error };
    const answer = parseJson(res.text);
    const options: { text: string; value: string }[] = [];
    const take = (o: unknown) => {
      if (isObject(o) && typeof o.value === 'string' && isObject(o.text))
        options.push({ text: String(o.text.text ?? o.value), value: o.value });
    };
    if (isObject(answer)) {
      for (const o of list(answer.options)) take(o);
      for (const g of list(answer.option_groups)) if (isObject(g)) for (const o of list(g.options)) take(o);
    }
    return { ok: true as const, options };
  }

  /** The Submit button of a modal. */
  async submit(user: string, viewId: string, fields: RawField[]): Promise<SubmitResult> {
    const view = this.opts.stub.view(viewId);
    if (!view || this.closedViews.has(viewId)) return { ok: false, error: 'view_not_found' };
    const context = this.viewOwners.get(viewId) ?? this.ownerOf(view) ?? { user, channel: '' };
    const payloadView = this.viewPayload(view, fields, user);
    const values = (payloadView.state as { values: Record<string, Record<string, Json>> }).values;
    // conversations_select with response_url_enabled: Slack hands the app a response_url for the chosen one.
    const responseUrls: Json[] = [];
    for (const [blockId, actions] of Object.entries(values)) {
      for (const [actionId, value] of Object.entries(actions)) {
        const element = findElement(view.blocks, blockId, actionId);
        const chosen = value.selected_conversation ?? value.selected_channel;
        if (element?.response_url_enabled === true && typeof chosen === 'string') {
          responseUrls.push({
            block_id: blockId,
            action_id: actionId,
            channel_id: chosen,
            response_url: this.responseUrl({ user, channel: chosen }),
          });
        }
      }
    }
    const payload: Json = {
      type: 'view_submission',
      team: this.team(),
      user: this.userObject(user),
      api_app_id: this.opts.identity.appId,
      token: 'sandbox-verification-token',
      trigger_id: this.trigger({ user, channel: context.channel }),
      view: payloadView,
      response_urls: responseUrls,
      is_enterprise_install: false,
      enterprise: null,
    };
    const res = await this.postPayload(payload);
    if (!res.ok) return { ok: false, error: `We had some trouble connecting (${res.error}). Try again?` };
    if (res.status !== 200)
      return { ok: false, error: `We had some trouble connecting (http_${res.status}).` };
    const answer = parseJson(res.text);
    const action = isObject(answer) ? answer.response_action : undefined;
    this.viewErrors.delete(viewId);
    if (action === 'errors' && isObject(answer) && isObject(answer.errors)) {
      const errors: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.errors)) errors[k] = String(v);
      this.viewErrors.set(viewId, errors);
      this.localRevision++;
      return { ok: false, errors };
    }
    if ((action === 'update' || action === 'push') && isObject(answer)) {
      const applied = this.opts.stub.applyViewResponse(viewId, action, answer.view);
      if (!applied.ok)
        return { ok: false, error: `The app answered with an invalid view (${applied.error.error}).` };
      if (action === 'push') this.viewOwners.set(applied.view.id, context);
      return { ok: true };
    }
    if (action === 'clear') {
      for (const v of this.modalStack(user)) this.closedViews.add(v.id);
    } else this.closedViews.add(viewId);
    this.localRevision++;
    return { ok: true };
  }

  /** Close (the X or Cancel): sends `view_closed` when the app asked for it. */
  async close(user: string, viewId: string): Promise<SendResult> {
    const view = this.opts.stub.view(viewId);
    this.closedViews.add(viewId);
    this.localRevision++;
    if (view?.notify_on_close) {
      await this.postPayload({
        type: 'view_closed',
        team: this.team(),
        user: this.userObject(user),
        api_app_id: this.opts.identity.appId,
        token: 'sandbox-verification-token',
        view,
        is_cleared: false,
        is_enterprise_install: false,
        enterprise: null,
      });
    }
    return { ok: true };
  }

  /** Opening the app's Home tab: the `app_home_opened` event. */
  async openHome(user: string): Promise<SendResult> {
    const homeView = this.opts.stub.homeView(user);
    const at = Date.now();
    const body = JSON.stringify({
      token: 'sandbox-verification-token',
      team_id: this.opts.identity.teamId,
      api_app_id: this.opts.identity.appId,
      event: {
        type: 'app_home_opened',
        user,
        channel: this.opts.stub.dmChannelFor(user),
        tab: 'home',
        event_ts: tsOf(at),
        ...(homeView ? { view: homeView } : {}),
      },
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(at / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.opts.identity.teamId,
          user_id: this.opts.identity.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    });
    const res = await this.post(body, 'application/json');
    if (!res.ok || res.status !== 200) return { ok: false, error: res.ok ? `http_${res.status}` : res.error };
    return { ok: true };
  }

  // ----- what a person sees ----------------------------------------------------------------------------------

  private ownerOf(view: StubView): RequestContext | undefined {
    for (const method of ['views.open', 'views.push']) {
      for (const call of this.opts.stub.calls(method)) {
        const opened = call.response.view as { id?: string } | undefined;
        if (call.response.ok && opened?.id === view.id) {
          const context = this.triggers.get(String(call.args.trigger_id));
          if (context) {
            this.viewOwners.set(view.id, context);
            return context;
          }
        }
      }
    }
    return undefined;
  }

  /** The person's open modals, bottom first (the last one is on top). */
  modalStack(user: string): StubView[] {
    return this.opts.stub
      .views()
      .filter(
        (v) => !this.closedViews.has(v.id) && (this.viewOwners.get(v.id) ?? this.ownerOf(v))?.user === user,
      );
  }

  /** The modal on top, with the channel it was opened from and its inline errors. */
  topModal(user: string): { view: StubView; channel: string; errors: Record<string, string> } | null {
    const view = this.modalStack(user).at(-1);
    if (!view) return null;
    const context = this.viewOwners.get(view.id);
    return { view, channel: context?.channel ?? '', errors: this.viewErrors.get(view.id) ?? {} };
  }

  /** Messages of a conversation as `user` sees them, oldest first. */
  conversation(user: string, channel: string): SeenMessage[] {
    const stub = this.opts.stub;
    const overlays = new Map<string, { text: string; blocks: unknown[] } | 'deleted'>();
    const local: LocalItem[] = [...this.notes.filter((n) => n.channel === channel)];
    for (const e of stub.ephemeralMessages({ channel })) {
      local.push({
        key: `e${e.message_ts}`,
        channel,
        user: e.user,
        at: e.at,
        ts: e.message_ts,
        text: e.text,
        blocks: list(e.blocks),
      });
    }
    for (const r of stub.responses()) {
      const context = this.responseContexts.get(r.id);
      if (!context || r.status !== 200 || context.channel !== channel) continue;
      const body = r.body;
      const source = context.source;
      const content = { text: typeof body.text === 'string' ? body.text : '', blocks: list(body.blocks) };
      if (source && (truthy(body.delete_original) || truthy(body.replace_original))) {
        const deleting = truthy(body.delete_original);
        if (source.kind === 'message') {
          overlays.set(`${source.channel}/${source.ts}`, deleting ? 'deleted' : content);
        } else {
          const item = local.find((i) => i.key === source.key);
          if (item) {
            if (deleting) item.hidden = true;
            else Object.assign(item, content, { edited: true });
          }
        }
        continue;
      }
      local.push({
        key: `r${r.id}-${r.at}`,
        channel,
        user: body.response_type === 'in_channel' ? null : context.user,
        at: r.at,
        ts: tsOf(r.at),
        ...content,
      });
    }
    const seen: SeenMessage[] = [];
    for (const m of stub.messagesIn(channel)) {
      const overlay = overlays.get(`${channel}/${m.ts}`);
      if (overlay === 'deleted') continue;
      seen.push({
        key: `m${m.ts}`,
        source: { kind: 'message', channel, ts: m.ts },
        at: Number(m.ts) * 1000,
        ts: m.ts,
        author: m.user,
        fromApp: m.bot_id !== undefined,
        text: overlay?.text ?? m.text,
        blocks: overlay?.blocks ?? list(m.blocks),
        ephemeral: false,
        edited: overlay !== undefined || m.edited !== undefined,
        ...(m.thread_ts && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
      });
    }
    for (const item of local) {
      if (item.hidden || (item.user !== null && item.user !== user)) continue;
      seen.push({
        key: item.key,
        source: { kind: 'local', key: item.key },
        at: item.at,
        ts: item.ts,
        author: item.key.startsWith('n') ? 'slackbot' : this.opts.identity.botUserId,
        fromApp: !item.key.startsWith('n'),
        text: item.text,
        blocks: item.blocks,
        ephemeral: item.user !== null,
        edited: item.edited === true,
      });
    }
    return seen.sort((a, b) => a.at - b.at);
  }

  private find(user: string, channel: string, source: MessageSource): SeenMessage | undefined {
    return this.conversation(user, channel).find((m) =>
      source.kind === 'message'
        ? m.source.kind === 'message' && m.source.ts === source.ts
        : m.source.kind === 'local' && m.source.key === source.key,
    );
  }
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A Slack-shaped ts (`1700000000.000100`) for a time in milliseconds. */
function tsOf(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}
