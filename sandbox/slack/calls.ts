/**
 * The Calls API part of the Slack stand-in (SlackStub): `calls.add`, `calls.info`, `calls.update`, `calls.end`,
 * with the argument checks and errors of Slack's reference (docs.slack.dev/reference/methods/calls.*), and a
 * record of every call so tests can assert its state (`stub.slackCalls.all()`, `.byExternalId()`).
 *
 * - `calls.add`: `external_unique_id` and `join_url` are required (`invalid_arguments` naming the field);
 *   `created_by` is required with a bot token (the stand-in only knows bot tokens) and must be a known user
 *   (`invalid_created_by`); `date_start` must be a Unix time in seconds (`invalid_start_time`). Slack's reference
 *   says `external_unique_id` "must be unique across all Calls from that service" but documents no error for a
 *   duplicate, and there is no look-up by it: the stand-in creates a second call, so a test sees a duplicate.
 * - `calls.update`: `id` must be known (`invalid_call_id`); only `title`, `join_url`, `desktop_app_join_url` change.
 * - `calls.end`: `id` must be known (`invalid_call_id`); `duration` an integer number of seconds; ending an ended
 *   call answers `{ ok: true, error: "inactive_call" }`, exactly as the reference's example shows.
 * - A `call` block whose `call_id` the stand-in never issued makes chat.postMessage / chat.update answer
 *   `invalid_blocks` (the stand-in's own rule: Slack cannot render a call it does not know).
 * - `refuseAll('missing_scope')` makes every calls.* method answer that error (a workspace whose app lacks
 *   `calls:write`, or where calls are not allowed) until `refuseAll(null)`.
 */

export interface StubSlackCall {
  id: string;
  external_unique_id: string;
  join_url: string;
  desktop_app_join_url?: string;
  external_display_id?: string;
  title?: string;
  /** Unix seconds. */
  date_start: number;
  created_by: string;
  /** Unix seconds, once ended. */
  date_end?: number;
  /** Seconds, as given to calls.end. */
  duration?: number;
  ended: boolean;
  /** How many calls.update calls changed it. */
  updates: number;
}

