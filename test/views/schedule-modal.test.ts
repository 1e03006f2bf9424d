import type { AnyBlock, InputBlock, ModalView } from '@slack/types';
import { DEFAULT_GUEST_PERMISSIONS, DEFAULT_WEBINAR_OPTIONS } from '../../src/domain/meeting.js';
import { buildGuestManagerModal } from '../../src/views/guests.js';
import { GUEST_IDS, SCHEDULE_IDS, VIEWS } from '../../src/views/ids.js';
import {
  editMetadataSchema,
  nextHalfHour,
  readMetadata,
  readScheduleState,
  scheduleMetadataSchema,
} from '../../src/views/schedule-form.js';
import {
  buildEditModal,
  buildScheduleModal,
  type ScheduleModalInput,
} from '../../src/views/schedule-modal.js';
import { assertValidModal } from '../support/block-kit.js';
import { stateValue } from '../support/slack-requests.js';

const NOW = new Date('2026-03-02T15:10:00Z');

function input(overrides: Partial<ScheduleModalInput> = {}): ScheduleModalInput {
  return {
    type: 'scheduled',
    title: 'Design review',
    date: '2026-03-10',
    time: '15:00',
    timeZone: 'America/Chicago',
    userTimeZone: 'America/Chicago',
    durationMinutes: 60,
    channelId: 'C0TESTCHAN',
    now: NOW,
    ...overrides,
  };
}

function block(view: ModalView, blockId: string): AnyBlock | undefined {
  return view.blocks.find((b) => (b as { block_id?: string }).block_id === blockId);
}
function element(view: ModalView, blockId: string): Record<string, unknown> {
  const b = block(view, blockId) as InputBlock | undefined;
  if (!b) throw new Error(`no block ${blockId}`);
  return b.element as unknown as Record<string, unknown>;
}
const values = (els: unknown) => (els as Array<{ value: string }>).map((o) => o.value);

