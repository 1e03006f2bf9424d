import { ACTIONS } from '../../src/views/ids.js';
import { buildInvitation, buildReminder } from '../../src/views/invitation.js';
import { buildMeetingCard, cardFallbackText, type MeetingCardData } from '../../src/views/meeting-card.js';
import { buildHelp, buildMeetingList, type ListItem } from '../../src/views/messages.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';

const start = new Date('2026-03-10T15:00:00Z');
const base: MeetingCardData = {
  meetId: '1234567',
  title: 'Design review',
  hostSlackUserId: 'U0HOST0001',
  kind: 'scheduled',
  status: 'scheduled',
  start,
  end: new Date(start.getTime() + 45 * 60_000),
  timeZone: 'America/New_York',
  joinUrl: 'https://myaccount.megameeting.com/meeting/?id=1234567',
};

type Block = {
  type: string;
  elements?: Array<{ action_id?: string; url?: string; text?: unknown }>;
  text?: { text: string };
};
const actionIds = (blocks: unknown[]) =>
  (blocks as Block[]).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []).map((e) => e.action_id) : [],
  );

describe('channel card', () => {
  test('a scheduled meeting: title, host, local-time tokens, ID, zone in words, Join/Edit/End', () => {
    const blocks = buildMeetingCard(base);
    assertValidMessageBlocks(blocks);
    const json = JSON.stringify(blocks);
    expect(json).toContain('Design review');
    expect(json).toContain('<@U0HOST0001>');
    expect(json).toContain(`<!date^${start.getTime() / 1000}^`);
    expect(json).toContain(`<!date^${start.getTime() / 1000 + 45 * 60}^{time}`);
    expect(json).toContain('1234567');
    expect(json).toContain('America/New_York (EDT, UTC-04:00)');
    expect(json).toContain('45 min');
    expect(actionIds(blocks)).toEqual([ACTIONS.join, ACTIONS.edit, ACTIONS.end]);
  });

  test('with a Slack call: the call block after the details, live and still there once ended', () => {
    const live = buildMeetingCard({ ...base, kind: 'instant', status: 'live', callId: 'R0000042' });
    assertValidMessageBlocks(live);
    expect((live as Block[]).map((b) => b.type)).toEqual(['header', 'section', 'call', 'actions']);
    expect(live[2]).toEqual({ type: 'call', call_id: 'R0000042' });
    const ended = buildMeetingCard({ ...base, kind: 'instant', status: 'ended', callId: 'R0000042' });
    assertValidMessageBlocks(ended);
    expect(ended).toContainEqual({ type: 'call', call_id: 'R0000042' });
    expect(actionIds(ended)).toEqual([]);
    // No call id, no call block.
    expect(JSON.stringify(buildMeetingCard({ ...base, callId: null }))).not.toContain('"call"');
  });

  test('an instant meeting has Join and End, no Edit', () => {
    const blocks = buildMeetingCard({ ...base, kind: 'instant', status: 'live' });
    assertValidMessageBlocks(blocks);
    expect(actionIds(blocks)).toEqual([ACTIONS.join, ACTIONS.end]);
    expect(JSON.stringify(blocks)).toContain('Started <!date^');
  });

  test('an ended meeting has no buttons and says who ended it', () => {
    const blocks = buildMeetingCard({ ...base, status: 'ended', endedBy: 'U0ADMIN001', endedAt: start });
    assertValidMessageBlocks(blocks);
    expect(actionIds(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('has ended by <@U0ADMIN001>');
    expect(cardFallbackText({ ...base, status: 'ended' })).toContain('has ended');
  });

  test('secure meetings and webinars never carry a join link', () => {
    const secure = buildMeetingCard({ ...base, kind: 'secure', joinUrl: null });
    expect(JSON.stringify(secure)).not.toContain('meeting/?');
    expect(actionIds(secure)).toEqual([
      ACTIONS.requestAccess,
      ACTIONS.manageGuests,
      ACTIONS.edit,
      ACTIONS.end,
    ]);
    const webinar = buildMeetingCard({ ...base, kind: 'webinar', joinUrl: null, registrantCount: 3 });
    expect(actionIds(webinar)).toEqual([ACTIONS.register, ACTIONS.manageGuests, ACTIONS.edit, ACTIONS.end]);
    expect(JSON.stringify(webinar)).toContain('*Registered*\\n3');
    assertValidMessageBlocks(secure);
    assertValidMessageBlocks(webinar);
  });

  test('a secure meeting with no guests yet says so; with guests it explains personal links', () => {
    const none = JSON.stringify(buildMeetingCard({ ...base, kind: 'secure', joinUrl: null, guestCount: 0 }));
    expect(none).toContain('No verified guests yet');
    const some = JSON.stringify(buildMeetingCard({ ...base, kind: 'secure', joinUrl: null, guestCount: 2 }));
    expect(some).toContain('personal link sent to them privately');
  });

  test('a long, hostile title stays within Slack limits and is escaped in mrkdwn', () => {
    const title = `<!channel> & ${'x'.repeat(5000)}`;
    const blocks = buildMeetingCard({ ...base, title });
    assertValidMessageBlocks(blocks);
    const header = (blocks[0] as { text: { text: string } }).text.text;
    expect(Array.from(header).length).toBeLessThanOrEqual(150);
    const invitation = buildInvitation({ ...base, title }, base.joinUrl);
    assertValidMessageBlocks(invitation.blocks);
    expect(JSON.stringify(invitation.blocks)).not.toContain('<!channel>');
  });

  test('the reminder carries the Join button for open meetings only', () => {
    const open = buildReminder(base, 10);
    assertValidMessageBlocks(open.blocks);
    expect(actionIds(open.blocks)).toEqual([ACTIONS.join]);
    expect(open.text).toContain('10 minutes');
    expect(actionIds(buildReminder({ ...base, kind: 'secure', joinUrl: null }, 10).blocks)).toEqual([]);
  });
});

describe('list and help', () => {
  const item = (i: number): ListItem => ({
    meetId: String(1000000 + i),
    title: `Meeting ${i}`,
    kind: i % 2 ? 'scheduled' : 'instant',
    status: i % 2 ? 'scheduled' : 'live',
    start: new Date(start.getTime() + i * 3_600_000),
    end: null,
    joinUrl: `https://x.example/meeting/?id=${1000000 + i}`,
  });

  test('an empty list says how to start', () => {
    expect(buildMeetingList([]).text).toContain('/meet schedule');
  });

  test('many meetings stay within 50 blocks with unique IDs', () => {
    const list = buildMeetingList(Array.from({ length: 60 }, (_, i) => item(i)));
    assertValidMessageBlocks(list.blocks);
    expect(list.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(list.blocks)).toContain('more');
  });

  test('help is valid', () => {
    assertValidMessageBlocks(buildHelp().blocks);
  });
});
