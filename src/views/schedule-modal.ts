import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import {
  DEFAULT_GUEST_PERMISSIONS,
  DEFAULT_WEBINAR_OPTIONS,
  MAX_TITLE_LENGTH,
  SCHEDULE_TYPES,
  type ScheduleType,
  WEBINAR_OPTIONS,
  type WebinarOption,
} from '../domain/meeting.js';
import { GUEST_PERMISSIONS, type GuestPermission } from '../megameeting/types.js';
import { timeZoneOption } from '../time/zones.js';
import { truncate } from '../util/text.js';
import { SCHEDULE_IDS as IDS, VIEWS } from './ids.js';
import { PERMISSION_LABELS } from './labels.js';
import { type EditMetadata, encodeScheduleMetadata } from './schedule-form.js';
import { formatDuration, plainText } from './text.js';

/**
 * The scheduling modal (`/meet schedule|webinar|secure`) and the edit modal (Edit on a card or in `/meet list`):
 * pure builders. Their private_metadata, the reader of what Slack sends back and its validation are in
 * schedule-form.ts. Over 300 lines on purpose: one modal's blocks read best in one place.
 */

export const DURATION_MINUTES = [15, 30, 45, 60, 90, 120, 180, 240] as const;
export const DEFAULT_DURATION_MINUTES = 60;
/** Slack allows 3000 characters in a plain_text_input: about 50 "Name <email>" lines. */
const EXTERNAL_GUESTS_MAX_CHARS = 3000;
const MAX_SLACK_GUESTS = 50;

/** What each webinar switch means for attendees. */
const WEBINAR_OPTION_LABELS: Record<WebinarOption, string> = {
  disableVideo: 'Attendees cannot turn on video',
  disableAudio: 'Attendees cannot unmute',
  disableScreen: 'Attendees cannot share their screen',
  disableFileUpload: 'Attendees cannot upload files',
  disableWebVideoPlayer: 'Turn off the web video player',
  enableRestrictedUserList: 'Attendees cannot see who else is there',
  enableRestrictedChat: 'Attendees chat with the host only',
};

const TYPE_CHOICES: Record<ScheduleType, { text: string; description: string }> = {
  scheduled: { text: 'Video meeting', description: '2–20 people, anyone with the link joins' },
  webinar: {
    text: 'Webinar with registration',
    description: 'People register from the card for a personal link',
  },
  secure: {
    text: 'Secure meeting with verified guests',
    description: 'Only the guests you choose, each with a personal link',
  },
};

const MODAL_TITLES: Record<ScheduleType, string> = {
  scheduled: 'Schedule a meeting',
  webinar: 'Schedule a webinar',
  secure: 'Secure meeting',
};

// ------------------------------------------------------------------------------------------------------------
// Builders

export interface ScheduleModalInput {
  type: ScheduleType;
  title: string;
  /** `YYYY-MM-DD` and `HH:mm`, the wall time in `timeZone`. */
  date: string;
  time: string;
  timeZone: string;
  /** The zone the user has in Slack (kept in the metadata, offered first in the zone search). */
  userTimeZone: string;
  durationMinutes: number;
  endTime?: string | null;
  channelId: string;
  /** Why the form opened (e.g. a time that could not be read with confidence). */
  notice?: string;
  webinarOptions?: WebinarOption[];
  guestUserIds?: string[];
  guestExternalText?: string;
  guestPermissions?: GuestPermission[];
  /** For the zone's option label (offset now). */
  now: Date;
}

export interface EditModalInput {
  meetId: string;
  title: string;
  date: string;
  time: string;
  timeZone: string;
  durationMinutes: number;
  channelId: string | null;
  userTimeZone: string;
  now: Date;
}

function option(text: string, value: string, description?: string): PlainTextOption {
  return {
    text: plainText(truncate(text, 75)),
    value,
    ...(description ? { description: plainText(truncate(description, 75)) } : {}),
  };
}

