import type { KnownBlock, ModalView } from '@slack/types';
import {
  assertValidHomeTab,
  assertValidMessageBlocks,
  assertValidModal,
  BlockKitValidationError,
  messageBlocksIssues,
  modalIssues,
} from '../support/block-kit.js';

const section = (text: string, blockId?: string): KnownBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text },
});

const card: KnownBlock[] = [
  { type: 'header', text: { type: 'plain_text', text: 'Design sync' } },
  {
    type: 'section',
    block_id: 'details',
    text: {
      type: 'mrkdwn',
      text: '*Host* <@U0TESTUSR1>\n<!date^1767261600^{date_short_pretty} at {time}|Jan 1, 2026>',
    },
    fields: [
      { type: 'mrkdwn', text: '*Duration*\n30 min' },
      { type: 'mrkdwn', text: '*Meeting ID*\n987654' },
    ],
  },
  {
    type: 'actions',
    block_id: 'card_actions',
    elements: [
      {
        type: 'button',
        action_id: 'meeting_join',
        text: { type: 'plain_text', text: 'Join' },
        url: 'https://myaccount.megameeting.com/meeting/?id=987654',
        style: 'primary',
      },
      {
        type: 'button',
        action_id: 'meeting_end',
        text: { type: 'plain_text', text: 'End' },
        value: '987654',
        style: 'danger',
        confirm: {
          title: { type: 'plain_text', text: 'End the meeting?' },
          text: { type: 'mrkdwn', text: 'Everyone will be disconnected.' },
          confirm: { type: 'plain_text', text: 'End' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
    ],
  },
  { type: 'context', elements: [{ type: 'mrkdwn', text: 'Scheduled with MegaMeeting' }] },
];

const modal: ModalView = {
  type: 'modal',
  callback_id: 'schedule',
  private_metadata: '{"channel":"C0TESTCHAN"}',
  title: { type: 'plain_text', text: 'Schedule a meeting' },
  submit: { type: 'plain_text', text: 'Schedule' },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: { type: 'plain_text', text: 'Title' },
      element: { type: 'plain_text_input', action_id: 'title_value', max_length: 100 },
    },
    {
      type: 'input',
      block_id: 'start',
      label: { type: 'plain_text', text: 'Starts' },
      element: { type: 'datetimepicker', action_id: 'start_value', initial_date_time: 1767261600 },
    },
    {
      type: 'input',
      block_id: 'date',
      label: { type: 'plain_text', text: 'Date' },
      element: { type: 'datepicker', action_id: 'date_value', initial_date: '2026-01-01' },
    },
    {
      type: 'input',
      block_id: 'time',
      label: { type: 'plain_text', text: 'Time' },
      element: {
        type: 'timepicker',
        action_id: 'time_value',
        initial_time: '09:30',
        timezone: 'America/Chicago',
      },
    },
    {
      type: 'input',
      block_id: 'kind',
      label: { type: 'plain_text', text: 'Kind' },
      element: {
        type: 'static_select',
        action_id: 'kind_value',
        options: [
          { text: { type: 'plain_text', text: 'Meeting' }, value: 'meeting' },
          { text: { type: 'plain_text', text: 'Webinar' }, value: 'webinar' },
        ],
      },
    },
    {
      type: 'input',
      block_id: 'invitees',
      optional: true,
      label: { type: 'plain_text', text: 'Invite' },
      element: { type: 'multi_users_select', action_id: 'invitees_value', initial_users: ['U0TESTUSR1'] },
    },
    {
      type: 'input',
      block_id: 'channel',
      label: { type: 'plain_text', text: 'Post in' },
      element: {
        type: 'conversations_select',
        action_id: 'channel_value',
        default_to_current_conversation: true,
        response_url_enabled: true,
      },
    },
    {
      type: 'input',
      block_id: 'options',
      optional: true,
      label: { type: 'plain_text', text: 'Options' },
      element: {
        type: 'checkboxes',
        action_id: 'options_value',
        options: [{ text: { type: 'mrkdwn', text: '*Record*' }, value: 'record' }],
      },
    },
  ],
};

describe('messages', () => {
  test('a realistic channel card passes', () => {
    expect(messageBlocksIssues(card)).toEqual([]);
    expect(() => assertValidMessageBlocks(card)).not.toThrow();
  });

  test('51 blocks fail (the schema alone allows 100)', () => {
    const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    expect(() => assertValidMessageBlocks(blocks)).toThrow(BlockKitValidationError);
    expect(messageBlocksIssues(blocks)).toEqual([
      { path: '/blocks', message: 'a message holds at most 50 blocks (got 51)' },
    ]);
    expect(messageBlocksIssues(blocks.slice(0, 50))).toEqual([]);
  });

  test('duplicate action_ids fail, across blocks by default and within a block always', () => {
    const button = (actionId: string, value: string) => ({
      type: 'button' as const,
      action_id: actionId,
      value,
      text: { type: 'plain_text' as const, text: 'End' },
    });
    const twoBlocks: KnownBlock[] = [
      { type: 'actions', block_id: 'm1', elements: [button('meeting_end', '1')] },
      { type: 'actions', block_id: 'm2', elements: [button('meeting_end', '2')] },
    ];
    const issues = messageBlocksIssues(twoBlocks);
    expect(issues).toEqual([
      {
        path: '/blocks/1/elements/0/action_id',
        message: 'duplicate action_id "meeting_end" (first used at /blocks/0/elements/0/action_id)',
      },
    ]);
    expect(() => assertValidMessageBlocks(twoBlocks)).toThrow(/duplicate action_id "meeting_end"/);
    // Slack's documented rule is per containing block:
    expect(messageBlocksIssues(twoBlocks, { actionIdScope: 'block' })).toEqual([]);
    const oneBlock: KnownBlock[] = [
      { type: 'actions', block_id: 'm1', elements: [button('meeting_end', '1'), button('meeting_end', '2')] },
    ];
    expect(messageBlocksIssues(oneBlock, { actionIdScope: 'block' })).toHaveLength(1);
  });

  test('duplicate block_ids fail', () => {
    expect(messageBlocksIssues([section('a', 'same'), section('b', 'same')])).toEqual([
      { path: '/blocks/1/block_id', message: 'duplicate block_id "same" (first used at /blocks/0/block_id)' },
    ]);
  });

  test('a 256-character action_id fails; 255 passes', () => {
    const withId = (actionId: string): KnownBlock[] => [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: actionId, text: { type: 'plain_text', text: 'Go' } }],
      },
    ];
    expect(messageBlocksIssues(withId('a'.repeat(255)))).toEqual([]);
    expect(messageBlocksIssues(withId('a'.repeat(256)))).toEqual([
      { path: '/blocks/0/elements/0/action_id', message: 'must NOT have more than 255 characters (got 256)' },
    ]);
    expect(() => assertValidMessageBlocks(withId('a'.repeat(256)))).toThrow(/action_id/);
  });

  test('errors are specific and readable (one per problem, not one per block type)', () => {
    const blocks = [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'x' },
        accessory: { type: 'button', text: { type: 'plain_text', text: 'x'.repeat(76) }, action_id: 'a' },
      },
      { type: 'sectionn', text: { type: 'mrkdwn', text: 'x' } },
      { type: 'header', text: { type: 'mrkdwn', text: 'headers are plain_text only' } },
    ];
    const issues = messageBlocksIssues(blocks);
    expect(issues).toEqual([
      { path: '/blocks/0/accessory/text/text', message: 'must NOT have more than 75 characters (got 76)' },
      { path: '/blocks/1', message: 'unknown type "sectionn"' },
      { path: '/blocks/2/text/type', message: 'must be "plain_text"' },
    ]);
    let thrown: unknown;
    try {
      assertValidMessageBlocks(blocks);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BlockKitValidationError);
    expect((thrown as Error).message).toBe(
      [
        'Invalid Block Kit message blocks (3 problems):',
        '  - /blocks/0/accessory/text/text: must NOT have more than 75 characters (got 76)',
        '  - /blocks/1: unknown type "sectionn"',
        '  - /blocks/2/text/type: must be "plain_text"',
      ].join('\n'),
    );
  });
});

