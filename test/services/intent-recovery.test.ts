/**
 * Crash recovery of meeting creations without Bolt (./world.ts): an interrupted create is finished from its last
 * recorded step by the next sweep, or the user is told it did not complete (src/services/intent-recovery.ts and
 * the resume paths of MeetingsService.completeCreation). A crash is a write of the intent journal that throws: the
 * create stops exactly there, as a killed process would, and its claim lapses once the clock passes it. The
 * process-killing tests (test/app/crash-recovery*.http.test.ts) prove the same end to end; these are fast enough
 * for mutation testing (docs/mutation.md, `meetings-unit` scope).
 */

import Sqlite from 'better-sqlite3';
import type { Services } from '../../src/app.js';
import { INTENT_CLAIM_MS, RESPONSE_URL_USABLE_MS } from '../../src/services/intents.js';
import type { IntentPatch, MeetingIntent } from '../../src/store/types.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId;
const INVITEE = { id: 'U0INVITEE1', real_name: 'Ivy Invitee', email: 'ivy@example.com' };
const MINUTE = 60_000;
// Near the real time: the Slack stand-in schedules reminders against its own (real) clock.
const START = new Date(Math.floor(Date.now() / 1000) * 1000);

let stub: SlackStub;
let w: ServiceWorld;
let services: Services;
let now: Date;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  stub.addUser(INVITEE);
  now = START;
  w = await startServiceWorld(stub, { clock: { now: () => now } });
  services = w.services;
});
afterEach(async () => {
  await w.close();
});

/** Moves the app's clock on (past a dead process's claim, or the age of a response_url). */
function later(ms: number): void {
  now = new Date(now.getTime() + ms);
}

/**
 * The next journal write setting `state` (written first when `written`) throws, as if the process died there;
 * every write is recorded in `patches`.
 */
function crashAt(state: IntentPatch['state'], opts: { written?: boolean } = {}): IntentPatch[] {
  const store = services.store;
  const update = store.updateIntent.bind(store);
  const patches: IntentPatch[] = [];
  let crashed = false;
  store.updateIntent = async (id, holder, patch, at) => {
    patches.push(patch);
    if (!crashed && patch.state === state) {
      crashed = true;
      if (opts.written) await update(id, holder, patch, at);
      throw new Error(`process died at ${state}`);
    }
    return update(id, holder, patch, at);
  };
  return patches;
}

async function create(
  extra: { kind?: 'instant' | 'scheduled'; invitees?: string[]; responseUrl?: string } = {},
) {
  const start = new Date(now.getTime() + 24 * 3600_000);
  const kind = extra.kind ?? 'instant';
  return services.meetings.create({
    teamId: T,
    channelId: W.channelId,
    hostUserId: HOST,
    title: 'Design sync',
    kind,
    timeZone: 'America/Chicago',
    ...(kind === 'scheduled' ? { start, end: new Date(start.getTime() + 3600_000) } : {}),
    ...(extra.invitees ? { invitees: extra.invitees } : {}),
    ...(extra.responseUrl ? { responseUrl: extra.responseUrl } : {}),
  });
}

/** Creates until the crash: the create fails with it, and the journal holds what was written before. */
async function interruptedCreate(
  state: IntentPatch['state'],
  extra: Parameters<typeof create>[0] & { written?: boolean } = {},
): Promise<MeetingIntent> {
  crashAt(state, { written: extra.written ?? false });
  if (state === 'done') {
    // The last write never throws (IntentHandle.finish logs it): what is left is a dead process's journal.
    await create(extra);
    expect(logged('could not mark the meeting creation').map((l) => l.outcome)).toEqual(['posted']);
  } else {
    await expect(create(extra)).rejects.toThrow(`process died at ${state}`);
  }
  const [intent] = await intents();
  if (!intent) throw new Error('no intent recorded');
  return intent;
}

/** An intent a dead process recorded before createMeeting (the create itself never ran). */
async function recordedBeforeCreate(opts: { responseUrl?: string | null } = {}): Promise<MeetingIntent> {
  const before = (await w.emu.state.snapshot()).meetings.map((m) => m.meetId);
  return services.store.insertIntent(
    {
      id: 'intent-before-create',
      teamId: T,
      channelId: W.channelId,
      userId: HOST,
      meetingName: 'Design sync',
      request: {
        kind: 'instant',
        hostLoginId: w.hostLoginId,
        startAt: now.toISOString(),
        endAt: new Date(now.getTime() + 60 * MINUTE).toISOString(),
        timeZone: 'America/Chicago',
        options: {},
        invitees: [],
      },
      responseUrl: opts.responseUrl ?? null,
      beforeIds: before,
    },
    'dead-process',
    INTENT_CLAIM_MS,
    now,
  );
}