describe('buildScheduleModal', () => {
  test.each(['scheduled', 'webinar', 'secure'] as const)(
    'a valid modal for %s with every field prefilled',
    (type) => {
      const view = buildScheduleModal(
        input({ type, notice: "I wasn't sure when you meant. Check the time below." }),
      );
      assertValidModal(view);
      expect(view.callback_id).toBe(VIEWS.schedule);
      expect(element(view, SCHEDULE_IDS.title.block)).toMatchObject({
        initial_value: 'Design review',
        max_length: 150,
      });
      expect(element(view, SCHEDULE_IDS.date.block)).toMatchObject({
        type: 'datepicker',
        initial_date: '2026-03-10',
      });
      expect(element(view, SCHEDULE_IDS.time.block)).toMatchObject({
        type: 'timepicker',
        initial_time: '15:00',
      });
      expect(element(view, SCHEDULE_IDS.zone.block)).toMatchObject({
        type: 'external_select',
        min_query_length: 0,
        initial_option: { value: 'America/Chicago', text: { text: '(UTC-06:00) America/Chicago' } },
      });
      expect(element(view, SCHEDULE_IDS.channel.block)).toMatchObject({
        type: 'conversations_select',
        default_to_current_conversation: true,
        initial_conversation: 'C0TESTCHAN',
      });
      expect(element(view, SCHEDULE_IDS.type.block)).toMatchObject({ initial_option: { value: type } });
      expect((block(view, SCHEDULE_IDS.type.block) as InputBlock).dispatch_action).toBe(true);
      expect(JSON.stringify(view.blocks[0])).toContain("I wasn't sure");
    },
  );

  test('durations are the documented list; an unusual current duration is added in order', () => {
    const view = buildScheduleModal(input({ durationMinutes: 50 }));
    assertValidModal(view);
    const el = element(view, SCHEDULE_IDS.duration.block);
    expect(values(el.options)).toEqual(['15', '30', '45', '50', '60', '90', '120', '180', '240']);
    expect(el.initial_option).toMatchObject({ value: '50', text: { text: '50 min' } });
  });

  test('a plain meeting shows neither webinar options nor guests', () => {
    const view = buildScheduleModal(input());
    expect(block(view, SCHEDULE_IDS.webinarOptions.block)).toBeUndefined();
    expect(block(view, SCHEDULE_IDS.guestUsers.block)).toBeUndefined();
  });

  test('a webinar has the documented switches, sensible ones checked', () => {
    const view = buildScheduleModal(input({ type: 'webinar' }));
    const el = element(view, SCHEDULE_IDS.webinarOptions.block);
    expect(values(el.options)).toEqual([
      'disableVideo',
      'disableAudio',
      'disableScreen',
      'disableFileUpload',
      'disableWebVideoPlayer',
      'enableRestrictedUserList',
      'enableRestrictedChat',
    ]);
    expect(values(el.initial_options)).toEqual(DEFAULT_WEBINAR_OPTIONS);
    expect(view.title.text).toBe('Schedule a webinar');
  });

  test('a secure meeting asks for Slack guests, external guests and permissions (defaults: no moderator)', () => {
    const view = buildScheduleModal(
      input({ type: 'secure', guestUserIds: ['U0GUEST01'], guestExternalText: 'Jane <jane@example.com>' }),
    );
    assertValidModal(view);
    expect(element(view, SCHEDULE_IDS.guestUsers.block)).toMatchObject({
      type: 'multi_users_select',
      initial_users: ['U0GUEST01'],
    });
    expect(element(view, SCHEDULE_IDS.guestExternal.block)).toMatchObject({ multiline: true });
    const perms = element(view, SCHEDULE_IDS.guestPermissions.block);
    expect(values(perms.options)).toContain('moderator');
    expect(values(perms.initial_options)).toEqual(DEFAULT_GUEST_PERMISSIONS);
  });

  test('the form names each guest permission as the guest manager does', () => {
    const form = element(buildScheduleModal(input({ type: 'secure' })), SCHEDULE_IDS.guestPermissions.block);
    const manager = buildGuestManagerModal({
      meetId: '1234567',
      title: 'Board',
      kind: 'secure',
      hostSlackUserId: 'U0HOST',
      guests: [],
    }).blocks.find((b) => b.block_id === GUEST_IDS.addPermissionsBlock) as unknown as {
      element: { options: Array<{ text: { text: string }; value: string }> };
    };
    const words = (options: Array<{ text: { text: string }; value: string }>) =>
      Object.fromEntries(options.map((o) => [o.value, o.text.text]));
    expect(words(form.options as Array<{ text: { text: string }; value: string }>)).toEqual(
      words(manager.element.options),
    );
    expect(words(manager.element.options).webcam).toBe('Camera');
  });

  test('an unchecked set of options leaves out initial_options (Slack refuses an empty list)', () => {
    const view = buildScheduleModal(input({ type: 'webinar', webinarOptions: [] }));
    assertValidModal(view);
    expect(element(view, SCHEDULE_IDS.webinarOptions.block).initial_options).toBeUndefined();
  });

  test('private_metadata is small JSON that reads back with zod; tampered metadata reads as null', () => {
    const view = buildScheduleModal(input({ type: 'secure', title: 'x'.repeat(150) }));
    expect((view.private_metadata ?? '').length).toBeLessThan(3000);
    expect(readMetadata(scheduleMetadataSchema, view.private_metadata)).toEqual({
      v: 1,
      channelId: 'C0TESTCHAN',
      type: 'secure',
      tz: 'America/Chicago',
    });
    expect(readMetadata(scheduleMetadataSchema, '{"v":2}')).toBeNull();
    expect(readMetadata(scheduleMetadataSchema, 'not json')).toBeNull();
    expect(readMetadata(scheduleMetadataSchema, undefined)).toBeNull();
  });

  test('long titles and notices stay within Slack limits', () => {
    const view = buildScheduleModal(input({ title: '🎉'.repeat(400), notice: 'n'.repeat(5000) }));
    assertValidModal(view);
  });
});

