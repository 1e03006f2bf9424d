/**
 * One Bolt listener per kind of payload instead of one per handler.
 *
 * Bolt runs every registered listener's chain for every request (App.processEvent: a copy of the chain, an async
 * `process()` with its closures and promises per listener, all awaited together by `Promise.allSettled` until
 * the slowest listener ends). With the app's 57 listeners that was, per `/meet`, 100–130 KB allocated (a fifth
 * to a quarter of the request's allocations, measured with a sampling allocation profile: docs/benchmarks.md,
 * "Fourth round") and about 0.7 ms of CPU, most of it to learn that 56 listeners do not match.
 *
 * Here the handlers are kept by kind; each kind is one Bolt listener that finds its handlers by ID: a map
 * lookup for plain IDs, a test of each pattern for RegExp ones. Matching is Bolt's for the forms the app
 * uses (a string or a RegExp, one handler each): actions and options by `action_id`, views by the view's
 * `callback_id` (submissions only, as Bolt's `view('id')`), shortcuts by `callback_id`, events by type,
 * commands by name. Several matching handlers all run, and their failures surface as Bolt's would.
 */
import { type App, MultipleListenerError } from '@slack/bolt';

/** What listener modules register with: the same calls as Bolt's App. */
export type ListenerApp = Pick<App, 'action' | 'view' | 'options' | 'shortcut' | 'event' | 'command'>;

type Kind = keyof ListenerApp;
const KINDS: readonly Kind[] = ['command', 'action', 'view', 'options', 'shortcut', 'event'];

// Bolt's listener arguments differ per kind; the router only reads the IDs below and hands the rest on as is.
type Args = {
  body?: { type?: unknown; callback_id?: unknown; view?: { callback_id?: unknown } };
  payload?: { action_id?: unknown };
  event?: { type?: unknown };
  command?: { command?: unknown };
};
type Handler = (args: Args) => Promise<void> | void;
type Pattern = string | RegExp;

/** The ID a kind's handlers are matched on, or null when the payload has none (nothing matches). */
function idOf(kind: Kind, args: Args): string | null {
  const id =
    kind === 'action' || kind === 'options'
      ? args.payload?.action_id
      : kind === 'view'
        ? args.body?.type === 'view_submission'
          ? args.body.view?.callback_id
          : undefined
        : kind === 'shortcut'
          ? args.body?.callback_id
          : kind === 'event'
            ? args.event?.type
            : args.command?.command;
  return typeof id === 'string' ? id : null;
}

class Handlers {
  readonly byId = new Map<string, Handler[]>();
  readonly patterns: { pattern: RegExp; handler: Handler }[] = [];

  add(pattern: Pattern, handler: Handler): void {
    if (typeof pattern === 'string') this.byId.set(pattern, [...(this.byId.get(pattern) ?? []), handler]);
    else this.patterns.push({ pattern, handler });
  }

  match(id: string): Handler[] {
    const exact = this.byId.get(id) ?? [];
    if (this.patterns.length === 0) return exact;
    return [...exact, ...this.patterns.filter((p) => p.pattern.test(id)).map((p) => p.handler)];
  }
}

export class ListenerRouter {
  readonly #handlers = new Map<Kind, Handlers>();

  /**
   * The registration calls, typed as Bolt's. Bolt's overloads cannot be implemented without a cast; the shapes
   * taken here are (string | RegExp, one handler), and anything else throws at registration.
   */
  readonly app: ListenerApp = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      (pattern: unknown, ...handlers: unknown[]) => this.add(kind, pattern, handlers),
    ]),
  ) as unknown as ListenerApp;

  private add(kind: Kind, pattern: unknown, handlers: unknown[]): void {
    const [handler] = handlers;
    if (!(typeof pattern === 'string' || pattern instanceof RegExp)) {
      throw new Error(`ListenerRouter.${kind}: only a string or a RegExp ID is supported`);
    }
    if (handlers.length !== 1 || typeof handler !== 'function') {
      throw new Error(`ListenerRouter.${kind}: exactly one handler per registration`);
    }
    const kindHandlers = this.#handlers.get(kind) ?? new Handlers();
    kindHandlers.add(pattern, handler as Handler);
    this.#handlers.set(kind, kindHandlers);
  }

  /** How many Bolt listeners mount() adds: one per kind with any handler. */
  get kinds(): Kind[] {
    return [...this.#handlers.keys()];
  }

  /** Registers one Bolt listener per kind that has handlers. */
  mount(bolt: ListenerApp): void {
    for (const [kind, handlers] of this.#handlers) {
      const dispatch = (args: Args) => this.dispatch(kind, handlers, args);
      // Each catch-all is the widest form of that kind's own call; the IDs are matched in dispatch.
      // biome-ignore lint/suspicious/noExplicitAny: Bolt's per-kind listener types; dispatch reads only Args.
      const listener = dispatch as any;
      if (kind === 'action') bolt.action({}, listener);
      else if (kind === 'view') bolt.view({ type: 'view_submission' }, listener);
      else if (kind === 'options') bolt.options({}, listener);
      else if (kind === 'shortcut') bolt.shortcut({}, listener);
      else if (kind === 'event') bolt.event(/^/, listener);
      else bolt.command(/^/, listener);
    }
  }

  private async dispatch(kind: Kind, handlers: Handlers, args: Args): Promise<void> {
    const id = idOf(kind, args);
    if (id === null) return;
    const matched = handlers.match(id);
    if (matched.length === 1) return (matched[0] as Handler)(args);
    if (matched.length === 0) return;
    // As Bolt: every matching listener runs; one failure is rethrown as it is, several together.
    const settled = await Promise.allSettled(matched.map(async (h) => h(args)));
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
    if (failed.length === 1) throw failed[0];
    if (failed.length > 1) throw new MultipleListenerError(failed);
  }
}
