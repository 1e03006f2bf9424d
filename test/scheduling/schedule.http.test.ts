/**
 * The scheduling modal end to end: `/meet schedule|webinar|secure` opens it (before any MegaMeeting call), the
 * submission (as Slack sends it) is validated inline or creates the meeting, the card and the reminder.
 */
import { jest } from '@jest/globals';
import type { ModalView } from '@slack/types';
import type { GuestSpec } from '../../src/domain/guest-spec.js';
import type { MeetingRecord } from '../../src/store/types.js';
import { SCHEDULE_IDS as I, VIEWS } from '../../src/views/ids.js';
import { eventually, startTestApp, type TestApp } from '../app/harness.js';
import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';
import { blockActionsPayload, type ViewLike, viewSubmissionPayload } from '../support/slack-requests.js';
import {
  ackBody,
  blockSuggestionPayload,
  DAY_MS,
  formValues,
  futureSlot,
  postPayload,
  scheduleMetadata,
  W,
  wallDateIn,
} from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  // Nothing reached Bolt's global error handler or logged an error: every failure was handled and told.
  const errors = t.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  await t.close();
  expect(errors).toEqual([]);
});

const createRequests = () => t.emulator.state.requests().filter((r) => r.fields.includes('createMeeting'));
const meetingsInEmulator = () => t.emulator.state.snapshot().meetings;

async function openedView(callbackId: string = VIEWS.schedule): Promise<ModalView> {
  const call = await t.slack.waitForCall('views.open');
  const view = call.args.view as ModalView;
  expect(view.callback_id).toBe(callbackId);
  return view;
}
function elementOf(view: ModalView, blockId: string): Record<string, unknown> | undefined {
  const b = view.blocks.find((x) => (x as { block_id?: string }).block_id === blockId) as
    | { element?: Record<string, unknown> }
    | undefined;
  return b?.element;
}

