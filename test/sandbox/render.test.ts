import { blockHtml, messageBodyHtml, modalHtml, type RenderContext } from '../../sandbox/ui/blocks.js';
import { formatSlackDate, mrkdwnHtml } from '../../sandbox/ui/mrkdwn.js';

const ctx: RenderContext = {
  timeZone: 'America/Chicago',
  now: new Date('2026-03-01T12:00:00Z'),
  userName: (id) => ({ U1: 'Ana <b>Alvarez</b>', U2: '"><img src=x onerror=alert(1)>' })[id],
  channelName: (id) => ({ C1: 'general' })[id],
  people: [
    { id: 'U1', name: 'Ana <b>Alvarez</b>' },
    { id: 'U2', name: '"><img src=x onerror=alert(1)>' },
  ],
  conversations: [{ id: 'C1', name: '<script>general</script>' }],
};

const ALLOWED_TAGS = new Set([
  'div',
  'span',
  'b',
  'i',
  's',
  'a',
  'br',
  'code',
  'pre',
  'time',
  'hr',
  'button',
  'template',
  'select',
  'option',
  'optgroup',
  'input',
  'textarea',
  'label',
  'small',
  'ul',
  'li',
  'blockquote',
]);
const ALLOWED_ATTRIBUTES =
  /^(class|data-[a-z-]+|href|target|rel|title|datetime|type|value|name|placeholder|maxlength|rows|selected|checked|multiple|hidden|label|autocomplete)$/;

/**
 * Every tag in `html` is one the renderer writes itself, with only its own attributes (no `on…` handlers, no
 * `style`, no `src`), and every link goes to http(s) or mailto. Attribute values are quoted and escaped, so a
 * `>` can only close a tag: scanning with a regular expression is exact here.
 */
function assertOnlyRendererMarkup(html: string): void {
  for (const [, tag = '', attrs = ''] of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    expect(ALLOWED_TAGS).toContain(tag.toLowerCase());
    for (const [, name = ''] of attrs.matchAll(/\s([^\s=]+)(?:="[^"]*")?/g)) {
      expect(name).toMatch(ALLOWED_ATTRIBUTES);
    }
    for (const [, href = ''] of attrs.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(https?:|mailto:)/);
  }
  expect(html).not.toMatch(/<script|<img|<iframe|<svg|javascript:/i);
}

const NASTY = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<javascript:alert(1)|click me>',
  '<data:text/html,<script>alert(1)</script>|x>',
  '&lt;img src=x onerror=alert(1)&gt;',
  '*<b>bold</b>* _<i>x</i>_ `<code>` ```<pre>```',
  '<@U2> <#C1|<x>> <!date^1700000000^{date} <img>|<img>>',
  '\uE0000\uE000 placeholder smuggling',
];

describe('mrkdwn', () => {
  test('user text never becomes HTML, whatever it holds', () => {
    for (const text of NASTY) {
      const html = mrkdwnHtml(text, ctx);
      assertOnlyRendererMarkup(html);
    }
    expect(mrkdwnHtml('<script>alert(1)</script>', ctx)).not.toContain('<script');
  });

  test("Slack's own escapes show as the characters, still escaped for HTML", () => {
    expect(mrkdwnHtml('a &lt;b&gt; &amp; c', ctx)).toBe('a &lt;b&gt; &amp; c');
  });

  test('links keep only http(s) and mailto targets', () => {
    expect(mrkdwnHtml('<https://example.com/?a=1&amp;b="2"|the "link">', ctx)).toBe(
      '<a href="https://example.com/?a=1&amp;b=%222%22" target="_blank" rel="noopener">the &quot;link&quot;</a>',
    );
    expect(mrkdwnHtml('<javascript:alert(1)|click>', ctx)).toBe('click');
  });

  test('mentions show names (escaped), channels their names, and formatting applies', () => {
    expect(mrkdwnHtml('*Host*\n<@U1>', ctx)).toBe(
      '<b>Host</b><br><span class="mention" data-user="U1">@Ana &lt;b&gt;Alvarez&lt;/b&gt;</span>',
    );
    expect(mrkdwnHtml('in <#C1> _soon_ ~not~ `code`', ctx)).toBe(
      'in <span class="mention">#general</span> <i>soon</i> <s>not</s> <code>code</code>',
    );
    expect(mrkdwnHtml(':warning: careful', ctx)).toBe('⚠️ careful');
  });

  test('dates show in the reader’s zone with Slack’s tokens', () => {
    // 2014-02-18T14:39:42Z is 8:39 AM in Chicago.
    const far = { ...ctx, now: new Date('2020-01-01T00:00:00Z') };
    expect(formatSlackDate(1392734382, '{date_short_pretty} at {time}', far)).toBe('Feb 18, 2014 at 8:39 AM');
    expect(formatSlackDate(1392734382, '{date_long} {time_secs}', far)).toBe(
      'Tuesday, February 18th, 2014 8:39:42 AM',
    );
    expect(formatSlackDate(1392734382, '{date_num}', far)).toBe('2014-02-18');
    const sameDay = { ...ctx, now: new Date('2014-02-18T20:00:00Z') };
    expect(formatSlackDate(1392734382, '{date_pretty} at {time}', sameDay)).toBe('today at 8:39 AM');
    const html = mrkdwnHtml('<!date^1392734382^{date_short_pretty} at {time}|Feb 18>', far);
    expect(html).toBe(
      '<time datetime="2014-02-18T14:39:42.000Z" data-epoch="1392734382" title="Feb 18">Feb 18, 2014 at 8:39 AM</time>',
    );
  });
});

