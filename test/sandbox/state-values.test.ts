import { actionObject, epochOfWallTime, stateValue, viewStateValues } from '../../sandbox/ui/state-values.js';

const field = (values: string[], labels: string[] = []) => ({ blockId: 'b', actionId: 'a', values, labels });
const option = (text: string, value: string) => ({ text: { type: 'plain_text', text, emoji: true }, value });

describe('what the browser reports → what Slack sends', () => {
  test('text inputs: the value, or null when empty', () => {
    expect(stateValue({ type: 'plain_text_input' }, field(['Design review']), 'UTC')).toEqual({
      type: 'plain_text_input',
      value: 'Design review',
    });
    expect(stateValue({ type: 'plain_text_input' }, field(['']), 'UTC')).toEqual({
      type: 'plain_text_input',
      value: null,
    });
  });

  test('pickers', () => {
    expect(stateValue({ type: 'datepicker' }, field(['2026-03-02']), 'UTC')).toEqual({
      type: 'datepicker',
      selected_date: '2026-03-02',
    });
    expect(stateValue({ type: 'timepicker' }, field(['']), 'UTC')).toEqual({
      type: 'timepicker',
      selected_time: null,
    });
    expect(stateValue({ type: 'datetimepicker' }, field(['2026-03-02T11:00']), 'America/Chicago')).toEqual({
      type: 'datetimepicker',
      selected_date_time: Date.parse('2026-03-02T17:00:00Z') / 1000,
    });
  });

  test('wall times convert through DST in the person’s zone', () => {
    // Chicago moves to CDT (UTC-5) on 2026-03-08.
    expect(epochOfWallTime('2026-03-07T09:00', 'America/Chicago')).toBe(
      Date.parse('2026-03-07T15:00:00Z') / 1000,
    );
    expect(epochOfWallTime('2026-03-09T09:00', 'America/Chicago')).toBe(
      Date.parse('2026-03-09T14:00:00Z') / 1000,
    );
    expect(epochOfWallTime('not a time', 'UTC')).toBeNull();
  });

  test('option objects come from the element the app sent, never from the browser', () => {
    const element = {
      type: 'static_select',
      option_groups: [{ label: { type: 'plain_text', text: 'G' }, options: [option('One hour', '60')] }],
    };
    expect(stateValue(element, field(['60']), 'UTC')).toEqual({
      type: 'static_select',
      selected_option: option('One hour', '60'),
    });
    // A value the element does not offer selects nothing.
    expect(stateValue(element, field(['999']), 'UTC')).toEqual({
      type: 'static_select',
      selected_option: null,
    });
    const boxes = { type: 'checkboxes', options: [option('Chat', 'chat'), option('Webcam', 'webcam')] };
    expect(stateValue(boxes, field(['webcam', 'bogus']), 'UTC')).toEqual({
      type: 'checkboxes',
      selected_options: [option('Webcam', 'webcam')],
    });
  });

  test('external selects carry the label the app gave in its suggestions', () => {
    expect(
      stateValue({ type: 'external_select' }, field(['Asia/Tokyo'], ['(UTC+09:00) Tokyo']), 'UTC'),
    ).toEqual({
      type: 'external_select',
      selected_option: option('(UTC+09:00) Tokyo', 'Asia/Tokyo'),
    });
    expect(stateValue({ type: 'external_select' }, field([]), 'UTC')).toEqual({
      type: 'external_select',
      selected_option: null,
    });
  });

  test('people and conversations', () => {
    expect(stateValue({ type: 'multi_users_select' }, field(['U1', '', 'U2']), 'UTC')).toEqual({
      type: 'multi_users_select',
      selected_users: ['U1', 'U2'],
    });
    expect(stateValue({ type: 'conversations_select' }, field(['C1']), 'UTC')).toEqual({
      type: 'conversations_select',
      selected_conversation: 'C1',
    });
    expect(stateValue({ type: 'channels_select' }, field([]), 'UTC')).toEqual({
      type: 'channels_select',
      selected_channel: null,
    });
    expect(stateValue({ type: 'button' }, field([]), 'UTC')).toBeNull();
  });

  test('a button press becomes the action Slack sends, with the element’s own value', () => {
    const button = {
      type: 'button',
      action_id: 'a',
      text: { type: 'plain_text', text: 'End' },
      value: '1234567',
      style: 'danger',
    };
    expect(actionObject(button, field(['ignored']), 'UTC', '1.2')).toEqual({
      type: 'button',
      block_id: 'b',
      action_id: 'a',
      action_ts: '1.2',
      text: { type: 'plain_text', text: 'End' },
      value: '1234567',
      style: 'danger',
    });
    const radio = { type: 'radio_buttons', action_id: 'a', options: [option('Webinar', 'webinar')] };
    expect(actionObject(radio, field(['webinar']), 'UTC', '1.2')).toEqual({
      type: 'radio_buttons',
      block_id: 'b',
      action_id: 'a',
      action_ts: '1.2',
      selected_option: option('Webinar', 'webinar'),
    });
  });

  test('view state: only fields of elements the view has', () => {
    const blocks = [
      { type: 'input', block_id: 'b', element: { type: 'plain_text_input', action_id: 'a' } },
      { type: 'actions', block_id: 'x', elements: [{ type: 'button', action_id: 'y' }] },
    ];
    expect(
      viewStateValues(
        blocks,
        [
          field(['Title']),
          { blockId: 'nope', actionId: 'a', values: ['z'], labels: [] },
          { blockId: 'x', actionId: 'y', values: [], labels: [] },
        ],
        'UTC',
      ),
    ).toEqual({ b: { a: { type: 'plain_text_input', value: 'Title' } } });
  });
});
