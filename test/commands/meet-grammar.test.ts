import { parseMeetCommand, unescapeSlackText } from '../../src/commands/meet-grammar.js';

describe('/meet grammar', () => {
  test.each([
    ['', { kind: 'create', title: '', mentions: [] }],
    ['   ', { kind: 'create', title: '', mentions: [] }],
    ['Design sync', { kind: 'create', title: 'Design sync', mentions: [] }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['recordings', { kind: 'recordings' }],
    ['end 1234567', { kind: 'end', meetId: '1234567' }],
    ['guests 7654321', { kind: 'guests', meetId: '7654321' }],
    ['account', { kind: 'account' }],
    [
      'account <@U123ABC|ana> 5bf55555ac033142f8457264',
      { kind: 'account_set', slackUserId: 'U123ABC', loginId: '5bf55555ac033142f8457264' },
    ],
    ['admin', { kind: 'admin' }],
    ['  ADMIN  ', { kind: 'admin' }],
    ['connect', { kind: 'connect' }],
    ['Connect', { kind: 'connect' }],
    ['disconnect', { kind: 'disconnect' }],
    ['schedule', { kind: 'schedule', preset: 'meeting', title: '' }],
    ['schedule Quarterly planning', { kind: 'schedule', preset: 'meeting', title: 'Quarterly planning' }],
    ['webinar Launch day', { kind: 'schedule', preset: 'webinar', title: 'Launch day' }],
    ['secure Patient intake', { kind: 'schedule', preset: 'secure', title: 'Patient intake' }],
  ])('%j', (text, expected) => {
    expect(parseMeetCommand(text)).toEqual(expected);
  });

  test.each([
    ['end of quarter review', 'end of quarter review'],
    ['end', 'end'],
    ['end 12ab', 'end 12ab'],
    ['list of ideas', 'list of ideas'],
    ['help me plan', 'help me plan'],
    ['guests of honour', 'guests of honour'],
    ['account review', 'account review'],
    ['account <@U1> not a login id!', 'account not a login id!'],
    ['recordings review', 'recordings review'],
    ['admin sync', 'admin sync'],
    ['connect with design', 'connect with design'],
    ['disconnect retro', 'disconnect retro'],
    ['admin ana@example.com', 'admin ana@example.com'],
  ])('a subcommand word whose arguments do not fit is a title: %j', (text, title) => {
    const intent = parseMeetCommand(text);
    expect(intent.kind).toBe('create');
    expect(intent).toMatchObject({ title });
  });

  test.each([
    ['end 1234', { kind: 'end', meetId: '1234' }],
    ['end 123456789012', { kind: 'end', meetId: '123456789012' }],
    ['guests 1234', { kind: 'guests', meetId: '1234' }],
    ['account <@U1> abcd', { kind: 'account_set', slackUserId: 'U1', loginId: 'abcd' }],
  ])('boundary accepted: %j', (text, expected) => {
    expect(parseMeetCommand(text)).toEqual(expected);
  });

  test.each([
    ['end 1', 'end 1'],
    ['end 123', 'end 123'],
    ['end 1234567890123', 'end 1234567890123'],
    ['guests 123', 'guests 123'],
    // Never end a meeting the user did not clearly name.
    ['end 1234567 review', 'end 1234567 review'],
    ['guests 1234567 please', 'guests 1234567 please'],
    ['account <@U1> a', 'account a'],
    ['account <@U1> abc', 'account abc'],
    ['account <@U1> abcd extra', 'account abcd extra'],
  ])('boundary refused, so it is a meeting title: %j', (text, title) => {
    expect(parseMeetCommand(text)).toEqual({
      kind: 'create',
      title,
      mentions: text.includes('<@U1>') ? ['U1'] : [],
    });
  });

  test('mentions become invitees and leave the title', () => {
    expect(parseMeetCommand('<@U111|ana> <@W222> Design sync')).toEqual({
      kind: 'create',
      title: 'Design sync',
      mentions: ['U111', 'W222'],
    });
    expect(parseMeetCommand('<@U111> <@U111>')).toEqual({ kind: 'create', title: '', mentions: ['U111'] });
  });

  test('Slack escapes are undone in titles', () => {
    expect(parseMeetCommand('R&amp;D &lt;sync&gt; in <#C123|general>')).toMatchObject({
      title: 'R&D <sync> in #general',
    });
    expect(unescapeSlackText('see <https://x.example|the doc>')).toBe('see the doc');
  });

  test.each([
    ['account <@U1> !!abcd', 'account !!abcd'],
    ['account <@U1> abcd!!', 'account abcd!!'],
    ['account x<@U1> abcd', 'account x abcd'],
    ['account <@U1>x abcd', 'account x abcd'],
  ])('a login ID or mention with anything around it is not an account link: %j', (text, title) => {
    expect(parseMeetCommand(text)).toEqual({ kind: 'create', title, mentions: ['U1'] });
  });

  test('user groups, links and mentions glued to words become readable text', () => {
    expect(parseMeetCommand('<!subteam^S12AB|@design> review')).toMatchObject({ title: '@design review' });
    expect(parseMeetCommand('<@U1>Design<@U2>sync')).toEqual({
      kind: 'create',
      title: 'Design sync',
      mentions: ['U1', 'U2'],
    });
    expect(unescapeSlackText('<http://x.example/a|the doc> and <https://y.example/b>')).toBe(
      'the doc and https://y.example/b',
    );
  });

  test('hostile text stays plain text', () => {
    const hostile = '") { status } } mutation { deleteLogin(loginId: "x") { status } }';
    expect(parseMeetCommand(hostile)).toEqual({ kind: 'create', title: hostile, mentions: [] });
  });
});
