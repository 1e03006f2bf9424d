/**
 * parseExternalGuests: the external guests typed one per line in the scheduling form and the guest manager. Every
 * accepted form, the exact line shown for each bad one, and the cap. Pure.
 */
import { MAX_EXTERNAL_GUESTS, parseExternalGuests } from '../../src/domain/guest-spec.js';

const ATTENDEE = [
  'webcam',
  'microphone',
  'screenSharing',
  'chat',
  'fileUpload',
  'fileDownload',
  'webVideoPlayer',
];

function one(line: string): { name: string; email: string | null } {
  const { guests, problems } = parseExternalGuests(line);
  expect(problems).toEqual([]);
  expect(guests).toHaveLength(1);
  const [g] = guests;
  return { name: String(g?.name), email: g?.email ?? null };
}

test.each([
  ['Jane Doe <jane@example.com>', 'Jane Doe', 'jane@example.com'],
  ['Jane Doe<jane@example.com>', 'Jane Doe', 'jane@example.com'],
  ['Jane Doe, jane@example.com', 'Jane Doe', 'jane@example.com'],
  ['Jane Doe; jane@example.com', 'Jane Doe', 'jane@example.com'],
  ['Jane Doe jane@example.com', 'Jane Doe', 'jane@example.com'],
  ['"Doe, Jane" <jane@example.com>', 'Doe, Jane', 'jane@example.com'],
  ['Jane Doe < jane@example.com >', 'Jane Doe', 'jane@example.com'],
  ['Jane Doe,;, <jane@example.com>', 'Jane Doe', 'jane@example.com'],
  ['" Jane Doe" <jane@example.com>', 'Jane Doe', 'jane@example.com'],
  ['Jane "JJ" Doe <jane@example.com>', 'Jane "JJ" Doe', 'jane@example.com'],
  ['Jane;" <jane@example.com>', 'Jane', 'jane@example.com'],
  ['jane@example.com', 'jane', 'jane@example.com'],
  ['<jane@example.com>', 'jane', 'jane@example.com'],
  ['Jane <Jane.Doe@Example.COM>', 'Jane', 'jane.doe@example.com'],
  ['  Jane   <jane@example.com>  ', 'Jane', 'jane@example.com'],
])('%j → %j <%s>', (line, name, email) => {
  expect(one(line)).toEqual({ name, email });
});

test('every guest is external, with the default attendee permissions (no moderator) or the ones given', () => {
  expect(parseExternalGuests('Jane <jane@example.com>').guests).toEqual([
    { slackUserId: null, name: 'Jane', email: 'jane@example.com', permissions: ATTENDEE },
  ]);
  expect(parseExternalGuests('jane@example.com', ['chat']).guests[0]?.permissions).toEqual(['chat']);
});

test('one guest per line, any line ending; blank lines are skipped and not counted', () => {
  const { guests, problems } = parseExternalGuests(
    '\n a@example.com \r\n\r\nB <b@example.com>\n  \nc@example.com\n',
  );
  expect(problems).toEqual([]);
  expect(guests.map((g) => [g.name, g.email])).toEqual([
    ['a', 'a@example.com'],
    ['B', 'b@example.com'],
    ['c', 'c@example.com'],
  ]);
  expect(parseExternalGuests('').guests).toEqual([]);
  expect(parseExternalGuests('\n \n').problems).toEqual([]);
});

test('a bad line is named by its number among the non-blank lines, cut to 60 characters, and skipped', () => {
  const long = `Someone with a very long name and no address at all, really ${'x'.repeat(20)}`;
  const { guests, problems } = parseExternalGuests(
    `a@example.com\n\nJohn <john-at-example>\n${long}\nb@example.com`,
  );
  expect(guests.map((g) => g.email)).toEqual(['a@example.com', 'b@example.com']);
  expect(problems).toEqual([
    'Line 2 ("John <john-at-example>") needs a valid email, like: Jane Doe <jane@example.com>',
    `Line 3 ("${long.slice(0, 60)}") needs a valid email, like: Jane Doe <jane@example.com>`,
  ]);
});

test.each([
  'John <john@>',
  'John <@example.com>',
  'John <john@example>',
  'John <john@@example.com>',
  'John <john@exa mple.com>',
  'John john@example.com trailing',
])('no valid email: %j', (line) => {
  const { guests, problems } = parseExternalGuests(line);
  expect(guests).toEqual([]);
  expect(problems).toEqual([`Line 1 ("${line}") needs a valid email, like: Jane Doe <jane@example.com>`]);
});

test('an address listed twice (in any case) is added once and the repeat named', () => {
  const { guests, problems } = parseExternalGuests('Jane <jane@example.com>\nJ. Doe <JANE@example.com>');
  expect(guests.map((g) => g.name)).toEqual(['Jane']);
  expect(problems).toEqual(['Line 2: jane@example.com is listed twice']);
});

test(`at most ${MAX_EXTERNAL_GUESTS} at a time: ${MAX_EXTERNAL_GUESTS} pass, one more is a problem`, () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `g${i}@example.com`).join('\n');
  expect(MAX_EXTERNAL_GUESTS).toBe(50);
  expect(parseExternalGuests(lines(50)).problems).toEqual([]);
  const over = parseExternalGuests(lines(51));
  expect(over.guests).toHaveLength(51);
  expect(over.problems).toEqual(['At most 50 external guests at a time']);
});