describe('opening the modal', () => {
  test('/meet schedule opens a valid, prefilled modal before any MegaMeeting request', async () => {
    const res = await t.command('schedule Quarterly planning');
    expect(res.status).toBe(200);
    const call = await t.slack.waitForCall('views.open');
    const view = call.args.view as ModalView;
    assertValidModal(view);
    expect(elementOf(view, I.title.block)?.initial_value).toBe('Quarterly planning');
    // The user's Slack zone (America/Chicago) is the initial zone.
    expect(elementOf(view, I.zone.block)?.initial_option).toMatchObject({ value: 'America/Chicago' });
    expect(elementOf(view, I.channel.block)).toMatchObject({ initial_conversation: W.channelId });
    expect(elementOf(view, I.type.block)?.initial_option).toMatchObject({ value: 'scheduled' });
    expect(elementOf(view, I.date.block)?.initial_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(elementOf(view, I.time.block)?.initial_time).toMatch(/^\d{2}:(00|30)$/);
    // Within Slack's trigger window and before MegaMeeting is touched at all.
    expect(t.emulator.state.requests().filter((r) => Date.parse(r.at) <= call.at)).toEqual([]);
    expect(call.response.ok).toBe(true);
    expect(call.at - (Date.now() - res.elapsedMs)).toBeLessThan(3000);
  });

  test('a slow users.info does not cost the trigger: the form opens in time, in the default zone', async () => {
    t.slack.setLatency('users.info', 2500);
    const triggerId = t.slack.issueTriggerId();
    await t.command('schedule Slow profile', { trigger_id: triggerId });
    const call = await t.slack.waitForCall('views.open');
    expect(call.response.error).toBeUndefined();
    const view = call.args.view as ModalView;
    expect(elementOf(view, I.zone.block)?.initial_option).toMatchObject({ value: 'UTC' });
  });

  test.each([
    ['webinar Launch', 'webinar', I.webinarOptions, 'checkboxes'],
    ['secure Patient consult', 'secure', I.guestExternal, 'plain_text_input'],
  ])('/meet %s presets the type and shows its fields', async (text, type, field, elementType) => {
    await t.command(text);
    const view = await openedView();
    assertValidModal(view);
    expect(elementOf(view, I.type.block)?.initial_option).toMatchObject({ value: type });
    expect(elementOf(view, field.block)).toMatchObject({ type: elementType, action_id: field.action });
    expect(JSON.parse(view.private_metadata ?? '{}')).toMatchObject({ type, channelId: W.channelId });
  });

  test('a plain-English time that cannot be read with confidence opens the modal prefilled, saying why', async () => {
    await t.command('Budget sync tomorrow');
    const view = await openedView();
    assertValidModal(view);
    expect(JSON.stringify(view.blocks[0])).toContain("I wasn't sure");
    expect(elementOf(view, I.title.block)?.initial_value).toBe('Budget sync');
    const tomorrow = wallDateIn(new Date(Date.now() + DAY_MS), 'America/Chicago');
    expect(elementOf(view, I.date.block)?.initial_date).toBe(tomorrow);
    expect(meetingsInEmulator()).toHaveLength(0);
  });

  test('choosing another type re-renders the form for it (views.update with the same view)', async () => {
    await t.command('schedule Launch');
    const opened = await t.slack.waitForCall('views.open');
    const { id: viewId, hash } = opened.response.view as { id: string; hash: string };
    const view = opened.args.view as ModalView;
    const payload = blockActionsPayload({
      view: { ...view, id: viewId, hash } as ViewLike,
      values: formValues({ title: 'Launch', type: 'webinar' }),
      actions: [
        {
          action_id: I.type.action,
          block_id: I.type.block,
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: 'Webinar' }, value: 'webinar' },
          action_ts: '1700000000.000200',
        },
      ],
    });
    expect((await postPayload(t, payload)).status).toBe(200);
    const update = await t.slack.waitForCall('views.update');
    expect(update.response.error).toBeUndefined();
    const updated = update.args.view as ModalView;
    assertValidModal(updated);
    expect(elementOf(updated, I.type.block)?.initial_option).toMatchObject({ value: 'webinar' });
    expect(elementOf(updated, I.webinarOptions.block)).toMatchObject({
      type: 'checkboxes',
      action_id: I.webinarOptions.action,
    });
    expect(elementOf(updated, I.title.block)?.initial_value).toBe('Launch');
  });

  test('the zone search answers at most 100 options, the user’s zone first for an empty query', async () => {
    const empty = await postPayload(
      t,
      blockSuggestionPayload({
        actionId: I.zone.action,
        blockId: I.zone.block,
        value: '',
        privateMetadata: scheduleMetadata(),
      }),
    );
    expect(empty.status).toBe(200);
    const all = JSON.parse(empty.body) as { options: Array<{ value: string; text: { text: string } }> };
    expect(all.options.length).toBeGreaterThan(0);
    expect(all.options.length).toBeLessThanOrEqual(100);
    expect(all.options[0]?.value).toBe('America/Chicago');
    const kolkata = JSON.parse(
      (
        await postPayload(
          t,
          blockSuggestionPayload({ actionId: I.zone.action, blockId: I.zone.block, value: 'kolkata' }),
        )
      ).body,
    ) as { options: Array<{ value: string; text: { text: string } }> };
    expect(kolkata.options[0]).toMatchObject({
      value: 'Asia/Kolkata',
      text: { text: '(UTC+05:30) Asia/Kolkata' },
    });
  });
});