/** Every intent recorded, read back through the store (their IDs from the table). */
async function intents(): Promise<MeetingIntent[]> {
  const sqlite = new Sqlite(w.db.url.replace(/^sqlite:/, ''), { readonly: true });
  const ids = sqlite.prepare('SELECT id FROM meeting_intents ORDER BY created_at').all() as Array<{
    id: string;
  }>;
  sqlite.close();
  const found = await Promise.all(ids.map((r) => services.store.getIntent(r.id)));
  return found.filter((i): i is MeetingIntent => i !== null);
}

async function intent(id: string): Promise<MeetingIntent | null> {
  return services.store.getIntent(id);
}

/** Channel cards as Slack holds them. */
const cards = () => stub.messagesIn(W.channelId).filter((m) => m.metadata?.event_type === 'megameeting_card');

const meetingsNamed = (name: string) => w.emu.state.snapshot().meetings.filter((m) => m.name === name);

/** The next sweep, once the dead process's claim lapsed. */
async function sweepAfterClaimLapsed(): Promise<number> {
  later(INTENT_CLAIM_MS + 1000);
  return services.recovery.sweep();
}

const logged = (msg: string) => w.logs().filter((l) => l.msg === msg);

describe('a claim that is still held', () => {
  test('is not taken: a live process is still at work on it', async () => {
    const recorded = await recordedBeforeCreate();
    later(INTENT_CLAIM_MS - 1000);
    expect(await services.recovery.sweep()).toBe(0);
    expect((await intent(recorded.id))?.state).toBe('creating');
    expect(stub.calls('chat.postEphemeral')).toEqual([]);
  });
});

describe('the sweep itself', () => {
  test('finished intents are kept a week for support, then deleted', async () => {
    const old = await recordedBeforeCreate();
    await services.store.updateIntent(
      old.id,
      'dead-process',
      { state: 'failed', outcome: 'not_created' },
      now,
    );
    later(7 * 24 * 60 * MINUTE);
    expect(await services.recovery.sweep()).toBe(0);
    expect(await intent(old.id)).not.toBeNull();
    later(1000);
    expect(await services.recovery.sweep()).toBe(0);
    expect(await intent(old.id)).toBeNull();
  });

  test('once stopped, a sweep takes nothing up', async () => {
    const recorded = await recordedBeforeCreate();
    await services.recovery.stop();
    expect(await sweepAfterClaimLapsed()).toBe(0);
    expect(await intent(recorded.id)).toMatchObject({ state: 'creating', attempts: 0 });
  });
});

