/**
 * The sandbox's web server: the page, its script and style, and the JSON endpoints the script calls (each one a
 * thing a person does in Slack, turned into a signed request to the app by SandboxSlackClient).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Emulator } from '../../emulator/index.js';
import { sandboxFile } from '../files.js';
import { personById, SANDBOX_CHANNELS, SANDBOX_PEOPLE, type SandboxIdentity } from '../people.js';
import type { SandboxSlackClient } from '../slack/client.js';
import type { SlackStub } from '../slack/stub.js';
import type { RenderContext } from './blocks.js';
import {
  meetingOptionsHtml,
  modalFragment,
  type PageData,
  pageHtml,
  timelineHtml,
  type ViewData,
} from './page.js';
import { rawFieldSchema } from './state-values.js';

export interface SandboxServerDeps {
  client: SandboxSlackClient;
  slack: SlackStub;
  emulator: Emulator;
  identity: SandboxIdentity;
}

const MAX_BODY = 256 * 1024;
const personId = z.string().refine((id) => personById(id) !== undefined, { message: 'unknown person' });
const sourceSchema = z.union([
  z.object({ kind: z.literal('message'), channel: z.string().max(40), ts: z.string().max(40) }),
  z.object({ kind: z.literal('local'), key: z.string().max(200) }),
]);
const fields = z.array(rawFieldSchema).max(200).default([]);
const bodies = {
  send: z.object({ as: personId, c: z.string().max(40), text: z.string().min(1).max(4000) }),
  action: z.object({ as: personId, c: z.string().max(40), source: sourceSchema, field: rawFieldSchema }),
  viewAction: z.object({ as: personId, viewId: z.string().max(40), field: rawFieldSchema, fields }),
  suggest: z.object({
    as: personId,
    viewId: z.string().max(40),
    field: rawFieldSchema,
    query: z.string().max(200),
    fields,
  }),
  submit: z.object({ as: personId, viewId: z.string().max(40), fields }),
  close: z.object({ as: personId, viewId: z.string().max(40) }),
  home: z.object({ as: personId }),
  recording: z.object({ meetId: z.string().min(1).max(40) }),
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    // Nothing on the page comes from elsewhere; inline script and style are not needed either.
    'content-security-policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

/** `127.0.0.1:3000`, `localhost:3000`, `[::1]:3000` (any port). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

export function createSandboxServer(deps: SandboxServerDeps): Server {
  const { client, slack, emulator, identity } = deps;
  const asset = (name: string) => readFileSync(sandboxFile(`ui/${name}`), 'utf8');
  const people = SANDBOX_PEOPLE.map((p) => ({ id: p.id, name: p.realName, role: p.role }));
  const channels = SANDBOX_CHANNELS.map((c) => ({ id: c.id, name: c.name }));

  const context = (as: string, conversation: string): RenderContext => {
    const dm = slack.dmChannelFor(as);
    return {
      timeZone: slack.user(as)?.tz ?? 'UTC',
      now: new Date(),
      userName: (id) => slack.user(id)?.real_name,
      channelName: (id) => channels.find((c) => c.id === id)?.name ?? (id === dm ? 'MegaMeeting' : undefined),
      people: people.map((p) => ({ id: p.id, name: p.name })),
      conversations: [
        ...channels,
        ...(conversation.startsWith('D') ? [{ id: conversation, name: 'Direct message with the app' }] : []),
      ],
    };
  };

  const viewData = (as: string, conversation: string): ViewData => {
    const modal = client.topModal(as);
    return {
      revision: client.revision,
      messages: conversation === 'home' ? [] : client.conversation(as, conversation),
      modal: modal
        ? { view: modal.view as Record<string, unknown>, channel: modal.channel, errors: modal.errors }
        : null,
      home:
        conversation === 'home'
          ? ((slack.homeView(as) as Record<string, unknown> | undefined) ?? null)
          : null,
      ctx: context(as, modal?.channel ?? conversation),
      authorName: (id) =>
        id === identity.botUserId
          ? identity.botName
          : id === 'slackbot'
            ? 'Slackbot'
            : (slack.user(id)?.real_name ?? id),
    };
  };

  const meetings = () =>
    [...emulator.state.meetings.values()].reverse().map((m) => ({ meetId: m.meetId, name: m.name }));

  const pageData = (as: string, conversation: string): PageData => {
    const person = people.find((p) => p.id === as) ?? (people[0] as (typeof people)[number]);
    return {
      as: person,
      people,
      channels,
      conversation,
      dmChannel: slack.dmChannelFor(person.id),
      botName: identity.botName,
      emulatorUrl: emulator.url,
      meetings: meetings(),
      view: viewData(person.id, conversation),
    };
  };

  const validConversation = (as: string, c: string) =>
    c === 'home' || c === slack.dmChannelFor(as) || channels.some((ch) => ch.id === c);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only pages addressed to this machine: a site that rebinds its DNS name to 127.0.0.1 gets nothing.
    if (!isLoopbackHost(req.headers.host)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const key = `${req.method} ${url.pathname}`;
    if (req.method === 'GET') {
      const as = url.searchParams.get('as') ?? '';
      const c = url.searchParams.get('c') ?? '';
      switch (url.pathname) {
        case '/': {
          if (!personById(as) || !validConversation(as, c)) {
            const first = SANDBOX_PEOPLE[0]?.id ?? '';
            const target = personById(as) ? as : first;
            res.writeHead(302, { location: `/?as=${target}&c=${SANDBOX_CHANNELS[0].id}` }).end();
            return;
          }
          return send(res, 200, 'text/html; charset=utf-8', pageHtml(pageData(as, c)));
        }
        case '/ui/client.js':
          return send(res, 200, 'text/javascript; charset=utf-8', asset('client.js'));
        case '/ui/style.css':
          return send(res, 200, 'text/css; charset=utf-8', asset('style.css'));
        case '/ui/revision':
          return json(res, 200, { revision: client.revision });
        case '/ui/view': {
          if (!personById(as) || !validConversation(as, c))
            return json(res, 400, { error: 'bad person or conversation' });
          const view = viewData(as, c);
          return json(res, 200, {
            revision: view.revision,
            timeline: timelineHtml(view, c),
            modal: modalFragment(view),
            meetings: meetingOptionsHtml(meetings()),
          });
        }
        case '/healthz':
          return json(res, 200, { status: 'ok', sandbox: true });
        default:
          return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      }
    }
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    // JSON only: a cross-site form cannot send it without a CORS preflight, which this server never grants.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(res, 415, { error: 'send JSON' });
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return json(res, 400, { error: 'invalid JSON' });
    }
    const parse = <T>(schema: z.ZodType<T>): T | null => {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        json(res, 400, {
          error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        });
        return null;
      }
      return parsed.data;
    };
    switch (key) {
      case 'POST /ui/send': {
        const b = parse(bodies.send);
        if (!b) return;
        if (!validConversation(b.as, b.c) || b.c === 'home')
          return json(res, 400, { error: 'bad conversation' });
        if (b.text.trim().startsWith('/')) return json(res, 200, await client.command(b.as, b.c, b.text));
        client.say(b.as, b.c, b.text);
        return json(res, 200, { ok: true });
      }
      case 'POST /ui/action': {
        const b = parse(bodies.action);
        if (!b) return;
        return json(res, 200, await client.messageAction(b.as, b.c, b.source, b.field));
      }
      case 'POST /ui/view-action': {
        const b = parse(bodies.viewAction);
        if (!b) return;
        return json(res, 200, await client.viewAction(b.as, b.viewId, b.field, b.fields));
      }
      case 'POST /ui/suggest': {
        const b = parse(bodies.suggest);
        if (!b) return;
        return json(res, 200, await client.suggest(b.as, b.viewId, b.field, b.query, b.fields));
      }
      case 'POST /ui/submit': {
        const b = parse(bodies.submit);
        if (!b) return;
        return json(res, 200, await client.submit(b.as, b.viewId, b.fields));
      }
      case 'POST /ui/close': {
        const b = parse(bodies.close);
        if (!b) return;
        return json(res, 200, await client.close(b.as, b.viewId));
      }
      case 'POST /ui/home': {
        const b = parse(bodies.home);
        if (!b) return;
        return json(res, 200, await client.openHome(b.as));
      }
      case 'POST /ui/finish-recording': {
        const b = parse(bodies.recording);
        if (!b) return;
        if (!emulator.state.meetings.has(b.meetId))
          return json(res, 404, { ok: false, error: 'no such meeting' });
        // A recording whose processing has finished: the app's poller finds it and DMs the host.
        const recording = emulator.state.addRecording({ meetId: b.meetId, remuxStatus: 'completed' });
        return json(res, 200, { ok: true, recId: recording.recId });
      }
      default:
        return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    }
  }

  return createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : 'internal error' });
      else res.end();
    });
  });
}
