/**
 * The Store contract, run against both adapters: SQLite in a temp file and Postgres in a database created
 * for this file (see helpers.ts). One database per adapter for the whole file, emptied between tests; the
 * migration tests make their own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  DatabaseUrlError,
  LATEST_SCHEMA_VERSION,
  migrateDatabase,
  openStore,
  type StoreLogger,
  StoreOpenError,
} from '../../src/store/index.js';
import {
  type GuestRecord,
  type NewMeeting,
  type NewRecording,
  type Store,
  StoreConflictError,
  type UserLink,
} from '../../src/store/types.js';
import { createTestDatabase, execSql, type TestDatabase, testDialects, useStorePair } from './helpers.js';

const DIALECTS = testDialects();
const ROUNDS = 50;

const TEAM = 'T0001';
const OTHER_TEAM = 'T0002';
const T0 = new Date('2025-03-01T10:00:00.123Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function link(over: Partial<UserLink> = {}): UserLink {
  return {
    teamId: TEAM,
    slackUserId: 'U1',
    loginId: 'login-1',
    email: 'ana@example.com',
    source: 'email_match',
    linkedBy: null,
    linkedAt: T0,
    ...over,
  };
}

function meeting(over: Partial<NewMeeting> = {}): NewMeeting {
  return {
    teamId: TEAM,
    meetId: '1001',
    channelId: 'C1',
    messageTs: '1700000000.000100',
    cardDelivery: 'chat',
    hostSlackUserId: 'U1',
    hostLoginId: 'login-1',
    title: 'Weekly sync',
    kind: 'scheduled',
    startAt: at(3_600_000),
    endAt: at(7_200_000),
    timeZone: 'America/Chicago',
    status: 'scheduled',
    reminders: [{ channelId: 'C1', scheduledMessageId: 'Q1', postAt: at(3_000_000) }],
    options: { requireVerification: false, webinarRegistration: true },
    createdAt: T0,
    ...over,
  };
}

function guest(over: Partial<GuestRecord> = {}): GuestRecord {
  return {
    teamId: TEAM,
    meetId: '1001',
    slackUserId: null,
    email: 'guest@example.org',
    name: 'Gina Guest',
    permissions: ['chat', 'webcam'],
    role: 'guest',
    guestKey: 'key-secret-1',
    addedBy: 'U1',
    addedAt: T0,
    ...over,
  };
}

function recording(over: Partial<NewRecording> = {}): NewRecording {
  return {
    recId: 'R1',
    meetId: '1001',
    accId: 'A1',
    alId: 'AL1',
    teamId: TEAM,
    hostSlackUserId: 'U1',
    ...over,
  };
}

/** Runs the calls at once and returns how many resolved to true. */
async function winners(calls: (() => Promise<boolean>)[]): Promise<number> {
  const results = await Promise.all(calls.map((c) => c()));
  return results.filter(Boolean).length;
}

function captureLogger(): StoreLogger & { messages: string[] } {
  const messages: string[] = [];
  const log = (_obj: object, msg?: string) => {
    messages.push(msg ?? '');
  };
  return { messages, debug: log, info: log, warn: log, error: log };
}