describe('modals', () => {
  test('a realistic scheduling modal passes', () => {
    expect(modalIssues(modal)).toEqual([]);
    expect(() => assertValidModal(modal)).not.toThrow();
  });

  test('a 25-character title fails; 24 passes', () => {
    const withTitle = (text: string): ModalView => ({ ...modal, title: { type: 'plain_text', text } });
    expect(modalIssues(withTitle('x'.repeat(24)))).toEqual([]);
    expect(modalIssues(withTitle('x'.repeat(25)))).toEqual([
      { path: '/title/text', message: 'must NOT have more than 24 characters (got 25)' },
    ]);
    expect(() => assertValidModal(withTitle('x'.repeat(25)))).toThrow(/\/title\/text/);
  });

  test('input blocks need submit; duplicate ids and long ids fail', () => {
    const { submit: _submit, ...noSubmit } = modal;
    expect(modalIssues(noSubmit)).toEqual([{ path: '', message: "must have required property 'submit'" }]);
    const dup: ModalView = { ...modal, blocks: [...modal.blocks, ...modal.blocks.slice(0, 1)] };
    expect(modalIssues(dup)).toEqual([
      {
        path: '/blocks/8/block_id',
        message: 'duplicate block_id "title" (first used at /blocks/0/block_id)',
      },
      {
        path: '/blocks/8/element/action_id',
        message: 'duplicate action_id "title_value" (first used at /blocks/0/element/action_id)',
      },
    ]);
  });

  test('Slack-scope checking allows the same action_id in different input blocks', () => {
    // Reusing action_id "value" in every input block is fine for Slack, but not under our default convention.
    const reused = JSON.parse(
      JSON.stringify(modal).replace(/"action_id":"\w+"/g, '"action_id":"value"'),
    ) as ModalView;
    expect(modalIssues(reused, { actionIdScope: 'block' })).toEqual([]);
    expect(modalIssues(reused)).toHaveLength(7);
  });

  test('a datetimepicker may not be a section accessory', () => {
    const bad = {
      ...modal,
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'datetimepicker', action_id: 'd' },
        },
      ],
    };
    expect(modalIssues(bad)).toEqual([
      { path: '/blocks/0/accessory', message: 'unknown type "datetimepicker"' },
    ]);
  });
});

test('Home tab', () => {
  expect(() => assertValidHomeTab({ type: 'home', blocks: card })).not.toThrow();
  expect(() => assertValidHomeTab({ type: 'modal', blocks: card })).toThrow(BlockKitValidationError);
});
