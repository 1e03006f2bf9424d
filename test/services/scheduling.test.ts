/**
 * The scheduling service without Bolt (./world.ts): the form in the user's Slack zone (or the default when Slack
 * has none, a bad one, or is slow), switching its type, creating what a form describes (MegaMeeting gets the host
 * zone's wall time, written out by hand here; a secure meeting's guests; every failure told privately), and
 * editing (the host or an admin only; ended or started meetings refused word for word; MegaMeeting, the store,
 * the reminder and the card moved together). `scheduling-unit` scope.
 */

import type { Services } from '../../src/app.js';
import { AppError } from '../../src/errors.js';
import { SchedulingService } from '../../src/services/scheduling.js';
import type { MeetingRecord } from '../../src/store/types.js';
import { SCHEDULE_IDS as I, VIEWS } from '../../src/views/ids.js';
import type { EditForm, ScheduleForm } from '../../src/views/schedule-form.js';
import { formValues, scheduleMetadata } from '../scheduling/helpers.js';
import { rejectionOf } from '../support/rejection.js';
import { SlackStub, type StubView } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const T = W.teamId;
const HOST = W.userId; // America/Chicago in the stand-in
const OTHER = { id: 'U0OTHER001', real_name: 'Olga Other', email: 'olga@example.com', tz: 'Europe/Paris' };
const ADMIN = { id: 'U0ADMIN001', real_name: 'Ada Admin', email: 'ada@example.com', is_admin: true };
const INVITEE = { id: 'U0INVITEE1', real_name: 'Ivy Invitee', email: 'ivy@example.com' };
const NO_TZ = { id: 'U0NOTZ0001', real_name: 'Nora Nozone', email: 'nora@example.com', tz: null };
const OLD_TZ = {
  id: 'U0OLDTZ001',
  real_name: 'Otto Oldzone',
  email: 'otto@example.com',
  tz: 'America/Indianapolis',
};
const BAD_TZ = { id: 'U0BADTZ001', real_name: 'Bea Badzone', email: 'bea@example.com', tz: 'UTC' };
// Monday 2026-12-07 10:10 in Chicago (CST, UTC-6): the next half hour there is 10:30.
const NOW = Date.parse('2026-12-07T16:10:00Z');

let stub: SlackStub;
let w: ServiceWorld;
let services: Services;
const clock = { now: () => new Date(NOW) };

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  stub.setNow(() => NOW);
  for (const u of [OTHER, ADMIN, INVITEE, NO_TZ, OLD_TZ, BAD_TZ]) stub.addUser(u);
  // Not a zone, as a broken profile could send (set behind the stand-in's back: it describes every zone it is given).
  const users = (stub as unknown as { users: Map<string, { tz?: string }> }).users;
  const bad = users.get(BAD_TZ.id);
  if (bad) bad.tz = 'Mars/Olympus';
  w = await startServiceWorld(stub, { clock });
  services = w.services;
});
afterEach(async () => {
  await w.close();
});

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);

function element(view: StubView | undefined, blockId: string): Record<string, unknown> | undefined {
  const block = view?.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as
    | { element?: Record<string, unknown> }
    | undefined;
  return block?.element;
}

function when(view: StubView | undefined) {
  return {
    date: element(view, I.date.block)?.initial_date,
    time: element(view, I.time.block)?.initial_time,
    zone: (element(view, I.zone.block)?.initial_option as { value?: string } | undefined)?.value,
    duration: (element(view, I.duration.block)?.initial_option as { value?: string } | undefined)?.value,
  };
}

const lastOpened = () => stub.views().at(-1);
const privately = (user: string) => stub.ephemeralMessages({ user }).map((m) => m.text);