describe('submitting the modal', () => {
  test('a scheduled meeting: createMeeting gets the zone’s wall time, the card shows <!date> and the zone, a reminder is scheduled', async () => {
    const slot = futureSlot(10, '15:00', 'America/Chicago');
    const res = await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({
        title: 'Design review',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        duration: 45,
        type: 'scheduled',
      }),
    });
    expect(res.status).toBe(200);
    expect(ackBody(res)).toEqual({});

    const post = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === W.channelId);
    const [meeting, ...others] = meetingsInEmulator();
    expect(others).toEqual([]);
    const end = new Date(slot.instant.getTime() + 45 * 60_000);
    expect(meeting).toMatchObject({
      name: 'Design review',
      loginId: t.hostLogin?.loginId,
    });
    // The documented shapes, checked against the emulator's own reading of them rather than the app's formatter
    // (the exact strings are written out by hand in the test below).
    expect(meeting?.scheduledDateTime).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} 15:00:00 -0[56]00$/);
    expect(meeting?.endDateTime).toMatch(/ 15:45:00 -0[56]00$/);
    expect(meeting?.scheduledTimeZone).toMatch(/^C[SD]T\/UTC-0[56]:00$/);
    expect(meeting?.scheduledStart?.toISOString()).toBe(slot.instant.toISOString());
    expect(meeting?.scheduledEnd?.toISOString()).toBe(end.toISOString());
    expect(meeting?.options.requireVerification).toBe(false);
    expect(meeting?.options.enableRegistration).toBe(false);

    const blocks = post.args.blocks as unknown[];
    assertValidMessageBlocks(blocks);
    const text = JSON.stringify(blocks);
    expect(text).toContain(`<!date^${slot.instant.getTime() / 1000}^`);
    expect(text).toContain(`<!date^${end.getTime() / 1000}^`);
    expect(text).toContain('America/Chicago');

    const reminder = await t.slack.waitForCall('chat.scheduleMessage');
    expect(Number(reminder.args.post_at)).toBe(slot.instant.getTime() / 1000 - 10 * 60);
    expect(reminder.args.channel).toBe(W.channelId);
    expect(t.slack.scheduledMessages(W.channelId)).toHaveLength(1);

    const stored = await eventually(async () => {
      const m = await t.store.getMeeting(W.teamId, meeting?.meetId ?? '');
      return m?.reminders.length ? m : undefined;
    });
    expect(stored).toMatchObject({
      kind: 'scheduled',
      status: 'scheduled',
      timeZone: 'America/Chicago',
      cardDelivery: 'chat',
    });
    expect(stored.startAt.toISOString()).toBe(slot.instant.toISOString());
  });

  test.each([
    // Far enough ahead never to be in the past; written out by hand, winter and summer time.
    [
      'America/Chicago in winter',
      { date: '2031-01-14', time: '15:00', zone: 'America/Chicago', duration: 45 },
      {
        scheduledDateTime: 'Tue Jan 14 2031 15:00:00 -0600',
        scheduledTimeZone: 'CST/UTC-06:00',
        endDateTime: 'Tue Jan 14 2031 15:45:00 -0600',
        start: '2031-01-14T21:00:00.000Z',
      },
    ],
    [
      'America/New_York in summer',
      { date: '2031-07-15', time: '16:30', zone: 'America/New_York', duration: 90 },
      {
        scheduledDateTime: 'Tue Jul 15 2031 16:30:00 -0400',
        scheduledTimeZone: 'EDT/UTC-04:00',
        endDateTime: 'Tue Jul 15 2031 18:00:00 -0400',
        start: '2031-07-15T20:30:00.000Z',
      },
    ],
    [
      'Asia/Kolkata (half-hour offset)',
      { date: '2031-03-03', time: '09:30', zone: 'Asia/Kolkata', duration: 30 },
      {
        scheduledDateTime: 'Mon Mar 03 2031 09:30:00 +0530',
        scheduledTimeZone: 'IST/UTC+05:30',
        endDateTime: 'Mon Mar 03 2031 10:00:00 +0530',
        start: '2031-03-03T04:00:00.000Z',
      },
    ],
  ])('MegaMeeting gets the exact documented strings: %s', async (_label, form, expected) => {
    const res = await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({ title: 'Fixed date', type: 'scheduled', ...form }),
    });
    expect(ackBody(res)).toEqual({});
    await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === W.channelId);
    const [meeting, ...others] = meetingsInEmulator();
    expect(others).toEqual([]);
    expect(meeting).toMatchObject({
      name: 'Fixed date',
      scheduledDateTime: expected.scheduledDateTime,
      scheduledTimeZone: expected.scheduledTimeZone,
      endDateTime: expected.endDateTime,
    });
    expect(meeting?.scheduledStart?.toISOString()).toBe(expected.start);
  });
  test('another zone than the user’s: Asia/Kolkata wall time and +0530', async () => {
    const slot = futureSlot(12, '09:30', 'Asia/Kolkata');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({
        title: 'Offshore sync',
        date: slot.date,
        time: slot.time,
        zone: 'Asia/Kolkata',
        type: 'scheduled',
        endTime: '10:15',
      }),
    });
    await t.slack.waitForCall('chat.postMessage');
    const [meeting] = meetingsInEmulator();
    expect(meeting?.scheduledDateTime).toMatch(/ 09:30:00 \+0530$/);
    expect(meeting?.endDateTime).toMatch(/ 10:15:00 \+0530$/);
    expect(meeting?.scheduledTimeZone).toMatch(/\/UTC\+05:30$/);
    expect(meeting?.scheduledStart?.toISOString()).toBe(slot.instant.toISOString());
  });

  test('a webinar: enableRegistration plus the chosen documented options', async () => {
    const slot = futureSlot(10, '15:00', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata('webinar'),
      values: formValues({
        title: 'Launch',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        type: 'webinar',
        webinarOptions: ['disableVideo', 'enableRestrictedChat'],
      }),
    });
    await t.slack.waitForCall('chat.postMessage');
    const [meeting] = meetingsInEmulator();
    expect(meeting?.options).toMatchObject({
      enableRegistration: true,
      disableVideo: true,
      enableRestrictedChat: true,
      disableAudio: false,
      requireVerification: false,
    });
    const stored = await t.store.getMeeting(W.teamId, meeting?.meetId ?? '');
    expect(stored?.kind).toBe('webinar');
  });

  test('a secure meeting with no guests is allowed: requireVerification, and the host is told to add guests', async () => {
    const slot = futureSlot(10, '15:00', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata('secure'),
      values: formValues({
        title: 'Consult',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        type: 'secure',
      }),
    });
    const post = await t.slack.waitForCall('chat.postMessage');
    const [meeting] = meetingsInEmulator();
    expect(meeting?.options.requireVerification).toBe(true);
    // No public join link on a secure meeting's card.
    expect(JSON.stringify(post.args.blocks)).not.toContain('/meeting/?id=');
    const told = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === W.userId);
    expect(told.args.text).toContain('no guests yet');
  });

  test('a secure meeting with guests: Slack users’ names and emails gathered, everyone handed to the guests service', async () => {
    t.slack.addUser({
      id: 'U0GUEST001',
      real_name: 'Ben Brown',
      email: 'ben@example.com',
      tz: 'Europe/Paris',
    });
    t.slack.addUser({ id: 'U0GUEST002', real_name: 'No Email' });
    const calls: Array<{ record: MeetingRecord; guests: GuestSpec[]; actor: string }> = [];
    const inviteGuests = jest.fn(async (record: MeetingRecord, guests: GuestSpec[], actor: string) => {
      calls.push({ record, guests, actor });
      return { added: guests, failed: [], existing: [] };
    });
    Object.assign(t.running.services.guests, { inviteGuests });

    const slot = futureSlot(10, '15:00', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata('secure'),
      values: formValues({
        title: 'Consult',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        type: 'secure',
        guestUsers: ['U0GUEST001', 'U0GUEST002', W.userId],
        external: 'Jane Doe <Jane@Example.com>\nbob@example.org',
        permissions: ['chat', 'microphone', 'moderator'],
      }),
    });
    await eventually(() => calls.length > 0);
    const [call] = calls;
    expect(call?.actor).toBe(W.userId);
    expect(call?.record.kind).toBe('secure');
    const perms = ['chat', 'microphone', 'moderator'];
    // The host is not their own guest; a guest without a shared email is handed over too, so the guests
    // service's report names them with the reason instead of dropping them.
    expect(call?.guests).toEqual([
      { slackUserId: 'U0GUEST001', name: 'Ben Brown', email: 'ben@example.com', permissions: perms },
      { slackUserId: 'U0GUEST002', name: 'No Email', email: null, permissions: perms },
      { slackUserId: null, name: 'Jane Doe', email: 'jane@example.com', permissions: perms },
      { slackUserId: null, name: 'bob', email: 'bob@example.org', permissions: perms },
    ]);
  });

  test('a secure meeting with guests, for real: verified guests on MegaMeeting, links only in DMs', async () => {
    t.slack.addUser({
      id: 'U0GUEST001',
      real_name: 'Ben Brown',
      email: 'ben@example.com',
      tz: 'Europe/Paris',
    });
    const slot = futureSlot(10, '15:00', 'America/Chicago');
    await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata('secure'),
      values: formValues({
        title: 'Consult',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        type: 'secure',
        guestUsers: ['U0GUEST001'],
        external: 'Jane Doe <jane@example.com>',
      }),
    });
    const guests = await eventually(() => {
      const list = t.emulator.state.snapshot().guests;
      return list.length === 2 ? list : undefined;
    });
    expect(guests.map((g) => g.email).sort()).toEqual(['ben@example.com', 'jane@example.com']);
    const benDm = t.slack.dmChannelFor('U0GUEST001');
    await eventually(() => t.slack.messagesIn(benDm).length > 0);
    // No personal key link in the channel.
    await eventually(() => t.slack.messagesIn(W.channelId).length > 0);
    expect(JSON.stringify(t.slack.messagesIn(W.channelId))).not.toMatch(/key=/);
  });

  test('a channel the bot is not in: the card goes through the response_url Slack gave for the chosen conversation', async () => {
    t.slack.addChannel({ id: 'C0NOTMEMBR', name: 'private-ish', is_member: false });
    const responseUrl = t.slack.responseUrl();
    const slot = futureSlot(10, '15:00', 'America/Chicago');
    const payload = viewSubmissionPayload({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({
        title: 'Elsewhere',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        type: 'scheduled',
        channel: 'C0NOTMEMBR',
      }),
      responseUrls: [
        {
          block_id: I.channel.block,
          action_id: I.channel.action,
          channel_id: 'C0NOTMEMBR',
          response_url: responseUrl,
        },
      ],
    });
    const res = await postPayload(t, payload);
    expect(ackBody(res)).toEqual({});
    const card = await t.slack.waitForResponse(responseUrl);
    expect(card.body.response_type).toBe('in_channel');
    expect(JSON.stringify(card.body.blocks)).toContain('Elsewhere');
    const [meeting] = meetingsInEmulator();
    const stored = await eventually(async () => {
      const m = await t.store.getMeeting(W.teamId, meeting?.meetId ?? '');
      return m?.cardDelivery === 'response_url' ? m : undefined;
    });
    expect(stored.channelId).toBe('C0NOTMEMBR');
  });

  test('MegaMeeting down after the modal closed: the user is told privately, nothing is posted', async () => {
    t.emulator.state.injectFaults('status503', 10);
    const slot = futureSlot(10, '15:00', 'America/Chicago');
    const res = await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({
        title: 'Design review',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        type: 'scheduled',
      }),
    });
    expect(ackBody(res)).toEqual({});
    const told = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === W.userId, 15_000);
    expect(told.args.text).toMatch(/MegaMeeting/);
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
    expect(await t.store.listMeetingsByHost(W.teamId, W.userId, ['scheduled', 'live'])).toHaveLength(0);
  }, 30_000);
});