interface SlackApiResponse {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

type Args = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const fail = (error: string, extra: Record<string, unknown> = {}): SlackApiResponse => ({
  ok: false,
  error,
  ...extra,
});
const missing = (field: string): SlackApiResponse =>
  fail('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  });

/** An integer given as a number or (form-encoded) as a string of digits; undefined otherwise. */
function integer(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export class StubCalls {
  private readonly calls = new Map<string, StubSlackCall>();
  private seq = 0;
  private refusal: string | null = null;

  constructor(
    private readonly env: {
      now: () => number;
      knowsUser: (id: string) => boolean;
    },
  ) {}

  /** Every call added, oldest first (copies). */
  all(): StubSlackCall[] {
    return [...this.calls.values()].map((c) => ({ ...c }));
  }

  get(id: string): StubSlackCall | undefined {
    const c = this.calls.get(id);
    return c ? { ...c } : undefined;
  }

  /** Every call added with this external_unique_id (more than one is a duplicate). */
  byExternalId(externalUniqueId: string): StubSlackCall[] {
    return this.all().filter((c) => c.external_unique_id === externalUniqueId);
  }

  /** Every calls.* method answers `error` (e.g. `missing_scope`, `not_allowed`) until called with null. */
  refuseAll(error: string | null): void {
    this.refusal = error;
  }

  reset(): void {
    this.calls.clear();
    this.refusal = null;
  }

  /** invalid_blocks for a `call` block naming a call never added, else undefined. */
  unknownCallBlock(blocks: unknown): SlackApiResponse | undefined {
    if (!Array.isArray(blocks)) return undefined;
    for (const [i, b] of blocks.entries()) {
      const block = b as { type?: unknown; call_id?: unknown } | null;
      if (block?.type === 'call' && (typeof block.call_id !== 'string' || !this.calls.has(block.call_id))) {
        return fail('invalid_blocks', {
          response_metadata: { messages: [`[ERROR] unknown call_id [json-pointer:/blocks/${i}/call_id]`] },
        });
      }
    }
    return undefined;
  }

  /** The Web API handlers, merged into the stub's. */
  handlers(): Record<string, (args: Args) => SlackApiResponse> {
    const guard =
      (h: (args: Args) => SlackApiResponse) =>
      (args: Args): SlackApiResponse =>
        this.refusal
          ? fail(
              this.refusal,
              this.refusal === 'missing_scope'
                ? { needed: 'calls:write', provided: 'chat:write,commands' }
                : {},
            )
          : h(args);
    return {
      'calls.add': guard((args) => this.add(args)),
      'calls.info': guard((args) => this.info(args)),
      'calls.update': guard((args) => this.update(args)),
      'calls.end': guard((args) => this.end(args)),
    };
  }

  private add(args: Args): SlackApiResponse {
    const externalId = str(args.external_unique_id);
    if (!externalId) return missing('external_unique_id');
    const joinUrl = str(args.join_url);
    if (!joinUrl) return missing('join_url');
    if (!isHttpUrl(joinUrl)) {
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `join_url`'] } });
    }
    const createdBy = str(args.created_by);
    // With a bot token created_by is required (Slack's reference); the stand-in only serves bot tokens.
    if (!createdBy) return missing('created_by');
    if (!this.env.knowsUser(createdBy)) return fail('invalid_created_by');
    let dateStart = Math.floor(this.env.now() / 1000);
    if (args.date_start !== undefined) {
      const given = integer(args.date_start);
      // Seconds, not milliseconds (slash-z once sent Date.now()): anything past year 3000 is refused.
      if (given === undefined || given <= 0 || given > 32_503_680_000) return fail('invalid_start_time');
      dateStart = given;
    }
    this.seq += 1;
    const call: StubSlackCall = {
      id: `R${String(this.seq).padStart(8, '0')}`,
      external_unique_id: externalId,
      join_url: joinUrl,
      date_start: dateStart,
      created_by: createdBy,
      ended: false,
      updates: 0,
    };
    const title = str(args.title);
    if (title !== undefined) call.title = title;
    const desktop = str(args.desktop_app_join_url);
    if (desktop !== undefined) call.desktop_app_join_url = desktop;
    const display = str(args.external_display_id);
    if (display !== undefined) call.external_display_id = display;
    this.calls.set(call.id, call);
    return { ok: true, call: this.publicCall(call) };
  }

  private info(args: Args): SlackApiResponse {
    const call = this.calls.get(str(args.id) ?? '');
    return call ? { ok: true, call: this.publicCall(call) } : fail('invalid_call_id');
  }

  private update(args: Args): SlackApiResponse {
    const call = this.calls.get(str(args.id) ?? '');
    if (!call) return fail('invalid_call_id');
    const joinUrl = str(args.join_url);
    if (joinUrl !== undefined && !isHttpUrl(joinUrl)) {
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `join_url`'] } });
    }
    if (joinUrl !== undefined) call.join_url = joinUrl;
    const title = str(args.title);
    if (title !== undefined) call.title = title;
    const desktop = str(args.desktop_app_join_url);
    if (desktop !== undefined) call.desktop_app_join_url = desktop;
    call.updates += 1;
    return { ok: true, call: this.publicCall(call) };
  }

  private end(args: Args): SlackApiResponse {
    const call = this.calls.get(str(args.id) ?? '');
    if (!call) return fail('invalid_call_id');
    let duration: number | undefined;
    if (args.duration !== undefined) {
      duration = integer(args.duration);
      if (duration === undefined || duration < 0) {
        return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] invalid `duration`'] } });
      }
    }
    if (call.ended) return { ok: true, error: 'inactive_call' };
    call.ended = true;
    call.date_end = Math.floor(this.env.now() / 1000);
    if (duration !== undefined) call.duration = duration;
    return { ok: true };
  }

  private publicCall(call: StubSlackCall): Record<string, unknown> {
    const { ended: _ended, updates: _updates, duration: _duration, created_by: _by, ...rest } = call;
    return { ...rest, users: [] };
  }
}