describe('the form, in the user’s zone', () => {
  it('opens at the next half hour of the user’s Slack zone, with the preset type, title and where it was typed', async () => {
    await services.scheduling.openModal({
      triggerId: stub.issueTriggerId(),
      teamId: T,
      userId: HOST,
      channelId: W.channelId,
      preset: 'webinar',
      title: 'Launch',
    });
    const view = lastOpened();
    expect(view?.callback_id).toBe(VIEWS.schedule);
    expect(view?.title?.text).toBe('Schedule a webinar');
    expect(when(view)).toEqual({
      date: '2026-12-07',
      time: '10:30',
      zone: 'America/Chicago',
      duration: '60',
    });
    expect(element(view, I.title.block)?.initial_value).toBe('Launch');
    expect(JSON.parse(view?.private_metadata ?? '')).toEqual({
      v: 1,
      channelId: W.channelId,
      type: 'webinar',
      tz: 'America/Chicago',
    });
    expect(JSON.stringify(view?.blocks)).not.toContain(I.notice.block);
  });

  it('prefilled with a start (its wall time in the user’s zone) and a notice saying why it opened', async () => {
    await services.scheduling.openModal({
      triggerId: stub.issueTriggerId(),
      teamId: T,
      userId: OTHER.id,
      channelId: W.channelId,
      preset: 'secure',
      title: 'Board',
      start: new Date('2026-12-09T13:15:00Z'),
      notice: 'I was not sure about "next wed".',
    });
    const view = lastOpened();
    expect(when(view)).toMatchObject({ date: '2026-12-09', time: '14:15', zone: 'Europe/Paris' });
    expect(view?.title?.text).toBe('Secure meeting');
    expect(JSON.stringify(view?.blocks)).toContain('I was not sure about');
  });

  it('the zone: a renamed one under its current name; none, a bad one or an unreadable profile: the default (UTC)', async () => {
    const s = services.scheduling;
    expect(await s.userTimeZone(OLD_TZ.id)).toBe('America/Indiana/Indianapolis');
    expect(await s.userTimeZone(NO_TZ.id)).toBe('UTC');
    expect(await s.userTimeZone(OTHER.id)).toBe('Europe/Paris');
    expect((await w.services.slack.userInfo(BAD_TZ.id)).tz).toBe('Mars/Olympus');
    expect(await s.userTimeZone(BAD_TZ.id)).toBe('UTC');
    stub.failNext('users.info', 'user_not_found');
    expect(await s.userTimeZone('U0NOBODY01')).toBe('UTC');
    expect(
      w.logs().find((l) => l.msg === 'could not read the user time zone; using the default'),
    ).toMatchObject({
      userId: 'U0NOBODY01',
    });
  });

  it('users.info slower than 1.5 s: the default zone, so the modal still opens within Slack’s 3 s', async () => {
    stub.delayNext('users.info', 2500);
    const started = Date.now();
    expect(await services.scheduling.userTimeZone(OTHER.id)).toBe('UTC');
    expect(Date.now() - started).toBeLessThan(2400);
    expect(
      w.logs().find((l) => l.msg === 'users.info is slow; opening the form in the default time zone'),
    ).toMatchObject({ userId: OTHER.id });
  });

  it('replaceWithModal and switchType update the open view in place, keeping what was typed', async () => {
    const s = services.scheduling;
    await s.openModal({
      triggerId: stub.issueTriggerId(),
      teamId: T,
      userId: HOST,
      channelId: W.channelId,
      preset: 'meeting',
      title: '',
    });
    const opened = lastOpened();
    if (!opened) throw new Error('no view');
    await s.replaceWithModal(
      { viewId: opened.id, hash: opened.hash },
      { teamId: T, userId: HOST, channelId: W.channelId, preset: 'secure', title: 'Again' },
    );
    expect(stub.calls('views.update').at(-1)?.args).toMatchObject({ view_id: opened.id, hash: opened.hash });
    expect(stub.view(opened.id)?.title?.text).toBe('Secure meeting');

    const values = formValues({
      title: 'Typed title',
      date: '2026-12-20',
      time: '08:00',
      zone: 'Asia/Kolkata',
      duration: 90,
      type: 'webinar',
    });
    await s.switchType({
      viewId: opened.id,
      privateMetadata: scheduleMetadata(),
      values,
      type: 'webinar',
    });
    const switched = stub.view(opened.id);
    expect(switched?.title?.text).toBe('Schedule a webinar');
    expect(when(switched)).toEqual({
      date: '2026-12-20',
      time: '08:00',
      zone: 'Asia/Kolkata',
      duration: '90',
    });
    expect(element(switched, I.title.block)?.initial_value).toBe('Typed title');
    // A zone that is not one: the user's own from the metadata; no date or time: the next half hour there.
    const blank = formValues({
      title: 'x',
      date: null,
      time: null,
      zone: 'Nowhere/Else',
      duration: null,
      type: 'secure',
    });
    const meta = { v: 1, channelId: W.channelId, type: 'secure', tz: 'Asia/Tokyo' };
    await s.switchType({
      viewId: opened.id,
      privateMetadata: JSON.stringify(meta),
      values: blank,
      type: 'secure',
    });
    // 01:10 on the 8th in Tokyo: the next half hour is 01:30.
    expect(when(stub.view(opened.id))).toEqual({
      date: '2026-12-08',
      time: '01:30',
      zone: 'Asia/Tokyo',
      duration: '60',
    });
    // Anything not ours (metadata, state, type): nothing is updated.
    const updates = stub.calls('views.update').length;
    await s.switchType({ viewId: opened.id, privateMetadata: '{}', values, type: 'webinar' });
    await s.switchType({
      viewId: opened.id,
      privateMetadata: scheduleMetadata(),
      values: 'x',
      type: 'webinar',
    });
    await s.switchType({ viewId: opened.id, privateMetadata: scheduleMetadata(), values, type: 'party' });
    expect(stub.calls('views.update')).toHaveLength(updates);
  });

  it('switching the type keeps the channel, the webinar options, the guests and their permissions as chosen', async () => {
    const s = services.scheduling;
    await s.openModal({
      triggerId: stub.issueTriggerId(),
      teamId: T,
      userId: HOST,
      channelId: W.channelId,
      preset: 'meeting',
      title: '',
    });
    const opened = lastOpened();
    if (!opened) throw new Error('no view');
    const initial = (blockId: string, field: string) => element(stub.view(opened.id), blockId)?.[field];
    const values = (options: unknown) => (options as Array<{ value: string }>).map((o) => o.value);
    // Not the defaults (every webinar switch but one; every permission but moderator).
    await s.switchType({
      viewId: opened.id,
      privateMetadata: scheduleMetadata(),
      values: formValues({
        type: 'webinar',
        channel: 'C0CHOSEN01',
        webinarOptions: ['enableRestrictedChat'],
      }),
      type: 'webinar',
    });
    expect(initial(I.channel.block, 'initial_conversation')).toBe('C0CHOSEN01');
    expect(values(initial(I.webinarOptions.block, 'initial_options'))).toEqual(['enableRestrictedChat']);
    await s.switchType({
      viewId: opened.id,
      privateMetadata: scheduleMetadata(),
      values: formValues({
        type: 'secure',
        channel: 'C0CHOSEN01',
        guestUsers: [INVITEE.id],
        external: 'Eve <eve@example.org>',
        permissions: ['chat'],
      }),
      type: 'secure',
    });
    expect(initial(I.guestUsers.block, 'initial_users')).toEqual([INVITEE.id]);
    expect(initial(I.guestExternal.block, 'initial_value')).toBe('Eve <eve@example.org>');
    expect(values(initial(I.guestPermissions.block, 'initial_options'))).toEqual(['chat']);
  });

  it('preferredZone reads the zone of either form’s metadata', () => {
    const s = services.scheduling;
    expect(
      s.preferredZone(JSON.stringify({ v: 1, channelId: 'C1', type: 'scheduled', tz: 'Asia/Tokyo' })),
    ).toBe('Asia/Tokyo');
    expect(
      s.preferredZone(JSON.stringify({ v: 1, meetId: '1234567', channelId: null, tz: 'Europe/Oslo' })),
    ).toBe('Europe/Oslo');
    expect(s.preferredZone('not json')).toBeUndefined();
    expect(s.preferredZone(undefined)).toBeUndefined();
  });

  it('the documented options of each type', () => {
    expect(
      SchedulingService.optionsFor({ type: 'scheduled', webinarOptions: ['enableChat'] as never }),
    ).toEqual({});
    expect(SchedulingService.optionsFor({ type: 'secure', webinarOptions: [] })).toEqual({
      requireVerification: true,
    });
    expect(
      SchedulingService.optionsFor({ type: 'webinar', webinarOptions: ['enableQA', 'enableChat'] as never }),
    ).toEqual({ enableRegistration: true, enableQA: true, enableChat: true });
  });
});