describe('interrupted while creating', () => {
  test('MegaMeeting made the meeting: it is adopted, stored, and its card posted once', async () => {
    const crashed = await interruptedCreate('created');
    expect([crashed.state, crashed.meetId]).toEqual(['creating', null]);
    const [made] = meetingsNamed('Design sync');
    expect(await services.store.findMeetingByMeetId(made?.meetId ?? '')).toBeNull();

    expect(await sweepAfterClaimLapsed()).toBe(1);

    const stored = await services.store.findMeetingByMeetId(made?.meetId ?? '');
    const [card] = cards();
    expect(cards()).toHaveLength(1);
    expect([stored?.messageTs, stored?.channelId, stored?.cardDelivery]).toEqual([
      card?.ts,
      W.channelId,
      'chat',
    ]);
    expect(await intent(crashed.id)).toMatchObject({
      state: 'done',
      outcome: 'posted',
      meetId: made?.meetId,
      messageChannel: W.channelId,
      messageTs: card?.ts,
      attempts: 1,
      claimedBy: null,
    });
    expect(logged('adopting the meeting an interrupted creation made').map((l) => l.meetId)).toEqual([
      made?.meetId,
    ]);
    expect(logged('recovered an interrupted meeting creation').map((l) => [l.meetId, l.messageTs])).toEqual([
      [made?.meetId, card?.ts],
    ]);
  });

  test("nothing was made: the user is told through the command's response_url while Slack takes it", async () => {
    const responseUrl = stub.responseUrl();
    const recorded = await recordedBeforeCreate({ responseUrl });
    expect(await sweepAfterClaimLapsed()).toBe(1);
    expect(stub.responses(responseUrl).map((r) => [r.body.response_type, r.body.text])).toEqual([
      [
        'ephemeral',
        'Your meeting "Design sync" was not created: I was restarted while asking MegaMeeting to create it, and ' +
          'MegaMeeting has no such new meeting. Nothing was posted. Please run the command again.',
      ],
    ]);
    expect(stub.calls('chat.postEphemeral')).toEqual([]);
    expect(await intent(recorded.id)).toMatchObject({ state: 'failed', outcome: 'not_created' });
    expect(cards()).toEqual([]);
    expect(logged('told the user an interrupted creation did not complete').map((l) => l.outcome)).toEqual([
      'none',
    ]);
  });

  test('nothing was made, and the response_url is too old: the user is told privately in the channel', async () => {
    const responseUrl = stub.responseUrl();
    await recordedBeforeCreate({ responseUrl });
    later(RESPONSE_URL_USABLE_MS);
    expect(await services.recovery.sweep()).toBe(1);
    expect(stub.responses(responseUrl)).toEqual([]);
    const told = stub.calls('chat.postEphemeral');
    expect(told.map((c) => [c.args.channel, c.args.user])).toEqual([[W.channelId, HOST]]);
    expect(String(told[0]?.args.text)).toMatch(/^Your meeting "Design sync" was not created/);
  });

  test('a response_url Slack refuses: the user is told privately instead', async () => {
    const responseUrl = stub.responseUrl();
    await recordedBeforeCreate({ responseUrl });
    stub.failResponseUrl(responseUrl, 404);
    expect(await sweepAfterClaimLapsed()).toBe(1);
    expect(stub.calls('chat.postEphemeral').map((c) => c.args.user)).toEqual([HOST]);
  });

  test('two new meetings of that name: neither is adopted, and the user is told to check', async () => {
    const recorded = await recordedBeforeCreate();
    w.emu.state.addMeeting({ name: 'Design sync' });
    w.emu.state.addMeeting({ name: 'Design sync' });
    expect(await sweepAfterClaimLapsed()).toBe(1);
    expect(String(stub.calls('chat.postEphemeral')[0]?.args.text)).toBe(
      'Your meeting "Design sync" may not have been created: I was restarted while asking MegaMeeting to create ' +
        "it, and I can't tell whether it did. Check your meetings in MegaMeeting before trying again, so that " +
        'you do not get two.',
    );
    expect(await intent(recorded.id)).toMatchObject({ state: 'failed', outcome: 'unknown' });
    expect(await services.store.listMeetings(T, ['live', 'scheduled', 'ended'])).toEqual([]);
  });

  test('MegaMeeting cannot be asked: the intent waits for a later sweep, then, 25 minutes on, the user is told', async () => {
    const recorded = await recordedBeforeCreate();
    const sweepWhileMegaMeetingFails = async () => {
      w.emu.state.injectFaults('error500', 100);
      const taken = await services.recovery.sweep();
      w.emu.state.clearFaults();
      return taken;
    };
    later(INTENT_CLAIM_MS + 1000);
    expect(await sweepWhileMegaMeetingFails()).toBe(1);
    expect(await intent(recorded.id)).toMatchObject({ state: 'creating', attempts: 1, claimedBy: null });
    expect(stub.calls('chat.postEphemeral')).toEqual([]);
    expect(logged('could not recover a meeting creation; a later sweep tries again')).toHaveLength(1);

    // Still failing 23 minutes after the intent was recorded: it waits again (its claim was given back at once).
    later(23 * MINUTE);
    expect(await sweepWhileMegaMeetingFails()).toBe(1);
    expect(await intent(recorded.id)).toMatchObject({ state: 'creating', attempts: 2 });

    // Exactly 25 minutes after it was recorded: the wait is over.
    later(25 * MINUTE - (now.getTime() - recorded.createdAt.getTime()));
    expect(await sweepWhileMegaMeetingFails()).toBe(1);
    expect(await intent(recorded.id)).toMatchObject({ state: 'failed', outcome: 'unknown', attempts: 3 });
    expect(String(stub.calls('chat.postEphemeral')[0]?.args.text)).toMatch(
      /^Your meeting "Design sync" may not have been created/,
    );
  });
});