describe('buildEditModal', () => {
  test('title, start, zone and duration, prefilled; metadata carries the meeting', () => {
    const view = buildEditModal({
      meetId: '123456',
      title: 'Retro',
      date: '2026-04-01',
      time: '09:30',
      timeZone: 'Asia/Kolkata',
      durationMinutes: 45,
      channelId: 'C0TESTCHAN',
      userTimeZone: 'America/Chicago',
      now: NOW,
    });
    assertValidModal(view);
    expect(view.callback_id).toBe(VIEWS.edit);
    expect(element(view, SCHEDULE_IDS.zone.block).initial_option).toMatchObject({ value: 'Asia/Kolkata' });
    expect(element(view, SCHEDULE_IDS.duration.block).initial_option).toMatchObject({ value: '45' });
    expect(block(view, SCHEDULE_IDS.type.block)).toBeUndefined();
    expect(readMetadata(editMetadataSchema, view.private_metadata)).toEqual({
      v: 1,
      meetId: '123456',
      channelId: 'C0TESTCHAN',
      tz: 'America/Chicago',
    });
  });
});

describe('readScheduleState', () => {
  test('reads every element type as Slack sends it', () => {
    const I = SCHEDULE_IDS;
    const state = readScheduleState({
      [I.title.block]: { [I.title.action]: stateValue.plainTextInput('Board') },
      [I.date.block]: { [I.date.action]: stateValue.datepicker('2026-05-01') },
      [I.time.block]: { [I.time.action]: stateValue.timepicker('10:00') },
      [I.zone.block]: { [I.zone.action]: stateValue.externalSelect({ text: 'x', value: 'Europe/Paris' }) },
      [I.duration.block]: { [I.duration.action]: stateValue.staticSelect({ text: '90 min', value: '90' }) },
      [I.endTime.block]: { [I.endTime.action]: stateValue.timepicker(null) },
      [I.channel.block]: { [I.channel.action]: stateValue.conversationsSelect('C1') },
      [I.type.block]: { [I.type.action]: stateValue.radioButtons({ text: 'x', value: 'secure' }) },
      [I.guestUsers.block]: { [I.guestUsers.action]: stateValue.multiUsersSelect(['U1']) },
      [I.guestExternal.block]: { [I.guestExternal.action]: stateValue.plainTextInput(null) },
      [I.guestPermissions.block]: {
        [I.guestPermissions.action]: stateValue.checkboxes([
          { text: 'Chat', value: 'chat' },
          { text: 'bogus', value: 'rootAccess' },
        ]),
      },
    });
    expect(state).toEqual({
      title: 'Board',
      date: '2026-05-01',
      time: '10:00',
      timeZone: 'Europe/Paris',
      durationMinutes: 90,
      endTime: null,
      channelId: 'C1',
      type: 'secure',
      webinarOptions: [],
      webinarOptionsShown: false,
      guestUserIds: ['U1'],
      guestExternalText: '',
      guestPermissions: ['chat'],
      guestPermissionsShown: true,
    });
  });

  test('a shape that is not Slack’s reads as null', () => {
    expect(readScheduleState({ a: 'b' })).toBeNull();
    expect(readScheduleState(null)).toBeNull();
  });
});

describe('nextHalfHour', () => {
  test.each([
    ['2026-03-02T15:10:00Z', 'America/Chicago', '2026-03-02', '09:30'],
    ['2026-03-02T15:30:00Z', 'America/Chicago', '2026-03-02', '10:00'],
    ['2026-03-02T23:50:00Z', 'UTC', '2026-03-03', '00:00'],
    // Chatham is UTC+13:45 in March: local half hours, not UTC ones.
    ['2026-03-02T00:00:00Z', 'Pacific/Chatham', '2026-03-02', '14:00'],
    ['2026-03-02T00:00:00Z', 'Asia/Kolkata', '2026-03-02', '06:00'],
    // 01:45 EST on the spring-forward night: 02:00 does not exist, so the form starts at 03:00 EDT.
    ['2026-03-08T06:45:00Z', 'America/New_York', '2026-03-08', '03:00'],
  ])('%s in %s → %s %s', (now, tz, date, time) => {
    expect(nextHalfHour(new Date(now), tz)).toEqual({ date, time });
  });
});