function form(extra: Partial<ScheduleForm> = {}): ScheduleForm {
  // Thursday 2026-12-17 15:00 in Chicago (CST) = 21:00Z, for 45 minutes.
  return {
    type: 'scheduled',
    title: 'Design sync',
    start: new Date('2026-12-17T21:00:00Z'),
    end: new Date('2026-12-17T21:45:00Z'),
    timeZone: 'America/Chicago',
    channelId: W.channelId,
    webinarOptions: [],
    guestUserIds: [],
    externalGuests: [],
    guestPermissions: [],
    ...extra,
  };
}

const ctx = { teamId: T, userId: HOST, metaChannelId: W.channelId };
const emuMeeting = (meetId: string) => w.emu.state.snapshot().meetings.find((m) => m.meetId === meetId);

describe('creating what the form describes', () => {
  it('MegaMeeting gets the host zone’s wall time, written out by hand; the card and its reminder follow', async () => {
    const record = await services.scheduling.createFromForm(form(), ctx);
    if (!record) throw new Error('not created');
    expect(emuMeeting(record.meetId)).toMatchObject({
      name: 'Design sync',
      scheduledDateTime: 'Thu Dec 17 2026 15:00:00 -0600',
      scheduledTimeZone: 'CST/UTC-06:00',
      endDateTime: 'Thu Dec 17 2026 15:45:00 -0600',
    });
    expect(record).toMatchObject({ hostSlackUserId: HOST, timeZone: 'America/Chicago', kind: 'scheduled' });
    expect(stub.scheduledMessages(W.channelId).map((m) => m.post_at)).toEqual([
      Date.parse('2026-12-17T20:50:00Z') / 1000,
    ]);
  });

  it('a webinar and a secure meeting carry their documented options', async () => {
    const webinar = await services.scheduling.createFromForm(
      form({ type: 'webinar', title: 'Launch', webinarOptions: ['enableRestrictedChat'] }),
      ctx,
    );
    expect(emuMeeting(webinar?.meetId ?? '')?.options).toMatchObject({
      enableRegistration: true,
      enableRestrictedChat: true,
      disableVideo: false,
      requireVerification: false,
    });
    const secure = await services.scheduling.createFromForm(form({ type: 'secure', title: 'Board' }), ctx);
    expect(emuMeeting(secure?.meetId ?? '')?.options).toMatchObject({
      requireVerification: true,
      enableRegistration: false,
    });
  });

  it('MegaMeeting refusing: nothing made, the user told privately where they typed it, and it is logged', async () => {
    w.emu.state.injectFaults('status503', 10);
    const made = await services.scheduling.createFromForm(form({ title: 'Doomed' }), ctx);
    expect(made).toBeNull();
    expect(w.emu.state.snapshot().meetings.filter((m) => m.name === 'Doomed')).toEqual([]);
    const told = privately(HOST);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('schedule "Doomed"');
    expect(stub.ephemeralMessages({ user: HOST })[0]?.channel).toBe(W.channelId);
    expect(w.logs().find((l) => l.msg === 'scheduling from the form failed')).toMatchObject({
      flow: 'schedule',
      teamId: T,
      userId: HOST,
      type: 'scheduled',
    });
  });

  it('a channel the bot is not in, from a command: the card goes through the command’s response_url', async () => {
    stub.failNext('chat.postMessage', 'not_in_channel');
    const responseUrl = stub.responseUrl();
    const record = await services.scheduling.createFromForm(form({ title: 'Hidden' }), {
      ...ctx,
      responseUrl,
    });
    expect(record?.cardDelivery).toBe('response_url');
    expect(stub.responses().filter((r) => r.body.response_type === 'in_channel')).toHaveLength(1);
  });

  it('a refusal is told in the channel the form names, whatever the modal was opened from; Slack refusing too is logged', async () => {
    stub.addChannel({ id: 'C0CHOSEN01', name: 'chosen' });
    w.emu.state.injectFaults('status503', 10);
    const opened = { ...ctx, metaChannelId: W.channelId };
    expect(await services.scheduling.createFromForm(form({ channelId: 'C0CHOSEN01' }), opened)).toBeNull();
    expect(stub.ephemeralMessages({ user: HOST }).map((m) => m.channel)).toEqual(['C0CHOSEN01']);
    expect(w.logs().find((l) => l.msg === 'scheduling from the form failed')?.err).toBeDefined();

    stub.failNext('chat.postEphemeral', 'channel_not_found');
    stub.failNext('conversations.open', 'user_not_found');
    expect(await services.scheduling.createFromForm(form({ title: 'Unheard' }), ctx)).toBeNull();
    expect(w.logs().find((l) => l.msg === 'could not tell the user privately')).toMatchObject({
      userId: HOST,
      err: { code: 'user_not_found' },
    });
  });

  it('a secure meeting: Slack guests from their profiles (not the host), external guests, all added', async () => {
    const record = await services.scheduling.createFromForm(
      form({
        type: 'secure',
        title: 'Board',
        guestUserIds: [HOST, INVITEE.id],
        externalGuests: [
          { slackUserId: null, name: 'Eve External', email: 'eve@example.org', permissions: [] },
        ],
        guestPermissions: [],
      }),
      ctx,
    );
    if (!record) throw new Error('not created');
    const guests = w.emu.state
      .guestsOf(record.meetId)
      .map((g) => g.email)
      .sort();
    expect(guests).toEqual(['eve@example.org', 'ivy@example.com']);
  });

  it('a secure meeting without guests: the host is told how to add them', async () => {
    const record = await services.scheduling.createFromForm(form({ type: 'secure', title: 'Board' }), ctx);
    expect(privately(HOST)).toEqual([
      `:lock: "Board" (${record?.meetId}) is a secure meeting with no guests yet: nobody can join until you add them with *Manage guests* on the card (or \`/meet guests ${record?.meetId}\`).`,
    ]);
  });

  it('guests that cannot be added: named to the host with why (a profile Slack would not give, adding failing)', async () => {
    // The guests service is the seam here: its own failures are its tests'; this checks what the host is told.
    const tried: unknown[] = [];
    const scheduling = new SchedulingService({
      ...services,
      clock,
      defaultTimeZone: 'UTC',
      guests: {
        inviteGuests: async (_record, specs) => {
          tried.push(...specs);
          throw new AppError('megameeting_unavailable', 'MegaMeeting is not answering right now.');
        },
      },
    });
    // U0GONE0001 is no Slack user: users.info answers user_not_found.
    const record = await scheduling.createFromForm(
      form({
        type: 'secure',
        title: 'Board',
        guestUserIds: ['U0GONE0001', HOST, INVITEE.id],
        externalGuests: [{ slackUserId: null, name: 'Eve', email: 'eve@example.org', permissions: [] }],
        guestPermissions: ['allowChat'] as never,
      }),
      ctx,
    );
    expect(tried).toEqual([
      { slackUserId: 'U0GONE0001', name: '', email: null, permissions: ['allowChat'] },
      { slackUserId: INVITEE.id, name: 'Ivy Invitee', email: 'ivy@example.com', permissions: ['allowChat'] },
      { slackUserId: null, name: 'Eve', email: 'eve@example.org', permissions: [] },
    ]);
    expect(privately(HOST)).toEqual([
      `"Board" (${record?.meetId}) is scheduled, but megaMeeting is not answering right now. Add them with *Manage guests* on the card: <@U0GONE0001>, <@${INVITEE.id}>, eve@example.org.`,
    ]);
    expect(w.logs().find((l) => l.msg === 'could not read a guest profile')).toMatchObject({
      slackUserId: 'U0GONE0001',
    });
    expect(w.logs().find((l) => l.msg === 'adding guests after scheduling failed')).toMatchObject({
      meetId: record?.meetId,
      err: { message: 'MegaMeeting is not answering right now.' },
    });
  });

  it('a bot or a deactivated user as a guest: handed over without a name or an email; an unexpected failure told', async () => {
    const bot = { id: 'U0ROBOT001', real_name: 'Robo', email: 'robo@example.com', is_bot: true };
    const gone = { id: 'U0LEFT0001', real_name: 'Lee Left', email: 'lee@example.com', deleted: true };
    for (const u of [bot, gone]) stub.addUser(u);
    const tried: unknown[] = [];
    const scheduling = new SchedulingService({
      ...services,
      clock,
      defaultTimeZone: 'UTC',
      guests: {
        inviteGuests: async (_record, specs) => {
          tried.push(...specs);
          throw new Error('socket hang up');
        },
      },
    });
    const record = await scheduling.createFromForm(
      form({ type: 'secure', title: 'Board', guestUserIds: [bot.id, gone.id] }),
      ctx,
    );
    expect(tried).toEqual([
      { slackUserId: bot.id, name: '', email: null, permissions: [] },
      { slackUserId: gone.id, name: '', email: null, permissions: [] },
    ]);
    expect(privately(HOST)).toEqual([
      `"Board" (${record?.meetId}) is scheduled, but something went wrong and I couldn't add its guests. Please try again; if it keeps happening, ask your admin to check the app's logs. Add them with *Manage guests* on the card: <@${bot.id}>, <@${gone.id}>.`,
    ]);
  });
});

