/**
 * User text (titles, names) in a message's `text` fallback, which notifications and mobile show: escaped like in
 * blocks, so a title such as `<!channel>` never pings a channel and a disguised link never renders as one.
 */
import {
  buildAccessDecided,
  buildAccessDenied,
  buildAccessRequest,
  buildGuestRemoved,
  buildInviteReport,
  buildPersonalLink,
} from '../../src/views/guests.js';
import { buildInvitation, buildReminder } from '../../src/views/invitation.js';
import { buildMeetingCard, cardFallbackText, type MeetingCardData } from '../../src/views/meeting-card.js';
import {
  buildRecordingFailedMessage,
  buildRecordingReadyMessage,
  buildRecordingRetryingMessage,
} from '../../src/views/recordings.js';
import { userText } from '../../src/views/text.js';

const HOSTILE = 'Sync <!channel> <@UEVIL0001> <https://evil.example|click here> & more';

/** No control sequence of the hostile title is live: each `<` arrives as `&lt;`. */
function expectInert(text: string): void {
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<@UEVIL0001>');
  expect(text).not.toContain('<https://evil');
  expect(text).toContain('&lt;!channel&gt;');
}

const card: MeetingCardData = {
  meetId: '1234567',
  title: HOSTILE,
  hostSlackUserId: 'U0HOST0001',
  kind: 'scheduled',
  status: 'scheduled',
  start: new Date('2030-01-02T15:00:00Z'),
  end: new Date('2030-01-02T16:00:00Z'),
  timeZone: 'UTC',
  joinUrl: 'https://mm.example/meeting/?id=1234567',
};

test('userText cuts, then escapes & < > (an entity is never cut in half)', () => {
  expect(userText('<!here> & co', 100)).toBe('&lt;!here&gt; &amp; co');
  expect(userText('ab<cd', 3)).toBe('ab…');
});

test.each([
  ['the channel card (live)', () => cardFallbackText({ ...card, kind: 'instant', status: 'live' })],
  ['the channel card (scheduled)', () => cardFallbackText(card)],
  ['the channel card (ended)', () => cardFallbackText({ ...card, status: 'ended' })],
  ['the reminder', () => buildReminder(card, 10).text],
  ['the DM invitation', () => buildInvitation(card, card.joinUrl).text],
  [
    'the personal-link DM',
    () =>
      buildPersonalLink({
        meetId: card.meetId,
        title: HOSTILE,
        hostSlackUserId: card.hostSlackUserId,
        start: card.start,
        kind: 'secure',
        link: 'https://mm.example/meeting/?key=k',
        reason: 'approved',
      }).text,
  ],
  [
    'the access request',
    () => buildAccessRequest({ meetId: '1', title: HOSTILE, requesterId: 'U0REQ00001' }).text,
  ],
  [
    'the access decision',
    () =>
      buildAccessDecided({ meetId: '1', title: HOSTILE, requesterId: 'U1', decidedBy: 'U2', approved: true })
        .text,
  ],
  ['the denial', () => buildAccessDenied({ meetId: '1', title: HOSTILE }).text],
  ['the removal', () => buildGuestRemoved({ meetId: '1', title: HOSTILE, hostSlackUserId: 'U1' }).text],
  [
    'the invite report',
    () =>
      buildInviteReport({
        meetId: '1',
        title: HOSTILE,
        added: [],
        existing: [],
        failed: [],
        notDelivered: [],
      }).text,
  ],
  [
    'the recording DMs',
    () => {
      const data = {
        recId: 'r1',
        meetId: '1',
        title: HOSTILE,
        recordedAt: null,
        recordedAtRaw: '<!here>',
        downloadUrl: 'https://mm.example/d',
        playUrl: null,
      };
      return [
        buildRecordingReadyMessage(data),
        buildRecordingFailedMessage(data),
        buildRecordingRetryingMessage(data),
      ]
        .map((m) => m.text)
        .join('\n');
    },
  ],
])('%s: a hostile title is inert in `text`', (_what, build) => {
  expectInert(build());
});

test('the card blocks keep the title as typed in the plain-text header (not parsed by Slack)', () => {
  const header = buildMeetingCard(card)[0] as { text: { type: string; text: string } };
  expect(header.text.type).toBe('plain_text');
  expect(header.text.text).toBe(HOSTILE);
});
