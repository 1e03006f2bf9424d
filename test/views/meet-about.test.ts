import { MEET_ABOUT_IDS } from '../../src/views/ids.js';
import { buildMeetAboutModal, readMeetAboutForm, titleFromMessage } from '../../src/views/meet-about.js';
import { assertValidModal } from '../support/block-kit.js';

describe('titleFromMessage', () => {
  test("turns Slack's markup into what readers see, first line only", () => {
    expect(
      titleFromMessage('*Checkout* is _down_ <https://status.example.com|status> &amp; `logs`\nsecond'),
    ).toBe('Checkout is down status & logs');
    expect(titleFromMessage('<@U123> <!here> can we talk about <#C123|design>?')).toBe(
      'can we talk about #design?',
    );
    expect(titleFromMessage('see <https://example.com/a/b>')).toBe('see example.com/a/b');
    expect(titleFromMessage('\n\n> quoted plan\nrest')).toBe('quoted plan');
    expect(titleFromMessage('<@U123>')).toBe('');
  });

  test('a long message is cut at a word boundary with an ellipsis', () => {
    const text = `${'word '.repeat(30)}end`;
    const title = titleFromMessage(text);
    expect(title.endsWith('word…')).toBe(true);
    expect(Array.from(title).length).toBeLessThanOrEqual(80);
  });
});

describe('meet-about modal and form', () => {
  const input = {
    title: 'Checkout',
    channelId: 'C0CHAN',
    threadTs: '1700000000.000100',
    authorId: 'U0AUTHOR',
    userId: 'U0HOST',
    responseUrl: 'https://hooks.slack.com/actions/T1/2/abc',
    excerpt: 'Checkout is *down* <!channel>',
  };

  test('the modal is valid, prefilled, and carries where the card goes', () => {
    const modal = buildMeetAboutModal(input);
    assertValidModal(modal);
    expect(JSON.stringify(modal.blocks)).toContain('"initial_value":"Checkout"');
    expect(JSON.stringify(modal.blocks)).toContain('&lt;!channel&gt;');
    const values = {
      [MEET_ABOUT_IDS.title.block]: {
        [MEET_ABOUT_IDS.title.action]: { type: 'plain_text_input', value: ' Sync ' },
      },
    };
    expect(readMeetAboutForm(values, modal.private_metadata)).toEqual({
      ok: true,
      title: 'Sync',
      channelId: 'C0CHAN',
      threadTs: '1700000000.000100',
      invitees: ['U0AUTHOR'],
      responseUrl: input.responseUrl,
    });
  });

  test('the author is not invited to their own meeting; lost metadata is an inline error', () => {
    const own = buildMeetAboutModal({ ...input, authorId: 'U0HOST' });
    expect(JSON.stringify(own.blocks)).not.toContain('invitation');
    expect(readMeetAboutForm({}, own.private_metadata)).toMatchObject({ ok: true, invitees: [] });
    expect(readMeetAboutForm({}, 'garbage')).toMatchObject({ ok: false });
  });
});