describe.each(DIALECTS)('Store contract on %s', (dialect) => {
  let db: TestDatabase;
  let store: Store;
  /** A second instance on the same database: its own connection (SQLite) or pool (Postgres). */
  let other: Store;
  useStorePair(dialect, (pair) => ({ db, store, other } = pair));

  test('reports its dialect', () => {
    expect(store.dialect).toBe(dialect);
  });

  describe('user links', () => {
    test('absent link is null', async () => {
      expect(await store.getUserLink(TEAM, 'U404')).toBeNull();
    });

    test('upsert inserts, then replaces the link of (team, Slack user)', async () => {
      const first = await store.upsertUserLink(link({ email: 'Ana@Example.COM' }));
      expect(first).toEqual(link({ email: 'ana@example.com' }));
      expect(await store.getUserLink(TEAM, 'U1')).toEqual(first);

      const replaced = await store.upsertUserLink(
        link({ loginId: 'login-9', email: null, source: 'admin', linkedBy: 'UADMIN', linkedAt: at(1000) }),
      );
      expect(replaced).toEqual(
        link({ loginId: 'login-9', email: null, source: 'admin', linkedBy: 'UADMIN', linkedAt: at(1000) }),
      );
      expect(await other.getUserLink(TEAM, 'U1')).toEqual(replaced);
      expect(await store.findUserLinksByLoginId(TEAM, 'login-1')).toEqual([]);
    });

    test('links are per team', async () => {
      await store.upsertUserLink(link());
      await store.upsertUserLink(link({ teamId: OTHER_TEAM, loginId: 'login-2', source: 'provisioned' }));
      expect((await store.getUserLink(TEAM, 'U1'))?.loginId).toBe('login-1');
      expect((await store.getUserLink(OTHER_TEAM, 'U1'))?.loginId).toBe('login-2');
    });

    test('findUserLinksByLoginId within a team or across teams', async () => {
      await store.upsertUserLink(link({ slackUserId: 'U1' }));
      await store.upsertUserLink(link({ slackUserId: 'U2', linkedAt: at(5) }));
      await store.upsertUserLink(link({ teamId: OTHER_TEAM, slackUserId: 'U7' }));
      await store.upsertUserLink(link({ slackUserId: 'U3', loginId: 'someone-else' }));

      const inTeam = await store.findUserLinksByLoginId(TEAM, 'login-1');
      expect(inTeam.map((l) => l.slackUserId)).toEqual(['U1', 'U2']);
      const anywhere = await store.findUserLinksByLoginId(null, 'login-1');
      expect(anywhere.map((l) => `${l.teamId}/${l.slackUserId}`).sort()).toEqual([
        'T0001/U1',
        'T0001/U2',
        'T0002/U7',
      ]);
      expect(await store.findUserLinksByLoginId(null, 'nobody')).toEqual([]);
    });

    test('delete reports whether a link went', async () => {
      await store.upsertUserLink(link());
      expect(await store.deleteUserLink(TEAM, 'U1')).toBe(true);
      expect(await store.deleteUserLink(TEAM, 'U1')).toBe(false);
      expect(await store.getUserLink(TEAM, 'U1')).toBeNull();
    });
  });

  describe('meetings', () => {
    test('insert and read back every field exactly (ms precision, zone, JSON fields)', async () => {
      const inserted = await store.insertMeeting(meeting());
      const expected = {
        ...meeting(),
        createdAt: T0,
        updatedAt: T0,
        endedAt: null,
        absentSince: null,
        callId: null,
        callState: null,
      };
      expect(inserted).toEqual(expected);
      expect(await store.getMeeting(TEAM, '1001')).toEqual(expected);
      expect(await other.getMeeting(TEAM, '1001')).toEqual(expected);
    });

    test('nullable fields and defaults', async () => {
      const before = Date.now();
      const { createdAt: _omit, ...withoutCreatedAt } = meeting({
        channelId: null,
        messageTs: null,
        cardDelivery: 'response_url',
        endAt: null,
        reminders: [],
        options: {},
        kind: 'instant',
        status: 'live',
      });
      const m = await store.insertMeeting(withoutCreatedAt);
      expect(m.createdAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(m.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(m.updatedAt).toEqual(m.createdAt);
      expect(await store.getMeeting(TEAM, '1001')).toMatchObject({
        channelId: null,
        messageTs: null,
        cardDelivery: 'response_url',
        endAt: null,
        reminders: [],
        options: {},
      });
    });

    test('a duplicate (team, meetId) is a StoreConflictError; another team may reuse the meetId', async () => {
      await store.insertMeeting(meeting());
      const dup = other.insertMeeting(meeting({ title: 'again' }));
      await expect(dup).rejects.toBeInstanceOf(StoreConflictError);
      await expect(store.insertMeeting(meeting())).rejects.toMatchObject({ code: 'conflict' });
      expect((await store.getMeeting(TEAM, '1001'))?.title).toBe('Weekly sync');

      await store.insertMeeting(meeting({ teamId: OTHER_TEAM, title: 'theirs' }));
      expect((await store.getMeeting(OTHER_TEAM, '1001'))?.title).toBe('theirs');
    });

    test('getMeeting is per team; findMeetingByMeetId looks in every team', async () => {
      await store.insertMeeting(meeting({ teamId: OTHER_TEAM }));
      expect(await store.getMeeting(TEAM, '1001')).toBeNull();
      expect((await store.findMeetingByMeetId('1001'))?.teamId).toBe(OTHER_TEAM);
      expect(await store.findMeetingByMeetId('404')).toBeNull();
    });

    test('updateMeeting applies only the given fields and stamps updatedAt', async () => {
      await store.insertMeeting(meeting());
      const updated = await store.updateMeeting(
        TEAM,
        '1001',
        {
          title: 'Renamed',
          messageTs: null,
          cardDelivery: 'none',
          startAt: at(10_000),
          endAt: null,
          timeZone: 'Europe/Madrid',
          reminders: [],
          options: { requireVerification: true },
          channelId: 'C2',
        },
        at(500),
      );
      expect(updated).toEqual({
        ...meeting(),
        title: 'Renamed',
        messageTs: null,
        cardDelivery: 'none',
        startAt: at(10_000),
        endAt: null,
        timeZone: 'Europe/Madrid',
        reminders: [],
        options: { requireVerification: true },
        channelId: 'C2',
        createdAt: T0,
        updatedAt: at(500),
        endedAt: null,
        absentSince: null,
        callId: null,
        callState: null,
      });
      expect(await store.getMeeting(TEAM, '1001')).toEqual(updated);

      const touched = await store.updateMeeting(TEAM, '1001', {}, at(600));
      expect(touched).toEqual({ ...updated, updatedAt: at(600) });
      expect(await store.updateMeeting(TEAM, '404', { title: 'x' }, at(1))).toBeNull();
      expect(await store.updateMeeting(OTHER_TEAM, '1001', { title: 'x' }, at(1))).toBeNull();
    });

    test('status ended stamps endedAt once unless given', async () => {
      await store.insertMeeting(meeting());
      const ended = await store.updateMeeting(TEAM, '1001', { status: 'ended' }, at(1000));
      expect(ended).toMatchObject({ status: 'ended', endedAt: at(1000), updatedAt: at(1000) });
      const again = await store.updateMeeting(TEAM, '1001', { status: 'ended' }, at(2000));
      expect(again).toMatchObject({ endedAt: at(1000), updatedAt: at(2000) });
      const explicit = await store.updateMeeting(
        TEAM,
        '1001',
        { status: 'ended', endedAt: at(42) },
        at(3000),
      );
      expect(explicit?.endedAt).toEqual(at(42));
      const live = await store.updateMeeting(TEAM, '1001', { status: 'live', endedAt: null });
      expect(live).toMatchObject({ status: 'live', endedAt: null });
      expect(live?.updatedAt.getTime()).toBeGreaterThan(at(3000).getTime()); // default now
    });

    test('listMeetingsByHost and listMeetings: filtered by team, host and status, soonest first', async () => {
      await store.insertMeeting(meeting({ meetId: 'late', startAt: at(9000) }));
      await store.insertMeeting(meeting({ meetId: 'early', startAt: at(1000), status: 'live' }));
      await store.insertMeeting(meeting({ meetId: 'done', startAt: at(500), status: 'ended' }));
      await store.insertMeeting(meeting({ meetId: 'ben', startAt: at(2000), hostSlackUserId: 'U2' }));
      await store.insertMeeting(meeting({ meetId: 'elsewhere', teamId: OTHER_TEAM }));

      const ids = (ms: { meetId: string }[]) => ms.map((m) => m.meetId);
      expect(ids(await store.listMeetingsByHost(TEAM, 'U1', ['scheduled', 'live']))).toEqual([
        'early',
        'late',
      ]);
      expect(ids(await store.listMeetingsByHost(TEAM, 'U1', ['ended']))).toEqual(['done']);
      expect(ids(await store.listMeetingsByHost(TEAM, 'U1', []))).toEqual([]);
      expect(ids(await store.listMeetings(TEAM, ['scheduled', 'live']))).toEqual(['early', 'ben', 'late']);
      expect(ids(await store.listMeetings(TEAM, ['scheduled', 'live', 'ended']))).toEqual([
        'done',
        'early',
        'ben',
        'late',
      ]);
      expect(ids(await store.listMeetings(OTHER_TEAM, ['scheduled']))).toEqual(['elsewhere']);
      expect(await store.listMeetings(TEAM, [])).toEqual([]);
    });

    test('listMeetingsWithoutReminder: scheduled, in the window, any team, no reminder yet, with a channel', async () => {
      await store.insertMeeting(meeting({ meetId: 'due', startAt: at(5000), reminders: [] }));
      await store.insertMeeting(
        meeting({ meetId: 'other-team', teamId: OTHER_TEAM, startAt: at(6000), reminders: [] }),
      );
      await store.insertMeeting(meeting({ meetId: 'has-one', startAt: at(5000) }));
      await store.insertMeeting(meeting({ meetId: 'too-late', startAt: at(99_000), reminders: [] }));
      await store.insertMeeting(meeting({ meetId: 'past', startAt: at(100), reminders: [] }));
      await store.insertMeeting(
        meeting({ meetId: 'live', startAt: at(5000), status: 'live', reminders: [] }),
      );
      await store.insertMeeting(
        meeting({ meetId: 'no-channel', startAt: at(5000), channelId: null, reminders: [] }),
      );
      await store.insertMeeting(
        meeting({ meetId: 'fallback', startAt: at(5000), cardDelivery: 'response_url', reminders: [] }),
      );
      const ids = (ms: { meetId: string }[]) => ms.map((m) => m.meetId);
      expect(ids(await store.listMeetingsWithoutReminder(at(1000), at(10_000), 10))).toEqual([
        'due',
        'other-team',
      ]);
      expect(ids(await store.listMeetingsWithoutReminder(at(1000), at(10_000), 1))).toEqual(['due']);
    });
  });

  describe('guests', () => {
    test('upsert inserts; found by key, Slack user and email (case-insensitively)', async () => {
      const g = guest({ slackUserId: 'UG1', email: 'Guest@Example.ORG' });
      const stored = await store.upsertGuest(g);
      expect(stored).toEqual({ ...g, email: 'guest@example.org' });
      expect(await store.getGuestByKey(TEAM, '1001', 'key-secret-1')).toEqual(stored);
      expect(await store.findGuestBySlackUser(TEAM, '1001', 'UG1')).toEqual(stored);
      expect(await store.findGuestByEmail(TEAM, '1001', 'GUEST@example.org')).toEqual(stored);
      expect(await store.findGuestByEmail(TEAM, '1001', 'nobody@example.org')).toBeNull();
      expect(await store.findGuestBySlackUser(TEAM, '1001', 'U404')).toBeNull();
      expect(await store.getGuestByKey(TEAM, '1001', 'nope')).toBeNull();
      expect(await store.getGuestByKey(OTHER_TEAM, '1001', 'key-secret-1')).toBeNull();
      expect(await store.getGuestByKey(TEAM, '2002', 'key-secret-1')).toBeNull();
    });

    test('upsert with the same key updates the guest', async () => {
      await store.upsertGuest(guest());
      const updated = await other.upsertGuest(
        guest({ name: 'Gina G.', permissions: ['chat'], role: 'registrant', addedAt: at(9) }),
      );
      expect(updated).toEqual(
        guest({ name: 'Gina G.', permissions: ['chat'], role: 'registrant', addedAt: at(9) }),
      );
      expect(await store.listGuests(TEAM, '1001')).toEqual([updated]);
    });

    test('one guest per Slack user and per email in a meeting: StoreConflictError without the key', async () => {
      await store.upsertGuest(guest({ slackUserId: 'UG1', email: 'a@example.org', guestKey: 'k1' }));
      const sameUser = store.upsertGuest(
        guest({ slackUserId: 'UG1', email: 'b@example.org', guestKey: 'k2-secret-value' }),
      );
      await expect(sameUser).rejects.toBeInstanceOf(StoreConflictError);
      await expect(sameUser).rejects.not.toThrow(/k2-secret-value/);

      const sameEmail = store.upsertGuest(
        guest({ slackUserId: null, email: 'A@example.org', guestKey: 'k3' }),
      );
      await expect(sameEmail).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.countGuests(TEAM, '1001')).toBe(1);

      // The same person may be a guest of another meeting, and of the same meeting in another team.
      await store.upsertGuest(
        guest({ meetId: '2002', slackUserId: 'UG1', email: 'a@example.org', guestKey: 'k4' }),
      );
      await store.upsertGuest(
        guest({ teamId: OTHER_TEAM, slackUserId: 'UG1', email: 'a@example.org', guestKey: 'k5' }),
      );
    });

    test('guests without a Slack user or without an email do not collide', async () => {
      await store.upsertGuest(guest({ slackUserId: null, email: 'x@example.org', guestKey: 'k1' }));
      await store.upsertGuest(guest({ slackUserId: null, email: 'y@example.org', guestKey: 'k2' }));
      await store.upsertGuest(guest({ slackUserId: 'UA', email: null, guestKey: 'k3' }));
      await store.upsertGuest(guest({ slackUserId: 'UB', email: null, guestKey: 'k4' }));
      expect(await store.countGuests(TEAM, '1001')).toBe(4);
    });

    test('list (oldest first), count (by role) and delete', async () => {
      await store.upsertGuest(
        guest({ email: 'b@example.org', guestKey: 'k2', addedAt: at(2), role: 'registrant' }),
      );
      await store.upsertGuest(guest({ email: 'a@example.org', guestKey: 'k1', addedAt: at(1) }));
      await store.upsertGuest(
        guest({ email: 'c@example.org', guestKey: 'k3', addedAt: at(3), role: 'registrant' }),
      );
      await store.upsertGuest(guest({ meetId: '2002', guestKey: 'k9' }));

      expect((await store.listGuests(TEAM, '1001')).map((g) => g.guestKey)).toEqual(['k1', 'k2', 'k3']);
      expect(await store.countGuests(TEAM, '1001')).toBe(3);
      expect(await store.countGuests(TEAM, '1001', 'registrant')).toBe(2);
      expect(await store.countGuests(TEAM, '1001', 'guest')).toBe(1);
      expect(await store.countGuests(TEAM, '404')).toBe(0);

      expect(await store.deleteGuest(TEAM, '1001', 'k2')).toBe(true);
      expect(await store.deleteGuest(TEAM, '1001', 'k2')).toBe(false);
      expect(await store.deleteGuest(OTHER_TEAM, '1001', 'k1')).toBe(false);
      expect((await store.listGuests(TEAM, '1001')).map((g) => g.guestKey)).toEqual(['k1', 'k3']);
      expect(await store.listGuests(TEAM, '404')).toEqual([]);
    });
  });

  describe('recordings', () => {
    test('upsertSeenRecording inserts once, then returns the stored record untouched', async () => {
      const first = await store.upsertSeenRecording(recording(), T0);
      expect(first.created).toBe(true);
      expect(first.record).toEqual({
        recId: 'R1',
        meetId: '1001',
        accId: 'A1',
        alId: 'AL1',
        teamId: TEAM,
        hostSlackUserId: 'U1',
        state: 'seen',
        attempts: 0,
        nextAttemptAt: null,
        claimedBy: null,
        claimExpiresAt: null,
        notifiedChannel: null,
        notifiedTs: null,
        notifiedAt: null,
        lastError: null,
        createdAt: T0,
        updatedAt: T0,
      });
      const second = await other.upsertSeenRecording(
        recording({ meetId: 'changed', state: 'ready' }),
        at(1000),
      );
      expect(second).toEqual({ record: first.record, created: false });
      expect(await store.getRecording('R1')).toEqual(first.record);
    });

    test('optional fields and an initial state', async () => {
      const { record } = await store.upsertSeenRecording(
        { recId: 'R2', meetId: 'M', accId: 'A', alId: 'AL', state: 'skipped' },
        T0,
      );
      expect(record).toMatchObject({ teamId: null, hostSlackUserId: null, state: 'skipped' });
      expect(await store.getRecording('R404')).toBeNull();
    });

    test('two instances upserting the same new recording: exactly one creates it', async () => {
      for (let i = 0; i < 10; i++) {
        const results = await Promise.all([
          store.upsertSeenRecording(recording({ recId: `U${i}` }), T0),
          other.upsertSeenRecording(recording({ recId: `U${i}` }), T0),
        ]);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(results[0]?.record).toEqual(results[1]?.record);
      }
    });

    test('states snapshot, open recordings (oldest first) and a host’s recordings (newest first)', async () => {
      await store.upsertSeenRecording(recording({ recId: 'R3' }), at(3));
      await store.upsertSeenRecording(recording({ recId: 'R1' }), at(1));
      await store.upsertSeenRecording(recording({ recId: 'R2', state: 'ready' }), at(2));
      await store.upsertSeenRecording(recording({ recId: 'R4', state: 'notified' }), at(4));
      await store.upsertSeenRecording(recording({ recId: 'R5', state: 'skipped' }), at(5));
      await store.upsertSeenRecording(
        recording({ recId: 'R6', state: 'failed', hostSlackUserId: 'U2' }),
        at(6),
      );
      await store.upsertSeenRecording(recording({ recId: 'R7', teamId: OTHER_TEAM }), at(7));

      expect(await store.getRecordingStates()).toEqual(
        new Map([
          ['R1', 'seen'],
          ['R2', 'ready'],
          ['R3', 'seen'],
          ['R4', 'notified'],
          ['R5', 'skipped'],
          ['R6', 'failed'],
          ['R7', 'seen'],
        ]),
      );
      expect((await store.listOpenRecordings()).map((r) => r.recId)).toEqual(['R1', 'R2', 'R3', 'R6', 'R7']);
      expect((await store.listRecordingsByHost(TEAM, 'U1', 10)).map((r) => r.recId)).toEqual([
        'R5',
        'R4',
        'R3',
        'R2',
        'R1',
      ]);
      expect((await store.listRecordingsByHost(TEAM, 'U1', 2)).map((r) => r.recId)).toEqual(['R5', 'R4']);
      expect((await store.listRecordingsByHost(OTHER_TEAM, 'U1', 10)).map((r) => r.recId)).toEqual(['R7']);
      expect(await store.listRecordingsByHost(TEAM, 'U404', 10)).toEqual([]);
    });

    test('updateRecording applies only the given fields and stamps updatedAt', async () => {
      await store.upsertSeenRecording(recording({ teamId: null, hostSlackUserId: null }), T0);
      const updated = await store.updateRecording(
        'R1',
        {
          state: 'remux_requested',
          attempts: 2,
          nextAttemptAt: at(60_000),
          teamId: TEAM,
          hostSlackUserId: 'U9',
          lastError: 'MegaMeeting said no',
        },
        at(100),
      );
      expect(updated).toMatchObject({
        state: 'remux_requested',
        attempts: 2,
        nextAttemptAt: at(60_000),
        teamId: TEAM,
        hostSlackUserId: 'U9',
        lastError: 'MegaMeeting said no',
        createdAt: T0,
        updatedAt: at(100),
        meetId: '1001',
      });
      const cleared = await store.updateRecording('R1', { nextAttemptAt: null, lastError: null }, at(200));
      expect(cleared).toEqual({ ...updated, nextAttemptAt: null, lastError: null, updatedAt: at(200) });
      expect(await store.getRecording('R1')).toEqual(cleared);
      expect(await store.updateRecording('R404', { attempts: 1 }, at(1))).toBeNull();
    });

    test('claim: one holder at a time; the same holder may re-claim (extending it); expired claims are taken over', async () => {
      await store.upsertSeenRecording(recording({ state: 'ready' }), T0);
      expect(await store.claimRecording('R1', 'A', at(0), 10_000)).toBe(true);
      expect(await store.getRecording('R1')).toMatchObject({ claimedBy: 'A', claimExpiresAt: at(10_000) });
      expect(await other.claimRecording('R1', 'B', at(5_000), 10_000)).toBe(false);
      expect(await store.claimRecording('R1', 'A', at(6_000), 10_000)).toBe(true);
      expect(await store.getRecording('R1')).toMatchObject({ claimedBy: 'A', claimExpiresAt: at(16_000) });
      expect(await other.claimRecording('R1', 'B', at(15_999), 10_000)).toBe(false);
      expect(await other.claimRecording('R1', 'B', at(16_000), 10_000)).toBe(true);
      expect(await store.getRecording('R1')).toMatchObject({ claimedBy: 'B', claimExpiresAt: at(26_000) });
      expect(await store.claimRecording('R404', 'A', at(0), 10_000)).toBe(false);
    });

    test('claim validates the ttl', async () => {
      await store.upsertSeenRecording(recording(), T0);
      await expect(store.claimRecording('R1', 'A', T0, 0)).rejects.toThrow(RangeError);
      await expect(store.claimRecording('R1', 'A', T0, Number.NaN)).rejects.toThrow(RangeError);
    });

    test('markRecordingNotified: only by the holder; clears the claim; never claimable again', async () => {
      await store.upsertSeenRecording(recording({ state: 'ready' }), T0);
      expect(await store.markRecordingNotified('R1', 'A', { channel: 'D1', ts: '1.1' }, at(1))).toBe(false);
      expect(await store.claimRecording('R1', 'A', at(0), 10_000)).toBe(true);
      expect(await other.markRecordingNotified('R1', 'B', { channel: 'D1', ts: '1.1' }, at(1))).toBe(false);
      expect(await store.markRecordingNotified('R1', 'A', { channel: 'D1', ts: '1.1' }, at(2))).toBe(true);
      expect(await store.getRecording('R1')).toMatchObject({
        state: 'notified',
        notifiedChannel: 'D1',
        notifiedTs: '1.1',
        notifiedAt: at(2),
        claimedBy: null,
        claimExpiresAt: null,
        updatedAt: at(2),
      });
      expect(await store.markRecordingNotified('R1', 'A', { channel: 'D2', ts: '2.2' }, at(3))).toBe(false);
      for (const holder of ['A', 'B']) {
        expect(await store.claimRecording('R1', holder, at(1_000_000_000), 10_000)).toBe(false);
      }
      expect((await store.listOpenRecordings()).map((r) => r.recId)).toEqual([]);
    });

    test('skipped recordings are never claimable either', async () => {
      await store.upsertSeenRecording(recording({ state: 'skipped' }), T0);
      expect(await store.claimRecording('R1', 'A', at(0), 10_000)).toBe(false);
    });

    test('markRecordingDeleted: inserts an unknown recording as deleted, or turns a known one deleted keeping its DM', async () => {
      // Unknown to the store (App Home lists what MegaMeeting has, before the poller saw it).
      const fresh = await store.markRecordingDeleted(recording({ recId: 'R9' }), at(5));
      expect(fresh).toMatchObject({ recId: 'R9', state: 'deleted', hostSlackUserId: 'U1', createdAt: at(5) });
      // Known, announced, and claimed by a pass that read it before the delete.
      await store.upsertSeenRecording(recording({ state: 'ready' }), T0);
      expect(await store.claimRecording('R1', 'A', at(1), 60_000)).toBe(true);
      await store.updateRecording(
        'R1',
        { notifiedChannel: 'D1', notifiedTs: '1.1', nextAttemptAt: at(9) },
        at(2),
      );
      const deleted = await other.markRecordingDeleted(recording({ meetId: 'ignored' }), at(3));
      expect(deleted).toMatchObject({
        recId: 'R1',
        meetId: '1001',
        state: 'deleted',
        claimedBy: null,
        claimExpiresAt: null,
        nextAttemptAt: null,
        notifiedChannel: 'D1',
        notifiedTs: '1.1',
        updatedAt: at(3),
      });
      // Never announced: the claim holder cannot mark it, nobody can claim it, it is not open.
      expect(await store.markRecordingNotified('R1', 'A', { channel: 'D1', ts: '2.2' }, at(4))).toBe(false);
      expect(await store.claimRecording('R1', 'B', at(4), 60_000)).toBe(false);
      expect(await store.claimRemuxRequest('R1', { state: 'deleted', attempts: 0 }, at(4))).toBe(false);
      expect((await store.listOpenRecordings()).map((r) => r.recId)).toEqual([]);
      expect((await store.getRecordingStates()).get('R1')).toBe('deleted');
    });

    test('a holder whose expired claim was taken over can no longer mark it notified', async () => {
      await store.upsertSeenRecording(recording({ state: 'ready' }), T0);
      expect(await store.claimRecording('R1', 'A', at(0), 1_000)).toBe(true);
      expect(await other.claimRecording('R1', 'B', at(2_000), 1_000)).toBe(true);
      expect(await store.markRecordingNotified('R1', 'A', { channel: 'D1', ts: '1.1' }, at(2_100))).toBe(
        false,
      );
      expect(await other.markRecordingNotified('R1', 'B', { channel: 'D1', ts: '1.2' }, at(2_200))).toBe(
        true,
      );
      expect((await store.getRecording('R1'))?.notifiedTs).toBe('1.2');
    });

    test('a holder whose claim expired but was not taken over may still mark it notified', async () => {
      await store.upsertSeenRecording(recording({ state: 'ready' }), T0);
      expect(await store.claimRecording('R1', 'A', at(0), 1_000)).toBe(true);
      expect(await store.markRecordingNotified('R1', 'A', { channel: 'D1', ts: '1.1' }, at(5_000))).toBe(
        true,
      );
    });

    test('releaseRecordingClaim: only the holder can give a claim back', async () => {
      await store.upsertSeenRecording(recording({ state: 'ready' }), T0);
      expect(await store.claimRecording('R1', 'A', at(0), 60_000)).toBe(true);
      await other.releaseRecordingClaim('R1', 'B', at(1));
      expect((await store.getRecording('R1'))?.claimedBy).toBe('A');
      await store.releaseRecordingClaim('R1', 'A', at(2));
      expect(await store.getRecording('R1')).toMatchObject({
        claimedBy: null,
        claimExpiresAt: null,
        state: 'ready',
      });
      expect(await other.claimRecording('R1', 'B', at(3), 60_000)).toBe(true);
    });

    test('claimRemuxRequest: from what was read to remux_requested, once; a stale read loses', async () => {
      await store.upsertSeenRecording(recording(), T0);
      await store.updateRecording('R1', { lastError: 'remux_timeout', nextAttemptAt: at(9) }, at(1));
      expect(await store.claimRemuxRequest('R1', { state: 'seen', attempts: 0 }, at(10))).toBe(true);
      expect(await store.getRecording('R1')).toMatchObject({
        state: 'remux_requested',
        attempts: 1,
        lastError: null,
        nextAttemptAt: null,
        updatedAt: at(10),
      });
      // Another pass that read the same record (seen, 0) loses; so does one that read an older request.
      expect(await other.claimRemuxRequest('R1', { state: 'seen', attempts: 0 }, at(11))).toBe(false);
      expect(await other.claimRemuxRequest('R1', { state: 'remux_requested', attempts: 0 }, at(11))).toBe(
        false,
      );
      // Asking again after a stall: from the current (remux_requested, 1).
      expect(await other.claimRemuxRequest('R1', { state: 'remux_requested', attempts: 1 }, at(12))).toBe(
        true,
      );
      expect((await store.getRecording('R1'))?.attempts).toBe(2);
      expect(await store.claimRemuxRequest('R404', { state: 'seen', attempts: 0 }, at(12))).toBe(false);
    });

    test('claimRemuxRequest: finished recordings are never claimed', async () => {
      await store.upsertSeenRecording(recording({ state: 'notified' }), T0);
      await store.upsertSeenRecording(recording({ recId: 'R2', state: 'skipped' }), T0);
      expect(await store.claimRemuxRequest('R1', { state: 'notified', attempts: 0 }, at(1))).toBe(false);
      expect(await store.claimRemuxRequest('R2', { state: 'skipped', attempts: 0 }, at(1))).toBe(false);
    });

    test('releaseRemuxRequest: back to the earlier state with the error, only for the latest claim', async () => {
      await store.upsertSeenRecording(recording({ state: 'failed' }), T0);
      expect(await store.claimRemuxRequest('R1', { state: 'failed', attempts: 0 }, at(1))).toBe(true);
      const back = { state: 'failed' as const, lastError: 'remux_unavailable', nextAttemptAt: at(500) };
      expect(await other.releaseRemuxRequest('R1', 0, back, at(2))).toBe(false); // not this claim
      expect(await other.releaseRemuxRequest('R1', 1, back, at(2))).toBe(true);
      expect(await store.getRecording('R1')).toMatchObject({
        state: 'failed',
        attempts: 1, // the attempt stays counted: a read from before the claim stays stale
        lastError: 'remux_unavailable',
        nextAttemptAt: at(500),
      });
      expect(await store.releaseRemuxRequest('R1', 1, back, at(3))).toBe(false); // no longer claimed
      expect(await store.claimRemuxRequest('R1', { state: 'failed', attempts: 0 }, at(4))).toBe(false);
      expect(await store.claimRemuxRequest('R1', { state: 'failed', attempts: 1 }, at(4))).toBe(true);
    });
  });

  describe('leases', () => {
    test('acquire, hold, renew, expire, release', async () => {
      expect(await store.getLease('poller')).toBeNull();
      expect(await store.acquireLease('poller', 'A', 30_000, at(0))).toBe(true);
      expect(await store.getLease('poller')).toEqual({ name: 'poller', holder: 'A', expiresAt: at(30_000) });
      expect(await other.acquireLease('poller', 'B', 30_000, at(10_000))).toBe(false);
      expect(await store.acquireLease('poller', 'A', 30_000, at(20_000))).toBe(true); // renew
      expect(await store.getLease('poller')).toEqual({ name: 'poller', holder: 'A', expiresAt: at(50_000) });
      expect(await other.acquireLease('poller', 'B', 30_000, at(49_999))).toBe(false);
      expect(await other.acquireLease('poller', 'B', 30_000, at(50_000))).toBe(true); // expired: taken over
      expect(await store.getLease('poller')).toEqual({ name: 'poller', holder: 'B', expiresAt: at(80_000) });
      expect(await store.acquireLease('poller', 'A', 30_000, at(60_000))).toBe(false);

      await store.releaseLease('poller', 'A'); // not A's: no effect
      expect((await store.getLease('poller'))?.holder).toBe('B');
      await other.releaseLease('poller', 'B');
      expect(await store.getLease('poller')).toBeNull();
      expect(await store.acquireLease('poller', 'A', 30_000, at(61_000))).toBe(true);
    });

    test('leases are independent by name; the ttl is validated', async () => {
      expect(await store.acquireLease('a', 'A', 1000, T0)).toBe(true);
      expect(await store.acquireLease('b', 'B', 1000, T0)).toBe(true);
      await expect(store.acquireLease('c', 'C', -5, T0)).rejects.toThrow(RangeError);
    });
  });

  describe('meeting absence sightings', () => {
    test('absentSince is set, kept across instances and cleared', async () => {
      await store.insertMeeting(meeting());
      const seen = await store.updateMeeting(TEAM, '1001', { absentSince: at(5_000) }, at(5_000));
      expect(seen?.absentSince).toEqual(at(5_000));
      expect((await other.getMeeting(TEAM, '1001'))?.absentSince).toEqual(at(5_000));
      // Other patches leave it alone.
      expect((await store.updateMeeting(TEAM, '1001', { title: 'Renamed' }, at(6_000)))?.absentSince).toEqual(
        at(5_000),
      );
      expect(
        (await store.updateMeeting(TEAM, '1001', { absentSince: null }, at(7_000)))?.absentSince,
      ).toBeNull();
    });
  });

  describe('handled Slack events', () => {
    test('claim, refuse a second claimant, complete, expire, prune', async () => {
      expect(await store.claimSlackEvent('Ev1', 'A', 60_000, at(0))).toBe(true);
      expect(await other.claimSlackEvent('Ev1', 'B', 60_000, at(1_000))).toBe(false); // being handled
      await store.completeSlackEvent('Ev1', 'A', 3_600_000, at(2_000));
      expect(await other.claimSlackEvent('Ev1', 'B', 60_000, at(1_000_000))).toBe(false); // handled: kept
      await other.completeSlackEvent('Ev1', 'B', 1, at(1_000_000)); // not B's: no effect
      expect(await other.claimSlackEvent('Ev1', 'B', 60_000, at(3_601_999))).toBe(false);
      expect(await other.claimSlackEvent('Ev1', 'B', 60_000, at(3_602_000))).toBe(true); // expired: taken
      expect(await store.claimSlackEvent('Ev2', 'A', 60_000, at(0))).toBe(true);
      expect(await store.pruneSlackEvents(at(60_000))).toBe(1); // Ev2's claim lapsed; Ev1 is B's until later
      expect(await other.claimSlackEvent('Ev2', 'C', 60_000, at(60_000))).toBe(true);
      await expect(store.claimSlackEvent('Ev3', 'A', 0, at(0))).rejects.toThrow(RangeError);
    });

    test('a released claim (handling failed) lets the next delivery handle the event', async () => {
      expect(await store.claimSlackEvent('Ev9', 'A', 60_000, at(0))).toBe(true);
      await other.releaseSlackEvent('Ev9', 'B'); // not B's: no effect
      expect(await other.claimSlackEvent('Ev9', 'B', 60_000, at(1_000))).toBe(false);
      await store.releaseSlackEvent('Ev9', 'A');
      expect(await other.claimSlackEvent('Ev9', 'B', 60_000, at(1_000))).toBe(true);
    });
  });

  describe('races between two store instances', () => {
    test(`claiming the same Slack event: exactly one winner, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const eventId = `EvRace${round}`;
        const count = await winners([
          () => store.claimSlackEvent(eventId, 'A1', 60_000, at(0)),
          () => other.claimSlackEvent(eventId, 'B1', 60_000, at(0)),
          () => store.claimSlackEvent(eventId, 'A2', 60_000, at(0)),
          () => other.claimSlackEvent(eventId, 'B2', 60_000, at(0)),
        ]);
        expect(count).toBe(1);
      }
    });

    test(`claiming the same recording: exactly one winner, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const recId = `race-${round}`;
        await store.upsertSeenRecording(recording({ recId, state: 'ready' }), T0);
        const count = await winners([
          () => store.claimRecording(recId, 'A1', at(0), 60_000),
          () => other.claimRecording(recId, 'B1', at(0), 60_000),
          () => store.claimRecording(recId, 'A2', at(0), 60_000),
          () => other.claimRecording(recId, 'B2', at(0), 60_000),
        ]);
        expect(count).toBe(1);
      }
    });

    test(`claiming the same remux request: exactly one winner, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const recId = `remux-${round}`;
        await store.upsertSeenRecording(recording({ recId, state: round % 2 ? 'failed' : 'seen' }), T0);
        const seen = { state: round % 2 ? ('failed' as const) : ('seen' as const), attempts: 0 };
        const count = await winners([
          () => store.claimRemuxRequest(recId, seen, at(0)),
          () => other.claimRemuxRequest(recId, seen, at(0)),
          () => store.claimRemuxRequest(recId, seen, at(0)),
          () => other.claimRemuxRequest(recId, seen, at(0)),
        ]);
        expect(count).toBe(1);
        expect((await store.getRecording(recId))?.attempts).toBe(1);
      }
    });

    test(`taking over the same expired claim: exactly one winner, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const recId = `stale-${round}`;
        await store.upsertSeenRecording(recording({ recId, state: 'ready' }), T0);
        expect(await store.claimRecording(recId, 'crashed', at(0), 1_000)).toBe(true);
        const count = await winners([
          () => store.claimRecording(recId, 'A', at(5_000), 60_000),
          () => other.claimRecording(recId, 'B', at(5_000), 60_000),
          () => other.claimRecording(recId, 'C', at(5_000), 60_000),
        ]);
        expect(count).toBe(1);
        expect(['A', 'B', 'C']).toContain((await store.getRecording(recId))?.claimedBy);
      }
    });

    test(`notify and re-claim racing: a notified recording is never claimed again, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const recId = `done-${round}`;
        await store.upsertSeenRecording(recording({ recId, state: 'ready' }), T0);
        expect(await store.claimRecording(recId, 'A', at(0), 1_000)).toBe(true);
        const [marked, claimedB, claimedC] = await Promise.all([
          store.markRecordingNotified(recId, 'A', { channel: 'D', ts: `${round}` }, at(2_000)),
          other.claimRecording(recId, 'B', at(2_000), 60_000),
          other.claimRecording(recId, 'C', at(2_000), 60_000),
        ]);
        const rec = await store.getRecording(recId);
        // Either A notified first (then nobody may claim), or a taker-over got in first (then A's mark fails).
        if (marked) {
          expect(rec?.state).toBe('notified');
          expect(await other.claimRecording(recId, 'D', at(1e9), 60_000)).toBe(false);
          expect(Number(claimedB) + Number(claimedC)).toBe(0);
        } else {
          expect(rec?.state).toBe('ready');
          expect(Number(claimedB) + Number(claimedC)).toBe(1);
        }
      }
    });

    test(`acquiring the same new lease: exactly one winner, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const name = `lease-${round}`;
        const count = await winners([
          () => store.acquireLease(name, 'A1', 30_000, at(0)),
          () => other.acquireLease(name, 'B1', 30_000, at(0)),
          () => store.acquireLease(name, 'A2', 30_000, at(0)),
          () => other.acquireLease(name, 'B2', 30_000, at(0)),
        ]);
        expect(count).toBe(1);
      }
    });

    test(`taking over the same expired lease: exactly one winner, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const name = `stale-lease-${round}`;
        expect(await store.acquireLease(name, 'crashed', 1_000, at(0))).toBe(true);
        const count = await winners([
          () => store.acquireLease(name, 'A', 30_000, at(5_000)),
          () => other.acquireLease(name, 'B', 30_000, at(5_000)),
          () => other.acquireLease(name, 'C', 30_000, at(5_000)),
        ]);
        expect(count).toBe(1);
      }
    });
  });

  describe('persistence', () => {
    test('data survives closing and reopening', async () => {
      const first = await openStore(db.url);
      await first.upsertUserLink(link());
      await first.insertMeeting(meeting());
      await first.upsertGuest(guest());
      await first.upsertSeenRecording(recording(), T0);
      await first.claimRecording('R1', 'A', T0, 60_000);
      await first.acquireLease('poller', 'A', 60_000, T0);
      await first.close();
      await first.close(); // idempotent

      const second = await openStore(db.url);
      try {
        expect(await second.getUserLink(TEAM, 'U1')).toEqual(link());
        expect(await second.getMeeting(TEAM, '1001')).toEqual({
          ...meeting(),
          updatedAt: T0,
          endedAt: null,
          absentSince: null,
          callId: null,
          callState: null,
        });
        expect(await second.getGuestByKey(TEAM, '1001', 'key-secret-1')).toEqual(guest());
        expect(await second.getRecording('R1')).toMatchObject({ claimedBy: 'A', claimExpiresAt: at(60_000) });
        expect(await second.claimRecording('R1', 'B', at(1), 60_000)).toBe(false);
        expect(await second.getLease('poller')).toEqual({
          name: 'poller',
          holder: 'A',
          expiresAt: at(60_000),
        });
      } finally {
        await second.close();
      }
    });
  });
});

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  const dbs: TestDatabase[] = [];
  const fresh = async () => {
    const d = await createTestDatabase(dialect);
    dbs.push(d);
    return d;
  };
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  const versions = async (url: string) =>
    (await execSql(url, ['SELECT version FROM schema_migrations ORDER BY version'])).map((r) =>
      Number(r.version),
    );
  const indexExists = async (url: string, name: string) =>
    (
      await execSql(url, [
        dialect === 'sqlite'
          ? `SELECT name FROM sqlite_master WHERE type = 'index' AND name = '${name}'`
          : `SELECT indexname FROM pg_indexes WHERE indexname = '${name}'`,
      ])
    ).length === 1;

  test('an empty database is brought to the latest version, once', async () => {
    const d = await fresh();
    const logger = captureLogger();
    const s = await openStore(d.url, { logger });
    await s.close();
    expect(await versions(d.url)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
    expect(logger.messages).toContain('store: schema migrated');

    const again = await migrateDatabase(d.url);
    expect(again).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
  });

  test('an existing version-1 database with data is upgraded, its data intact', async () => {
    const d = await fresh();
    expect(await migrateDatabase(d.url, { targetVersion: 1 })).toEqual({ from: 0, to: 1, applied: [1] });
    expect(await versions(d.url)).toEqual([1]);
    expect(await indexExists(d.url, 'meetings_meet_id_idx')).toBe(false);

    const t = T0.getTime();
    await execSql(d.url, [
      `INSERT INTO meetings (team_id, meet_id, channel_id, message_ts, card_delivery, host_slack_user_id,
         host_login_id, title, kind, start_at, end_at, time_zone, status, reminders, options, created_at,
         updated_at, ended_at)
       VALUES ('${TEAM}', 'old-1', 'C1', '1.1', 'chat', 'U1', 'login-1', 'From v1', 'instant', ${t}, NULL,
         'Asia/Tokyo', 'live', '[]', '{}', ${t}, ${t}, NULL)`,
      `INSERT INTO recordings (rec_id, meet_id, acc_id, al_id, team_id, host_slack_user_id, state, attempts,
         claimed_by, claim_expires_at, created_at, updated_at)
       VALUES ('old-rec', 'old-1', 'A', 'AL', '${TEAM}', 'U1', 'ready', 1, 'A', ${t + 60_000}, ${t}, ${t})`,
    ]);

    const s = await openStore(d.url);
    try {
      expect(await versions(d.url)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
      expect(await indexExists(d.url, 'meetings_meet_id_idx')).toBe(true);
      expect(await s.findMeetingByMeetId('old-1')).toMatchObject({
        title: 'From v1',
        startAt: T0,
        timeZone: 'Asia/Tokyo',
        status: 'live',
        absentSince: null,
        callId: null,
        callState: null,
      });
      expect(await s.claimRecording('old-rec', 'B', at(1), 1000)).toBe(false);
      expect(await s.claimRecording('old-rec', 'B', at(60_000), 1000)).toBe(true);
    } finally {
      await s.close();
    }
  });

  test('several stores opening the same fresh database at once all succeed, migrating once', async () => {
    const d = await fresh();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(d.url)));
    try {
      expect(await versions(d.url)).toEqual(Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1));
      await stores[0]?.upsertUserLink(link());
      for (const s of stores) expect(await s.getUserLink(TEAM, 'U1')).toEqual(link());
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('a database newer than this app is refused with one clear line', async () => {
    const d = await fresh();
    await migrateDatabase(d.url);
    await execSql(d.url, [
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)",
    ]);
    const opening = openStore(d.url);
    await expect(opening).rejects.toBeInstanceOf(StoreOpenError);
    await expect(opening).rejects.toThrow(
      /^the database has schema version 999, newer than this app knows \(\d+\)/,
    );
  });
});

describe('opening', () => {
  test('a malformed DATABASE_URL is a DatabaseUrlError', async () => {
    await expect(openStore('mysql://root:hunter2@db/app')).rejects.toBeInstanceOf(DatabaseUrlError);
  });

  test('an unreachable Postgres is a StoreOpenError that hides the password', async () => {
    const opening = openStore('postgres://mm:hunter2@127.0.0.1:1/mm');
    await expect(opening).rejects.toBeInstanceOf(StoreOpenError);
    const err = (await opening.catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^cannot open the store at postgres:\/\/\*\*\*@127\.0\.0\.1:1\/mm: .+/);
    expect(err.message).not.toContain('hunter2');
    expect(err.message).not.toContain('\n');
  });

  test('an SQLite path that cannot be created is a StoreOpenError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-store-bad-'));
    try {
      writeFileSync(join(dir, 'file'), ''); // a file where a folder should be
      const opening = openStore(`sqlite:${join(dir, 'file', 'sub', 'db.sqlite')}`);
      await expect(opening).rejects.toBeInstanceOf(StoreOpenError);
      await expect(opening).rejects.toThrow(
        /^cannot open the SQLite database \/.*\/file\/sub\/db\.sqlite: ENOTDIR/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SQLite: creates the folder and uses WAL', async () => {
    const d = createTestDatabaseSqliteNested();
    const s = await openStore(d.url, { logger: pino({ level: 'silent' }) });
    try {
      expect(s.dialect).toBe('sqlite');
      expect(await execSql(d.url, ['PRAGMA journal_mode'])).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await s.close();
      await d.drop();
    }
  });

  test('sqlite::memory: works (a private database)', async () => {
    const s = await openStore('sqlite::memory:');
    try {
      await s.upsertUserLink(link());
      expect(await s.getUserLink(TEAM, 'U1')).toEqual(link());
    } finally {
      await s.close();
    }
  });
});

function createTestDatabaseSqliteNested(): { url: string; drop(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'mm-store-nested-'));
  return {
    url: `sqlite:${join(dir, 'a', 'b', 'db.sqlite')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