describe('inline errors (response_action: errors) create nothing', () => {
  const slot = () => futureSlot(10, '15:00', 'America/Chicago');
  test.each([
    ['start in the past', () => ({ ...formValuesFor({ date: isoDaysAgo(1) }) }), I.date.block, /past/],
    ['end before the start', () => formValuesFor({ endTime: '14:00' }), I.endTime.block, /after the start/],
    ['an empty title', () => formValuesFor({ title: '   ' }), I.title.block, /title/],
    ['a title over 150 characters', () => formValuesFor({ title: 'x'.repeat(151) }), I.title.block, /150/],
    ['an unknown zone', () => formValuesFor({ zone: 'Mars/Olympus_Mons' }), I.zone.block, /time zone/],
    ['no zone', () => formValuesFor({ zone: null }), I.zone.block, /time zone/],
    [
      'bad external guest lines',
      () =>
        formValuesFor({
          type: 'secure',
          external: 'Jane Doe <jane@example.com>\nnot an email\nJane <jane@example.com>',
        }),
      I.guestExternal.block,
      /Line 2.*valid email[\s\S]*Line 3.*twice/,
    ],
  ])('%s', async (_name, values, blockId, message) => {
    const res = await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: values(),
    });
    expect(res.status).toBe(200);
    const body = ackBody(res);
    expect(body.response_action).toBe('errors');
    expect(body.errors?.[blockId]).toMatch(message);
    await new Promise((r) => setTimeout(r, 200));
    expect(createRequests()).toHaveLength(0);
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
  });

  test('a wall time that does not exist (DST gap in New York) is refused, not moved silently', async () => {
    // The second Sunday of March in a year ahead: 02:30 does not exist in America/New_York.
    const year = new Date().getUTCFullYear() + 1;
    const march = new Date(Date.UTC(year, 2, 1));
    const secondSunday = 1 + ((7 - march.getUTCDay()) % 7) + 7;
    const date = `${year}-03-${String(secondSunday).padStart(2, '0')}`;
    const res = await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata(),
      values: formValues({ date, time: '02:30', zone: 'America/New_York', type: 'scheduled' }),
    });
    expect(ackBody(res).errors?.[I.time.block]).toMatch(/does not exist/);
  });

  test('tampered private_metadata is refused', async () => {
    const res = await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: '{"v":9}',
      values: formValuesFor({}),
    });
    expect(ackBody(res).response_action).toBe('errors');
    expect(createRequests()).toHaveLength(0);
  });

  function isoDaysAgo(days: number): string {
    return new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
  }
  function formValuesFor(over: Parameters<typeof formValues>[0]) {
    const s = slot();
    return formValues({
      title: 'Planning',
      date: s.date,
      time: s.time,
      zone: 'America/Chicago',
      type: 'scheduled',
      ...over,
    });
  }
});
