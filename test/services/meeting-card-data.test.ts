/**
 * From a stored meeting to what its card, reminder and invitation show (src/services/meeting-card-data.ts): the
 * public join link (never for secure meetings or webinars, whose links are personal) and the Slack call the card
 * shows (only once Slack gave it: added, ending or ended). Pure; part of the `surfaces-unit` mutation scope.
 */
import { meetingCardData, meetingJoinUrl } from '../../src/services/meeting-card-data.js';
import type { MeetingCallState, MeetingRecord } from '../../src/store/types.js';

const BASE = 'https://acme.megameeting.example/';
const start = new Date('2026-12-08T15:00:00Z');
const record: MeetingRecord = {
  teamId: 'T0TEAM0001',
  meetId: '1234567',
  channelId: 'C0CHAN0001',
  messageTs: '1700000000.000100',
  cardDelivery: 'chat',
  hostSlackUserId: 'U0HOST0001',
  hostLoginId: 'L1',
  title: 'Design review',
  kind: 'scheduled',
  startAt: start,
  endAt: new Date(start.getTime() + 3_600_000),
  timeZone: 'America/Chicago',
  status: 'scheduled',
  reminders: [],
  options: {},
  createdAt: start,
  updatedAt: start,
  endedAt: null,
  absentSince: null,
  callId: 'R00000001',
  callState: 'added',
};

test('the public join link for instant and scheduled meetings; none for secure meetings and webinars', () => {
  expect(meetingJoinUrl(BASE, { meetId: '1234567', kind: 'instant' })).toBe(
    'https://acme.megameeting.example/meeting/?id=1234567',
  );
  expect(meetingJoinUrl(BASE, { meetId: '1234567', kind: 'scheduled' })).toBe(
    'https://acme.megameeting.example/meeting/?id=1234567',
  );
  expect(meetingJoinUrl(BASE, { meetId: '1234567', kind: 'secure' })).toBeNull();
  expect(meetingJoinUrl(BASE, { meetId: '1234567', kind: 'webinar' })).toBeNull();
});

test("the card's data: the meeting's fields, its join link and its call", () => {
  expect(meetingCardData(BASE, record)).toEqual({
    meetId: '1234567',
    title: 'Design review',
    hostSlackUserId: 'U0HOST0001',
    kind: 'scheduled',
    status: 'scheduled',
    start,
    end: new Date(start.getTime() + 3_600_000),
    timeZone: 'America/Chicago',
    joinUrl: 'https://acme.megameeting.example/meeting/?id=1234567',
    endedAt: null,
    callId: 'R00000001',
  });
  const ended = new Date(start.getTime() + 1_800_000);
  expect(meetingCardData(BASE, { ...record, kind: 'secure', status: 'ended', endedAt: ended })).toMatchObject(
    {
      kind: 'secure',
      status: 'ended',
      joinUrl: null,
      endedAt: ended,
    },
  );
});

test('the call only once Slack gave it (added, ending, ended); never one asked for, failed or refused', () => {
  const shown = (callState: MeetingCallState | null) =>
    meetingCardData(BASE, { ...record, callState }).callId;
  for (const s of ['added', 'ending', 'ended'] as const) expect(shown(s)).toBe('R00000001');
  for (const s of [null, 'adding', 'failed', 'none'] as const) expect(shown(s)).toBeNull();
});

test('what the caller adds wins (who ended it, a call to leave out)', () => {
  expect(meetingCardData(BASE, record, { endedBy: 'U0ADMIN001', callId: null })).toMatchObject({
    endedBy: 'U0ADMIN001',
    callId: null,
    title: 'Design review',
  });
});