describe('interrupted after the create', () => {
  test('at its first step: the known meeting is stored and its card posted once', async () => {
    const crashed = await interruptedCreate('posting');
    const [made] = meetingsNamed('Design sync');
    expect([crashed.state, crashed.meetId]).toEqual(['created', made?.meetId]);
    expect(cards()).toEqual([]);
    expect(await sweepAfterClaimLapsed()).toBe(1);
    expect(cards()).toHaveLength(1);
    expect(await intent(crashed.id)).toMatchObject({
      state: 'done',
      outcome: 'posted',
      messageTs: cards()[0]?.ts,
    });
    expect(logged('adopting the meeting an interrupted creation made')).toEqual([]);
  });

  test('while posting, the card not yet in Slack: it is posted', async () => {
    const crashed = await interruptedCreate('posting', { written: true });
    expect(crashed.state).toBe('posting');
    expect(cards()).toEqual([]);
    expect(await sweepAfterClaimLapsed()).toBe(1);
    expect(cards()).toHaveLength(1);
    expect((await services.store.findMeetingByMeetId(crashed.meetId ?? ''))?.messageTs).toBe(cards()[0]?.ts);
  });

  test("while posting, in a channel the bot cannot post to: the card goes through the command's response_url", async () => {
    const responseUrl = stub.responseUrl();
    const crashed = await interruptedCreate('posting', { written: true, responseUrl });
    expect(stub.responses(responseUrl)).toEqual([]);
    stub.failNext('chat.postMessage', 'not_in_channel', { channel: W.channelId });
    expect(await sweepAfterClaimLapsed()).toBe(1);
    expect(cards()).toEqual([]);
    expect(stub.responses(responseUrl).map((r) => r.body.response_type)).toEqual(['in_channel', 'ephemeral']);
    expect((await services.store.findMeetingByMeetId(crashed.meetId ?? ''))?.cardDelivery).toBe(
      'response_url',
    );
    expect(await intent(crashed.id)).toMatchObject({ state: 'done', outcome: 'posted' });
  });

  test('while posting, the card already in Slack: it is found by its metadata, not posted again', async () => {
    // An instant meeting with nobody invited writes the card's place with `done`: dying there leaves `posting`.
    const crashed = await interruptedCreate('done');
    expect(crashed.state).toBe('posting');
    const [posted] = cards();
    expect(posted).toBeDefined();
    // The stored row has the card (the process stored it before dying): forget it, as a crash before that would.
    await services.store.updateMeeting(T, crashed.meetId ?? '', { messageTs: null, cardDelivery: 'none' });
    stub.clearCalls();

    expect(await sweepAfterClaimLapsed()).toBe(1);

    expect(stub.calls('chat.postMessage')).toEqual([]);
    expect(cards()).toHaveLength(1);
    const stored = await services.store.findMeetingByMeetId(crashed.meetId ?? '');
    expect([stored?.messageTs, stored?.cardDelivery]).toEqual([posted?.ts, 'chat']);
    expect(await intent(crashed.id)).toMatchObject({
      state: 'done',
      outcome: 'posted',
      messageTs: posted?.ts,
    });
  });

  test('while posting, the channel cannot be read: the host is told where the meeting is, no card is risked', async () => {
    const crashed = await interruptedCreate('posting', { written: true });
    stub.failNext('conversations.history', 'missing_scope');
    expect(await sweepAfterClaimLapsed()).toBe(1);
    expect(cards()).toEqual([]);
    const told = stub.calls('chat.postEphemeral');
    expect(told.map((c) => c.args.user)).toEqual([HOST]);
    expect(String(told[0]?.args.text)).toMatch(
      new RegExp(
        `^I created "Design sync" \\(meeting ID ${crashed.meetId}\\), but I was restarted while posting its card and can't check whether it appeared\\. Join: http`,
      ),
    );
    expect(await intent(crashed.id)).toMatchObject({ state: 'done', outcome: 'no_card' });
    expect(logged('could not look for the card of a recovered meeting')).toHaveLength(1);
  });

  test('after the card, before the invitations: no second card, the invitations go out once, reminders set', async () => {
    const crashed = await interruptedCreate('posted', { kind: 'scheduled', invitees: [INVITEE.id] });
    expect(crashed.state).toBe('posting');
    expect(cards()).toHaveLength(1);
    const invitations = () =>
      stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(INVITEE.id));
    expect(invitations()).toEqual([]);

    expect(await sweepAfterClaimLapsed()).toBe(1);

    expect(cards()).toHaveLength(1);
    expect(invitations()).toHaveLength(1);
    const stored = await services.store.findMeetingByMeetId(crashed.meetId ?? '');
    expect(stored?.reminders.length).toBeGreaterThan(0);
    expect(await intent(crashed.id)).toMatchObject({ state: 'done', outcome: 'posted' });
  });

  test('after the invitations: none is sent again, no second card; reminders kept', async () => {
    const crashed = await interruptedCreate('done', { kind: 'scheduled', invitees: [INVITEE.id] });
    expect(crashed.state).toBe('posted');
    const invitations = () =>
      stub.calls('chat.postMessage').filter((c) => c.args.channel === stub.dmChannelFor(INVITEE.id));
    expect(invitations()).toHaveLength(1);
    const reminders = (await services.store.findMeetingByMeetId(crashed.meetId ?? ''))?.reminders;

    expect(await sweepAfterClaimLapsed()).toBe(1);

    expect(invitations()).toHaveLength(1);
    expect(cards()).toHaveLength(1);
    expect((await services.store.findMeetingByMeetId(crashed.meetId ?? ''))?.reminders).toEqual(reminders);
    expect(await intent(crashed.id)).toMatchObject({ state: 'done', outcome: 'posted' });
  });
});