async function scheduled(title = 'Design sync'): Promise<MeetingRecord> {
  const record = await services.scheduling.createFromForm(form({ title }), ctx);
  if (!record) throw new Error('not created');
  stub.clearCalls();
  return record;
}

describe('editing', () => {
  it('the host opens the form: the meeting’s own zone, wall time and length, and where it was pressed', async () => {
    const m = await scheduled();
    await services.scheduling.openEditModal({
      triggerId: stub.issueTriggerId(),
      teamId: T,
      userId: HOST,
      meetId: m.meetId,
      channelId: W.channelId,
    });
    const view = lastOpened();
    expect(view?.callback_id).toBe(VIEWS.edit);
    expect(when(view)).toEqual({
      date: '2026-12-17',
      time: '15:00',
      zone: 'America/Chicago',
      duration: '45',
    });
    expect(JSON.parse(view?.private_metadata ?? '')).toEqual({
      v: 1,
      meetId: m.meetId,
      channelId: W.channelId,
      tz: 'America/Chicago',
    });
  });

  it('refused for anyone but the host or an admin, and for a meeting that ended or started', async () => {
    const m = await scheduled();
    const open = (userId: string, meetId = m.meetId) =>
      services.scheduling.openEditModal({
        triggerId: stub.issueTriggerId(),
        teamId: T,
        userId,
        meetId,
        channelId: null,
      });
    const other = await refusal(open(OTHER.id));
    expect([other.code, other.message]).toEqual([
      'not_allowed',
      `Only the host (<@${HOST}>) or an admin can edit this meeting.`,
    ]);
    await open(ADMIN.id);
    expect(stub.calls('views.open')).toHaveLength(1);

    await w.db.store.updateMeeting(T, m.meetId, { status: 'live' });
    const live = await refusal(open(HOST));
    expect([live.code, live.message]).toEqual([
      'invalid_input',
      `"Design sync" (${m.meetId}) has started; only scheduled meetings can be edited.`,
    ]);
    const instant = await w.db.store.insertMeeting({
      ...m,
      meetId: '7654321',
      title: 'Quick call',
      kind: 'instant',
      status: 'scheduled',
    });
    expect((await refusal(open(HOST, instant.meetId))).message).toBe(
      '"Quick call" (7654321) has started; only scheduled meetings can be edited.',
    );
    await w.db.store.updateMeeting(T, m.meetId, { status: 'ended' });
    const ended = await refusal(open(HOST));
    expect([ended.code, ended.message]).toEqual([
      'already_ended',
      `"Design sync" (${m.meetId}) has already ended.`,
    ]);
    expect(stub.calls('views.open')).toHaveLength(1);
  });

  it("a MegaMeeting admin's rights that are slow to confirm are refused before the edit form's trigger expires", async () => {
    const m = await scheduled();
    const mmAdmin = { id: 'U0MMADMIN1', real_name: 'Mia Admin', email: 'mia@example.com' };
    stub.addUser(mmAdmin);
    await w.db.store.upsertUserLink({
      teamId: T,
      slackUserId: mmAdmin.id,
      loginId: w.emu.state.addLogin({ email: mmAdmin.email, roles: ['admin'] }).loginId,
      email: mmAdmin.email,
      source: 'admin',
      linkedBy: null,
      linkedAt: new Date(NOW),
    });
    // Longer than the wait before a modal (1.2 s): without that bound the answer would come and open the form.
    w.emu.state.setLatency(2000);
    const err = await refusal(
      services.scheduling.openEditModal({
        triggerId: stub.issueTriggerId(),
        teamId: T,
        userId: mmAdmin.id,
        meetId: m.meetId,
        channelId: null,
      }),
    );
    w.emu.state.setLatency(0);
    expect(err.code).toBe('megameeting_unavailable');
    expect(stub.calls('views.open')).toHaveLength(0);
  });

  function edit(m: MeetingRecord, extra: Partial<EditForm> = {}): EditForm {
    // Friday 2026-12-18 09:30 in Kolkata (IST, UTC+5:30) = 04:00Z, for an hour.
    return {
      meetId: m.meetId,
      channelId: W.channelId,
      title: 'Offshore sync',
      start: new Date('2026-12-18T04:00:00Z'),
      end: new Date('2026-12-18T05:00:00Z'),
      timeZone: 'Asia/Kolkata',
      ...extra,
    };
  }

  it('saving: MegaMeeting, the store, the reminder and the card move together; the host is told and App Home too', async () => {
    const m = await scheduled();
    const oldReminder = m.reminders[0]?.scheduledMessageId;
    const told: unknown[] = [];
    const scheduling = new SchedulingService({
      ...services,
      clock,
      defaultTimeZone: 'UTC',
      changes: { notify: (c) => told.push(c) },
    });
    const updated = await scheduling.applyEdit(edit(m), { teamId: T, userId: HOST });
    expect(emuMeeting(m.meetId)).toMatchObject({
      name: 'Offshore sync',
      scheduledDateTime: 'Fri Dec 18 2026 09:30:00 +0530',
      scheduledTimeZone: 'IST/UTC+05:30',
      endDateTime: 'Fri Dec 18 2026 10:30:00 +0530',
    });
    const stored = await w.db.store.getMeeting(T, m.meetId);
    expect(stored).toMatchObject({
      title: 'Offshore sync',
      startAt: new Date('2026-12-18T04:00:00Z'),
      endAt: new Date('2026-12-18T05:00:00Z'),
      timeZone: 'Asia/Kolkata',
    });
    expect(updated?.reminders).toEqual(stored?.reminders);
    expect(stub.scheduledMessages(W.channelId).map((s) => [s.id === oldReminder, s.post_at])).toEqual([
      [false, Date.parse('2026-12-18T03:50:00Z') / 1000],
    ]);
    expect(stub.calls('chat.update').at(-1)?.args).toMatchObject({ channel: W.channelId, ts: m.messageTs });
    expect(JSON.stringify(stub.calls('chat.update').at(-1)?.args.blocks)).toContain('Offshore sync');
    expect(told).toEqual([{ teamId: T, slackUserIds: [HOST], what: 'meeting_edited' }]);
    const [text] = privately(HOST);
    expect(text).toMatch(
      new RegExp(
        `^Updated "Offshore sync" \\(${m.meetId}\\): now <!date\\^${Date.parse('2026-12-18T04:00:00Z') / 1000}\\^`,
      ),
    );
    expect(text).toContain("(host's zone: ");
    expect(w.logs().find((l) => l.msg === 'meeting edited')).toMatchObject({ meetId: m.meetId, by: HOST });
  });

  it('saved from another channel: told there; a service without Slack calls or App Home wired saves all the same', async () => {
    const m = await scheduled();
    stub.addChannel({ id: 'C0CHOSEN01', name: 'chosen' });
    const { calls: _calls, changes: _changes, ...unwired } = services;
    const scheduling = new SchedulingService({ ...unwired, clock, defaultTimeZone: 'UTC' });
    const updated = await scheduling.applyEdit(edit(m, { channelId: 'C0CHOSEN01' }), {
      teamId: T,
      userId: HOST,
    });
    expect(updated?.title).toBe('Offshore sync');
    expect(stub.ephemeralMessages({ user: HOST }).map((e) => e.channel)).toEqual(['C0CHOSEN01']);
  });

  it('someone else, or an ended meeting, at submission: nothing changes and the user is told why', async () => {
    const m = await scheduled();
    expect(await services.scheduling.applyEdit(edit(m), { teamId: T, userId: OTHER.id })).toBeNull();
    expect(emuMeeting(m.meetId)?.name).toBe('Design sync');
    expect((await w.db.store.getMeeting(T, m.meetId))?.title).toBe('Design sync');
    expect(privately(OTHER.id)).toEqual([`Only the host (<@${HOST}>) or an admin can edit this meeting.`]);
    expect(w.logs().find((l) => l.msg === 'editing a meeting failed')).toMatchObject({ meetId: m.meetId });

    await w.db.store.updateMeeting(T, m.meetId, { status: 'ended' });
    expect(await services.scheduling.applyEdit(edit(m), { teamId: T, userId: HOST })).toBeNull();
    expect(privately(HOST)).toEqual([`"Design sync" (${m.meetId}) has already ended.`]);
    expect(stub.calls('chat.update')).toHaveLength(0);
    expect(stub.scheduledMessages(W.channelId)).toHaveLength(1);
  });

  it('MegaMeeting refusing the update: the store, reminder and card stay; the host is told', async () => {
    const m = await scheduled();
    w.emu.state.injectFaults('status503', 10);
    expect(await services.scheduling.applyEdit(edit(m), { teamId: T, userId: HOST })).toBeNull();
    expect((await w.db.store.getMeeting(T, m.meetId))?.title).toBe('Design sync');
    expect(privately(HOST)[0]).toContain('update the meeting');
    expect(stub.calls('chat.update')).toHaveLength(0);
  });
});
