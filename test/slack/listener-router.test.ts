import { MultipleListenerError } from '@slack/bolt';
import { type ListenerApp, ListenerRouter } from '../../src/slack/listener-router.js';

type Listener = (args: unknown) => Promise<void>;

/** A stand-in for Bolt's App that records what mount() registers (Bolt itself runs in the HTTP tests). */
function fakeBolt() {
  const mounted: { kind: string; constraint: unknown; listener: Listener }[] = [];
  const record =
    (kind: string) =>
    (constraint: unknown, listener: Listener): void => {
      mounted.push({ kind, constraint, listener });
    };
  const bolt = Object.fromEntries(
    ['action', 'view', 'options', 'shortcut', 'event', 'command'].map((k) => [k, record(k)]),
  ) as unknown as ListenerApp;
  const listenerOf = (kind: string): Listener => {
    const found = mounted.find((m) => m.kind === kind);
    if (!found) throw new Error(`no ${kind} listener mounted`);
    return found.listener;
  };
  return { bolt, mounted, listenerOf };
}

const action = (actionId: string) => ({ body: { type: 'block_actions' }, payload: { action_id: actionId } });

test('mounts one Bolt listener per kind, however many handlers', () => {
  const router = new ListenerRouter();
  for (let i = 0; i < 20; i++) router.app.action(`a${i}`, async () => {});
  router.app.action(/^p:/, async () => {});
  router.app.view('v', async () => {});
  router.app.command('/meet', async () => {});
  const { bolt, mounted } = fakeBolt();
  router.mount(bolt);
  expect(mounted.map((m) => m.kind).sort()).toEqual(['action', 'command', 'view']);
  // Views: submissions only, as Bolt's view('id').
  expect(mounted.find((m) => m.kind === 'view')?.constraint).toEqual({ type: 'view_submission' });
});

test('an action reaches the handler of its ID or of a matching pattern, and no other', async () => {
  const router = new ListenerRouter();
  const seen: string[] = [];
  router.app.action('meeting_join', async () => void seen.push('join'));
  router.app.action(/^meeting_end(?::.+)?$/, async () => void seen.push('end'));
  router.app.action('other', async () => void seen.push('other'));
  const { bolt, listenerOf } = fakeBolt();
  router.mount(bolt);
  await listenerOf('action')(action('meeting_join'));
  await listenerOf('action')(action('meeting_end:123'));
  await listenerOf('action')(action('meeting_ended'));
  await listenerOf('action')({ body: { type: 'interactive_message' }, payload: { name: 'x' } });
  expect(seen).toEqual(['join', 'end']);
});

test('the handler gets Bolt’s arguments as they are', async () => {
  const router = new ListenerRouter();
  let got: unknown;
  router.app.options('zone', async (args) => {
    got = args;
  });
  const { bolt, listenerOf } = fakeBolt();
  router.mount(bolt);
  const args = {
    body: { type: 'block_suggestion', action_id: 'zone' },
    payload: { action_id: 'zone' },
    ack: () => {},
  };
  await listenerOf('options')(args);
  expect(got).toBe(args);
});

test('views match on the view’s callback_id and only when submitted', async () => {
  const router = new ListenerRouter();
  const seen: string[] = [];
  router.app.view('schedule', async () => void seen.push('schedule'));
  const { bolt, listenerOf } = fakeBolt();
  router.mount(bolt);
  await listenerOf('view')({ body: { type: 'view_closed', view: { callback_id: 'schedule' } } });
  await listenerOf('view')({ body: { type: 'view_submission', view: { callback_id: 'edit' } } });
  await listenerOf('view')({ body: { type: 'view_submission', view: { callback_id: 'schedule' } } });
  expect(seen).toEqual(['schedule']);
});

test('shortcuts by callback_id, events by type, commands by name', async () => {
  const router = new ListenerRouter();
  const seen: string[] = [];
  router.app.shortcut('meet_about', async () => void seen.push('shortcut'));
  router.app.event('link_shared', async () => void seen.push('link_shared'));
  router.app.event('app_home_opened', async () => void seen.push('home'));
  router.app.command('/meet', async () => void seen.push('meet'));
  const { bolt, listenerOf } = fakeBolt();
  router.mount(bolt);
  await listenerOf('shortcut')({ body: { type: 'message_action', callback_id: 'meet_about' } });
  await listenerOf('shortcut')({ body: { type: 'shortcut', callback_id: 'other' } });
  await listenerOf('event')({ event: { type: 'app_home_opened' } });
  await listenerOf('event')({ event: { type: 'user_change' } });
  await listenerOf('command')({ command: { command: '/meet' } });
  await listenerOf('command')({ command: { command: '/other' } });
  expect(seen).toEqual(['shortcut', 'home', 'meet']);
});

test('every matching handler runs; failures surface as Bolt’s do', async () => {
  const router = new ListenerRouter();
  const seen: string[] = [];
  router.app.action('x', async () => void seen.push('exact'));
  router.app.action(/^x$/, async () => {
    seen.push('pattern');
    throw new Error('one');
  });
  router.app.action('y', async () => {
    throw new Error('y1');
  });
  router.app.action(/^y/, async () => {
    throw new Error('y2');
  });
  const { bolt, listenerOf } = fakeBolt();
  router.mount(bolt);
  await expect(listenerOf('action')(action('x'))).rejects.toThrow('one');
  expect(seen).toEqual(['exact', 'pattern']);
  await expect(listenerOf('action')(action('y'))).rejects.toBeInstanceOf(MultipleListenerError);
});

test('only the shapes the router matches like Bolt are accepted', () => {
  const router = new ListenerRouter();
  const app = router.app as unknown as Record<string, (...a: unknown[]) => void>;
  expect(() => app.action?.({ block_id: 'b' }, async () => {})).toThrow('string or a RegExp');
  expect(() =>
    app.action?.(
      'a',
      async () => {},
      async () => {},
    ),
  ).toThrow('exactly one handler');
});