describe('Block Kit → HTML', () => {
  const evil = '"><img src=x onerror=alert(1)>';
  const plain = (text: string) => ({ type: 'plain_text', text });

  test('every text and value slot of every block and element is escaped', () => {
    const blocks = [
      { type: 'header', text: plain(evil) },
      {
        type: 'section',
        block_id: evil,
        text: { type: 'mrkdwn', text: evil },
        fields: [{ type: 'mrkdwn', text: evil }, plain(evil)],
        accessory: {
          type: 'button',
          action_id: evil,
          text: plain(evil),
          value: evil,
          url: `javascript:${evil}`,
        },
      },
      { type: 'context', elements: [plain(evil), { type: 'image', image_url: evil, alt_text: evil }] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'b',
            text: plain(evil),
            value: evil,
            url: `https://x.example/${evil}`,
            confirm: {
              title: plain(evil),
              text: { type: 'mrkdwn', text: evil },
              confirm: plain(evil),
              deny: plain(evil),
            },
          },
          {
            type: 'static_select',
            action_id: 's',
            placeholder: plain(evil),
            options: [{ text: plain(evil), value: evil }],
          },
          { type: 'overflow', action_id: 'o', options: [{ text: plain(evil), value: evil }] },
        ],
      },
      {
        type: 'input',
        block_id: 'i',
        label: plain(evil),
        hint: plain(evil),
        element: {
          type: 'plain_text_input',
          action_id: 'p',
          initial_value: evil,
          placeholder: plain(evil),
          multiline: true,
        },
      },
      {
        type: 'input',
        block_id: 'j',
        label: plain('x'),
        element: { type: 'plain_text_input', action_id: 'q', initial_value: evil },
      },
      {
        type: 'input',
        block_id: 'k',
        label: plain('x'),
        element: {
          type: 'external_select',
          action_id: 'e',
          initial_option: { text: plain(evil), value: evil },
        },
      },
      {
        type: 'input',
        block_id: 'l',
        label: plain('x'),
        element: {
          type: 'checkboxes',
          action_id: 'c',
          options: [{ text: plain(evil), value: evil, description: plain(evil) }],
        },
      },
      {
        type: 'input',
        block_id: 'm',
        label: plain('x'),
        element: {
          type: 'radio_buttons',
          action_id: 'r',
          options: [{ text: { type: 'mrkdwn', text: evil }, value: evil }],
        },
      },
      {
        type: 'input',
        block_id: 'n',
        label: plain('x'),
        element: { type: 'multi_users_select', action_id: 'u' },
      },
      {
        type: 'input',
        block_id: 'o',
        label: plain('x'),
        element: { type: 'conversations_select', action_id: 'v' },
      },
      { type: 'image', image_url: evil, alt_text: evil, title: plain(evil) },
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: evil },
              { type: 'link', url: 'javascript:alert(1)', text: evil },
            ],
          },
        ],
      },
      { type: evil },
    ];
    const html = modalHtml(
      {
        id: evil,
        hash: evil,
        callback_id: evil,
        title: plain(evil),
        submit: plain(evil),
        close: plain(evil),
        blocks,
      },
      ctx,
      { i: evil },
    );
    assertOnlyRendererMarkup(html);
    // The attack text is there, as text.
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    // The javascript: URL button became a plain button; the https one kept its (escaped) URL.
    expect(html).not.toContain('data-url="javascript');
    expect(html).toContain('data-url="https://x.example/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"');
    // People and channels from the directory are escaped too.
    expect(html).toContain('&lt;script&gt;general&lt;/script&gt;');
  });

  test('a card: header, fields, context, divider, buttons with a confirmation', () => {
    const html = messageBodyHtml(
      {
        text: 'fallback',
        blocks: [
          { type: 'header', text: plain('Design review') },
          { type: 'section', fields: [{ type: 'mrkdwn', text: '*Host*\n<@U1>' }] },
          { type: 'divider' },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'Meeting ID 1234567' }] },
          {
            type: 'actions',
            block_id: 'meeting_actions',
            elements: [
              {
                type: 'button',
                action_id: 'meeting_join',
                text: plain('Join'),
                url: 'https://mm.example/meeting/?id=1',
                style: 'primary',
                value: '1',
              },
              {
                type: 'button',
                action_id: 'meeting_end',
                text: plain('End'),
                style: 'danger',
                value: '1',
                confirm: {
                  title: plain('End this meeting?'),
                  text: plain('Sure?'),
                  confirm: plain('End'),
                  deny: plain('Cancel'),
                  style: 'danger',
                },
              },
            ],
          },
        ],
      },
      ctx,
    );
    expect(html).toContain('<div class="bk-block bk-header">Design review</div>');
    expect(html).toContain('<hr>');
    expect(html).toContain(
      '<span class="bk-el el-button" data-block-id="meeting_actions" data-action-id="meeting_join" data-type="button" data-dispatch="1"><button type="button" class="bk-button primary" data-url="https://mm.example/meeting/?id=1" data-value="1">Join</button></span>',
    );
    expect(html).toContain('<template class="bk-confirm"><div class="confirm-title">End this meeting?</div>');
    expect(html).toContain('<button type="button" class="confirm danger">End</button>');
    expect(html).not.toContain('fallback');
  });

  test('a message without blocks shows its text as mrkdwn', () => {
    expect(messageBodyHtml({ text: 'Hello *there*' }, ctx)).toBe(
      '<div class="bk-text">Hello <b>there</b></div>',
    );
  });

  test('modal inputs: pickers with initial values, inline errors, optional marks', () => {
    const html = [
      blockHtml(
        {
          type: 'input',
          block_id: 'd',
          label: plain('Date'),
          element: { type: 'datepicker', action_id: 'dp', initial_date: '2026-03-02' },
        },
        ctx,
        { d: 'That start is in the past.' },
      ),
      blockHtml(
        {
          type: 'input',
          block_id: 't',
          optional: true,
          label: plain('Time'),
          element: { type: 'timepicker', action_id: 'tp', initial_time: '09:30' },
        },
        ctx,
      ),
      blockHtml(
        {
          type: 'input',
          block_id: 'dt',
          label: plain('When'),
          element: { type: 'datetimepicker', action_id: 'dtp', initial_date_time: 1772470800 },
        },
        ctx,
      ),
      blockHtml(
        {
          type: 'input',
          block_id: 'c',
          label: plain('Post in'),
          element: { type: 'conversations_select', action_id: 'cs', default_to_current_conversation: true },
        },
        { ...ctx, currentConversation: 'C1' },
      ),
    ].join('');
    expect(html).toContain('<input type="date" value="2026-03-02">');
    expect(html).toContain('<div class="bk-error">That start is in the past.</div>');
    expect(html).toContain('<span class="optional">(optional)</span>');
    expect(html).toContain('<input type="time" value="09:30">');
    // 2026-03-02T17:00:00Z is 11:00 in Chicago (CST).
    expect(html).toContain('<input type="datetime-local" value="2026-03-02T11:00">');
    expect(html).toContain('<option value="C1" selected>');
  });
});