function durationOptions(current: number): PlainTextOption[] {
  const minutes = new Set<number>(DURATION_MINUTES);
  if (current > 0) minutes.add(current);
  return [...minutes].sort((a, b) => a - b).map((m) => option(formatDuration(m), String(m)));
}

function titleBlock(title: string, hint?: string): InputBlock {
  return {
    type: 'input',
    block_id: IDS.title.block,
    label: plainText('Title'),
    element: {
      type: 'plain_text_input',
      action_id: IDS.title.action,
      max_length: MAX_TITLE_LENGTH,
      placeholder: plainText('Design review'),
      ...(title ? { initial_value: truncate(title, MAX_TITLE_LENGTH) } : {}),
    },
    ...(hint ? { hint: plainText(hint) } : {}),
  };
}

function whenBlocks(input: {
  date: string;
  time: string;
  timeZone: string;
  durationMinutes: number;
  now: Date;
}): InputBlock[] {
  const zone = timeZoneOption(input.timeZone, input.now);
  return [
    {
      type: 'input',
      block_id: IDS.date.block,
      label: plainText('Start date'),
      element: { type: 'datepicker', action_id: IDS.date.action, initial_date: input.date },
    },
    {
      type: 'input',
      block_id: IDS.time.block,
      label: plainText('Start time'),
      element: { type: 'timepicker', action_id: IDS.time.action, initial_time: input.time },
      hint: plainText('In the time zone below. Everyone in Slack sees the time in their own zone.'),
    },
    {
      type: 'input',
      block_id: IDS.zone.block,
      label: plainText('Time zone'),
      element: {
        type: 'external_select',
        action_id: IDS.zone.action,
        min_query_length: 0,
        placeholder: plainText('Search: city, region, abbreviation or UTC+5:30'),
        ...(zone ? { initial_option: option(zone.label, zone.value) } : {}),
      },
    },
    {
      type: 'input',
      block_id: IDS.duration.block,
      label: plainText('Duration'),
      element: {
        type: 'static_select',
        action_id: IDS.duration.action,
        options: durationOptions(input.durationMinutes),
        initial_option: option(formatDuration(input.durationMinutes), String(input.durationMinutes)),
      },
    },
  ];
}

function checkboxes(
  blockId: string,
  actionId: string,
  label: string,
  options: PlainTextOption[],
  selected: string[],
  hint: string,
): InputBlock {
  const initial = options.filter((o) => selected.includes(o.value ?? ''));
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plainText(label),
    element: {
      type: 'checkboxes',
      action_id: actionId,
      options,
      ...(initial.length > 0 ? { initial_options: initial } : {}),
    },
    hint: plainText(hint),
  };
}

/** The type-specific fields: webinar switches, or the verified guests of a secure meeting. */
function typeBlocks(input: ScheduleModalInput): KnownBlock[] {
  if (input.type === 'webinar') {
    return [
      checkboxes(
        IDS.webinarOptions.block,
        IDS.webinarOptions.action,
        'Webinar options',
        WEBINAR_OPTIONS.map((key) => option(WEBINAR_OPTION_LABELS[key], key)),
        input.webinarOptions ?? DEFAULT_WEBINAR_OPTIONS,
        'The card gets a Register button: each person who presses it receives a personal link.',
      ),
    ];
  }
  if (input.type === 'secure') {
    return [
      {
        type: 'input',
        block_id: IDS.guestUsers.block,
        optional: true,
        label: plainText('Guests in this workspace'),
        element: {
          type: 'multi_users_select',
          action_id: IDS.guestUsers.action,
          max_selected_items: MAX_SLACK_GUESTS,
          placeholder: plainText('Choose people'),
          ...(input.guestUserIds?.length
            ? { initial_users: input.guestUserIds.slice(0, MAX_SLACK_GUESTS) }
            : {}),
        },
        hint: plainText('Each gets their personal Join link by direct message.'),
      },
      {
        type: 'input',
        block_id: IDS.guestExternal.block,
        optional: true,
        label: plainText('External guests'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.guestExternal.action,
          multiline: true,
          max_length: EXTERNAL_GUESTS_MAX_CHARS,
          placeholder: plainText('Jane Doe <jane@example.com>'),
          ...(input.guestExternalText ? { initial_value: input.guestExternalText } : {}),
        },
        hint: plainText(
          'One per line: Name <email>. You get their personal links privately to forward. No guests yet? Add them later with Manage guests on the card.',
        ),
      },
      checkboxes(
        IDS.guestPermissions.block,
        IDS.guestPermissions.action,
        'Guest permissions',
        GUEST_PERMISSIONS.map((p) => option(PERMISSION_LABELS[p], p)),
        input.guestPermissions ?? DEFAULT_GUEST_PERMISSIONS,
        'For every guest above; change them per guest later with Manage guests.',
      ),
    ];
  }
  return [];
}

/**
 * The scheduling modal. The type radio dispatches an action: the listener re-renders the view for the chosen type
 * (views.update keeps what was typed in inputs whose block and action IDs stay the same).
 */
export function buildScheduleModal(input: ScheduleModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  if (input.notice) {
    blocks.push({
      type: 'section',
      block_id: IDS.notice.block,
      text: { type: 'mrkdwn', text: `:warning: ${truncate(input.notice, 2900)}` },
    });
  }
  blocks.push(titleBlock(input.title));
  blocks.push(...whenBlocks(input));
  blocks.push({
    type: 'input',
    block_id: IDS.endTime.block,
    optional: true,
    label: plainText('…or end time'),
    element: {
      type: 'timepicker',
      action_id: IDS.endTime.action,
      ...(input.endTime ? { initial_time: input.endTime } : {}),
    },
    hint: plainText('Optional. When set, it replaces the duration (same day as the start).'),
  });
  blocks.push({
    type: 'input',
    block_id: IDS.channel.block,
    label: plainText('Post in'),
    element: {
      type: 'conversations_select',
      action_id: IDS.channel.action,
      default_to_current_conversation: true,
      ...(input.channelId ? { initial_conversation: input.channelId } : {}),
      response_url_enabled: true,
    },
    hint: plainText('The meeting card, and its reminder, go to this conversation.'),
  });
  const choices = SCHEDULE_TYPES.map((t) => option(TYPE_CHOICES[t].text, t, TYPE_CHOICES[t].description));
  blocks.push({
    type: 'input',
    block_id: IDS.type.block,
    dispatch_action: true,
    label: plainText('Type'),
    element: {
      type: 'radio_buttons',
      action_id: IDS.type.action,
      options: choices,
      initial_option: choices[SCHEDULE_TYPES.indexOf(input.type)] as PlainTextOption,
    },
  });
  blocks.push(...typeBlocks(input));

  return {
    type: 'modal',
    callback_id: VIEWS.schedule,
    title: plainText(MODAL_TITLES[input.type]),
    submit: plainText('Schedule'),
    close: plainText('Cancel'),
    private_metadata: encodeScheduleMetadata({
      v: 1,
      channelId: input.channelId,
      type: input.type,
      tz: input.userTimeZone,
    }),
    blocks,
  };
}

/** The edit modal: title, start, zone and duration of a scheduled meeting. */
export function buildEditModal(input: EditModalInput): ModalView {
  const meta: EditMetadata = {
    v: 1,
    meetId: input.meetId,
    channelId: input.channelId,
    tz: input.userTimeZone,
  };
  return {
    type: 'modal',
    callback_id: VIEWS.edit,
    title: plainText('Edit meeting'),
    submit: plainText('Save'),
    close: plainText('Cancel'),
    private_metadata: JSON.stringify(meta),
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Meeting ID ${input.meetId}. The card and its reminder follow your changes.`,
          },
        ],
      },
      titleBlock(input.title),
      ...whenBlocks(input),
    ],
  };
}
