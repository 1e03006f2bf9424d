/**
 * A workspace's view of the store (Store.forTeam), on both engines: two views (T1, T2) over one store. The "any
 * team" queries answer only the view's team; another team's id reads nothing and writes throw TeamScopeError
 * (nothing written); recordings are kept apart per scope (the same recId in T1, T2 and the unscoped store are
 * three records); the purge of T1 takes T1's recordings only; migration 11 keeps the recordings there were
 * (scope ''); leases, Slack events, installations and connections stay global; closing a view closes nothing.
 */
import { SecretBox } from '../../src/secrets/index.js';
import { migrateDatabase, openStore, TeamScopeError } from '../../src/store/index.js';
import type { NewMeeting, NewMeetingIntent, NewRecording, Store, UserLink } from '../../src/store/types.js';
import { createTestDatabase, execSql, type StorePair, testDialects, useStorePair } from './helpers.js';
import { countTeamRows, ONE_OF_EACH, seedTeamData } from './team-data.js';

const DIALECTS = testDialects();
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;
const box = new SecretBox(Buffer.alloc(32, 9));

function meeting(teamId: string, meetId: string, over: Partial<NewMeeting> = {}): NewMeeting {
  return {
    teamId,
    meetId,
    channelId: 'C1',
    messageTs: '1700000000.000100',
    cardDelivery: 'chat',
    hostSlackUserId: 'U1',
    hostLoginId: 'login-1',
    title: `Sync of ${teamId}`,
    kind: 'scheduled',
    startAt: at(HOUR),
    endAt: at(2 * HOUR),
    timeZone: 'Europe/Paris',
    status: 'scheduled',
    reminders: [],
    options: {},
    createdAt: T0,
    ...over,
  };
}

function link(teamId: string, over: Partial<UserLink> = {}): UserLink {
  return {
    teamId,
    slackUserId: 'U1',
    loginId: 'login-1',
    email: 'ana@example.com',
    source: 'email_match',
    linkedBy: null,
    linkedAt: T0,
    ...over,
  };
}

function recording(teamId: string | null, over: Partial<NewRecording> = {}): NewRecording {
  return { recId: 'rec-1', meetId: 'm-1', accId: 'acc', alId: 'al', teamId, hostSlackUserId: 'U1', ...over };
}

function intent(teamId: string, id: string): NewMeetingIntent {
  return {
    id,
    teamId,
    channelId: 'C1',
    userId: 'U1',
    meetingName: 'Later',
    request: {
      kind: 'instant',
      hostLoginId: 'login-1',
      startAt: T0.toISOString(),
      endAt: null,
      timeZone: 'Europe/Paris',
      options: {},
      invitees: [],
    },
    responseUrl: null,
    beforeIds: null,
  };
}

const teams = (records: { teamId: string | null }[]) => records.map((r) => r.teamId);

describe.each(DIALECTS)("a workspace's view of the store on %s", (dialect) => {
  let pair: StorePair;
  /** The unscoped store (single-workspace mode), and two workspaces' views of it. */
  let root: Store;
  let t1: Store;
  let t2: Store;
  /** T1's view on the second replica (its own connection or pool). */
  let t1b: Store;
  useStorePair(dialect, (p) => {
    pair = p;
    root = p.store;
    t1 = root.forTeam('T1');
    t2 = root.forTeam('T2');
    t1b = p.other.forTeam('T1');
  });

  test('a view of a view is itself for its own team and refused for another; the empty team is refused', () => {
    expect(t1.forTeam('T1')).toBe(t1);
    expect(() => t1.forTeam('T2')).toThrow(TeamScopeError);
    expect(() => root.forTeam('')).toThrow(RangeError);
    expect(t1.dialect).toBe(dialect);
  });

  test("meetings: findMeetingByMeetId and the three sweeps answer only the view's team", async () => {
    // The same meetId in both teams (two workspaces sharing one MegaMeeting account), and one in T2 only.
    await t1.insertMeeting(meeting('T1', 'm-1'));
    await t2.insertMeeting(meeting('T2', 'm-1', { createdAt: at(1) }));
    await t2.insertMeeting(meeting('T2', 'm-2'));

    expect((await t1.findMeetingByMeetId('m-1'))?.teamId).toBe('T1');
    expect((await t2.findMeetingByMeetId('m-1'))?.teamId).toBe('T2');
    expect(await t1.findMeetingByMeetId('m-2')).toBeNull();
    expect((await root.findMeetingByMeetId('m-2'))?.teamId).toBe('T2');

    const without = (s: Store) => s.listMeetingsWithoutReminder(T0, at(3 * HOUR), 10);
    expect(teams(await without(t1))).toEqual(['T1']);
    expect(teams(await without(t2))).toEqual(['T2', 'T2']);
    expect(teams(await without(root))).toHaveLength(3);

    const due = (s: Store) => s.listMeetingsDueForCall(T0, at(3 * HOUR), 10);
    expect(teams(await due(t1))).toEqual(['T1']);
    expect(teams(await due(t2))).toEqual(['T2', 'T2']);
    expect(await due(root)).toHaveLength(3);

    for (const [s, team] of [
      [t1, 'T1'],
      [t2, 'T2'],
    ] as const) {
      await s.updateMeeting(
        team,
        'm-1',
        { status: 'ended', callId: `R-${team}`, callState: 'added' },
        at(10),
      );
    }
    const toEnd = (s: Store) => s.listMeetingsWithCallToEnd(at(10), at(10), 10);
    expect((await toEnd(t1)).map((m) => m.callId)).toEqual(['R-T1']);
    expect((await toEnd(t2)).map((m) => m.callId)).toEqual(['R-T2']);
    expect(await toEnd(root)).toHaveLength(2);
  });

  test("user links by login: null means the view's team; another team's answers nothing", async () => {
    await t1.upsertUserLink(link('T1'));
    await t2.upsertUserLink(link('T2'));
    await t2.upsertUserLink(link('T2', { slackUserId: 'U2' }));
    expect(teams(await t1.findUserLinksByLoginId(null, 'login-1'))).toEqual(['T1']);
    expect(teams(await t2.findUserLinksByLoginId(null, 'login-1'))).toEqual(['T2', 'T2']);
    expect(await t1.findUserLinksByLoginId('T2', 'login-1')).toEqual([]);
    expect(teams(await root.findUserLinksByLoginId(null, 'login-1'))).toEqual(['T1', 'T2', 'T2']);
    expect(teams(await root.findUserLinksByLoginId('T2', 'login-1'))).toEqual(['T2', 'T2']);
  });

  test("meeting intents: by id and in recovery, another team's is not found and cannot be moved", async () => {
    await t1.insertIntent(intent('T1', 'i-1'), 'A', 1_000, T0);
    await t2.insertIntent(intent('T2', 'i-2'), 'B', 1_000, T0);

    expect((await t1.listRecoverableIntents(at(2_000), 10)).map((i) => i.id)).toEqual(['i-1']);
    expect((await t2.listRecoverableIntents(at(2_000), 10)).map((i) => i.id)).toEqual(['i-2']);
    expect(await root.listRecoverableIntents(at(2_000), 10)).toHaveLength(2);

    expect(await t1.getIntent('i-2')).toBeNull();
    expect((await t2.getIntent('i-2'))?.teamId).toBe('T2');
    expect(await t1.claimIntent('i-2', 'A', 10_000, at(2_000))).toBe(false);
    expect(await t1.updateIntent('i-2', 'B', { state: 'failed' }, at(2_000))).toBeNull();
    await t1.releaseIntent('i-2', 'B', at(2_000));
    expect(await root.getIntent('i-2')).toMatchObject({ state: 'creating', claimedBy: 'B' });
    // Its own team's, the view does move.
    expect(await t2.claimIntent('i-2', 'C', 10_000, at(2_000))).toBe(true);
  });

  test("admin requests: another team's is not found, not claimed, decided, released or re-messaged", async () => {
    const req = (teamId: string, id: string) => ({
      id,
      teamId,
      kind: 'access' as const,
      subjectUserId: 'U9',
      subjectName: 'Bo',
      subjectEmail: null,
      loginId: null,
      ttlMs: 24 * HOUR,
    });
    await t1.openAdminRequest(req('T1', 'r-1'), T0);
    await t2.openAdminRequest(req('T2', 'r-2'), T0);

    expect(await t1.getAdminRequest('r-2')).toBeNull();
    expect((await t2.getAdminRequest('r-2'))?.teamId).toBe('T2');
    expect(await t1.claimAdminRequest('r-2', 'A', 30_000, T0)).toBe(false);
    await t1.setAdminRequestMessages('r-2', [{ userId: 'UA', channel: 'DA', ts: '1.1' }]);
    expect(await t2.claimAdminRequest('r-2', 'B', 30_000, T0)).toBe(true);
    expect(await t1.finishAdminRequest('r-2', 'B', { outcome: 'created', decidedBy: 'UA' }, T0)).toBeNull();
    await t1.releaseAdminRequest('r-2', 'B');
    expect(await root.getAdminRequest('r-2')).toMatchObject({ state: 'open', claimedBy: 'B', messages: [] });
    expect(await t1.claimAdminRequest('r-1', 'A', 30_000, T0)).toBe(true);
  });

  test("another team's id: reads answer nothing, writes throw TeamScopeError and write nothing", async () => {
    await seedTeamData(t2, 'T2', T0);
    const meetId = 'm-T2';
    const host = 'UT21';

    // The unscoped store and T2's view do see it (so the nothing below is the scoping).
    expect(await root.getMeeting('T2', meetId)).not.toBeNull();
    expect(await t2.listGuests('T2', meetId)).toHaveLength(1);
    expect(await t2.listRecordingsByHost('T2', host, 10)).toHaveLength(1);

    expect(await t1.getUserLink('T2', host)).toBeNull();
    expect(await t1.getMeeting('T2', meetId)).toBeNull();
    expect(await t1.listMeetingsByHost('T2', host, ['live'])).toEqual([]);
    expect(await t1.listMeetings('T2', ['live'])).toEqual([]);
    expect(await t1.listGuests('T2', meetId)).toEqual([]);
    expect(await t1.findGuestBySlackUser('T2', meetId, host)).toBeNull();
    expect(await t1.findGuestByEmail('T2', meetId, 'guest@example.org')).toBeNull();
    expect(await t1.getGuestByKey('T2', meetId, 'guest-T2')).toBeNull();
    expect(await t1.countGuests('T2', meetId)).toBe(0);
    expect(await t1.listRecordingsByHost('T2', host, 10)).toEqual([]);
    expect(await t1.homeViewersSince('T2', [host], T0)).toEqual([]);

    const writes: [string, () => Promise<unknown>][] = [
      ['upsertUserLink', () => t1.upsertUserLink(link('T2', { slackUserId: host, loginId: 'evil' }))],
      ['deleteUserLink', () => t1.deleteUserLink('T2', host)],
      ['insertMeeting', () => t1.insertMeeting(meeting('T2', 'm-new'))],
      ['updateMeeting', () => t1.updateMeeting('T2', meetId, { status: 'ended' }, T0)],
      ['moveMeetingCall', () => t1.moveMeetingCall('T2', meetId, null, { callState: 'none' }, T0)],
      [
        'upsertGuest',
        () =>
          t1.upsertGuest({
            teamId: 'T2',
            meetId,
            guestKey: 'k-new',
            slackUserId: null,
            email: null,
            name: 'X',
            permissions: [],
            role: 'guest',
            addedBy: null,
            addedAt: T0,
          }),
      ],
      ['deleteGuest', () => t1.deleteGuest('T2', meetId, 'guest-T2')],
      ['upsertSeenRecording', () => t1.upsertSeenRecording(recording('T2', { recId: 'rec-x' }), T0)],
      ['markRecordingDeleted', () => t1.markRecordingDeleted(recording('T2', { recId: 'rec-y' }), T0)],
      ['markHomeOpened', () => t1.markHomeOpened('T2', 'U-new', T0)],
      ['insertIntent', () => t1.insertIntent(intent('T2', 'i-new'), 'A', 1_000, T0)],
      [
        'openAdminRequest',
        () =>
          t1.openAdminRequest(
            {
              id: 'r-new',
              teamId: 'T2',
              kind: 'offboarding',
              subjectUserId: 'U5',
              subjectName: 'Cy',
              subjectEmail: null,
              loginId: null,
              ttlMs: HOUR,
            },
            T0,
          ),
      ],
    ];
    const outcomes: [string, unknown][] = [];
    for (const [name, write] of writes) {
      const err = await write().then(
        () => 'written',
        (e: unknown) => e,
      );
      outcomes.push([name, err instanceof TeamScopeError ? err.message : err]);
    }
    expect(outcomes).toEqual(
      writes.map(([name]) => [
        name,
        expect.stringMatching(/^store: the view of team T1 refused to .+ for team T2$/),
      ]),
    );
    // A recording of T1's own set cannot be moved to T2 either.
    await t1.upsertSeenRecording(recording('T1'), T0);
    await expect(t1.updateRecording('rec-1', { teamId: 'T2' }, T0)).rejects.toThrow(TeamScopeError);
    expect((await t1.getRecording('rec-1'))?.teamId).toBe('T1');

    expect(await countTeamRows(pair.db.url, 'T2')).toEqual(ONE_OF_EACH);
    expect(await root.getMeeting('T2', meetId)).toMatchObject({ status: 'live', callState: null });
    expect((await root.getUserLink('T2', host))?.loginId).toBe('login-T2');
  });

  test('the same recId in T1, T2 and the unscoped store is three records: claims, states and lists apart', async () => {
    for (const [s, team] of [
      [root, null],
      [t1, 'T1'],
      [t2, 'T2'],
    ] as const) {
      const { record, created } = await s.upsertSeenRecording(recording(team), T0);
      expect(created).toBe(true);
      expect(record).toMatchObject({ recId: 'rec-1', teamId: team, state: 'seen' });
    }
    await t2.upsertSeenRecording(recording('T2', { recId: 'rec-2' }), T0);

    // A claim in one scope does not block the others (T1's on the other replica).
    expect(await t1b.claimRecording('rec-1', 'A', T0, 60_000)).toBe(true);
    expect(await t2.claimRecording('rec-1', 'B', T0, 60_000)).toBe(true);
    expect(await root.claimRecording('rec-1', 'C', T0, 60_000)).toBe(true);
    expect(await t1.claimRecording('rec-1', 'B', at(1), 60_000)).toBe(false);

    // Notified in T1 leaves T2 and the unscoped one open.
    expect(await t1.markRecordingNotified('rec-1', 'A', { channel: 'D1', ts: '1.1' }, at(1))).toBe(true);
    expect(await t2.markRecordingNotified('rec-1', 'A', { channel: 'D1', ts: '1.1' }, at(1))).toBe(false);
    expect((await t2.getRecording('rec-1'))?.claimedBy).toBe('B');
    expect((await t1.listOpenRecordings()).map((r) => r.recId)).toEqual([]);
    expect((await t2.listOpenRecordings()).map((r) => r.recId)).toEqual(['rec-1', 'rec-2']);
    expect((await root.listOpenRecordings()).map((r) => [r.recId, r.teamId])).toEqual([['rec-1', null]]);
    expect(await t1.getRecordingStates()).toEqual(new Map([['rec-1', 'notified']]));
    expect(await t2.getRecordingStates()).toEqual(
      new Map([
        ['rec-1', 'seen'],
        ['rec-2', 'seen'],
      ]),
    );
    expect(await root.getRecordingStates()).toEqual(new Map([['rec-1', 'seen']]));

    // A release in one scope leaves the other's claim.
    await t2.releaseRecordingClaim('rec-1', 'C', at(2));
    expect((await root.getRecording('rec-1'))?.claimedBy).toBe('C');
    await root.releaseRecordingClaim('rec-1', 'C', at(2));
    expect((await root.getRecording('rec-1'))?.claimedBy).toBeNull();
    expect((await t2.getRecording('rec-1'))?.claimedBy).toBe('B');

    // Processing requests: each scope's compare-and-set on its own record.
    expect(await t2.claimRemuxRequest('rec-1', { state: 'seen', attempts: 0 }, at(3))).toBe(true);
    expect(await root.claimRemuxRequest('rec-1', { state: 'seen', attempts: 0 }, at(3))).toBe(true);
    const back = { state: 'seen' as const, lastError: 'busy', nextAttemptAt: at(HOUR) };
    expect(await t2.releaseRemuxRequest('rec-1', 1, back, at(4))).toBe(true);
    expect(await t2.getRecording('rec-1')).toMatchObject({ state: 'seen', attempts: 1, lastError: 'busy' });
    expect(await root.getRecording('rec-1')).toMatchObject({ state: 'remux_requested', lastError: null });

    // Updates and deletes touch their own scope only.
    await t1.updateRecording('rec-1', { lastError: 'only T1' }, at(5));
    expect((await t2.getRecording('rec-1'))?.lastError).toBe('busy');
    await t2.markRecordingDeleted(recording('T2'), at(6));
    expect((await t2.getRecording('rec-1'))?.state).toBe('deleted');
    expect((await t1.getRecording('rec-1'))?.state).toBe('notified');
    expect((await root.getRecording('rec-1'))?.state).toBe('remux_requested');

    // By host: each scope's own (the unscoped one's has no team).
    expect((await t1.listRecordingsByHost('T1', 'U1', 10)).map((r) => r.lastError)).toEqual(['only T1']);
    expect(await root.listRecordingsByHost('T1', 'U1', 10)).toEqual([]);
    expect(await t2.getRecording('rec-x')).toBeNull();
  });

  test("purgeWorkspace(T1) deletes T1's recordings (by team or scope) and leaves T2's and the unscoped ones", async () => {
    await seedTeamData(t1, 'T1', T0);
    await seedTeamData(t2, 'T2', T0);
    // A recording of T1's set whose meeting was unknown (no team), and one with T1's recId in the unscoped set.
    await t1.upsertSeenRecording(recording(null, { recId: 'rec-orphan' }), T0);
    await root.upsertSeenRecording(recording(null, { recId: 'rec-T1' }), T0);
    await t2.upsertSeenRecording(recording('T2', { recId: 'rec-T1' }), T0);
    await root.markWorkspaceUninstalled('T1', T0);

    // Uninstalled workspaces are global: the purge may run from any view.
    expect(await t2.purgeWorkspace('T1', at(1))).toEqual({ ...ONE_OF_EACH, recordings: 2 });
    expect(await t1.getRecordingStates()).toEqual(new Map());
    expect(await t2.getRecordingStates()).toEqual(
      new Map([
        ['rec-T2', 'seen'],
        ['rec-T1', 'seen'],
      ]),
    );
    expect(await root.getRecordingStates()).toEqual(new Map([['rec-T1', 'seen']]));
    expect(await countTeamRows(pair.db.url, 'T2')).toEqual({ ...ONE_OF_EACH, recordings: 2 });
  });

  test('leases, Slack events, installations and connections are global through a view', async () => {
    expect(await t1.acquireLease('poller', 'h1', 60_000, T0)).toBe(true);
    expect(await t2.acquireLease('poller', 'h2', 60_000, T0)).toBe(false);
    expect((await root.getLease('poller'))?.holder).toBe('h1');
    expect(await t1.claimSlackEvent('Ev1', 'h1', 60_000, T0)).toBe(true);
    expect(await t2.claimSlackEvent('Ev1', 'h2', 60_000, T0)).toBe(false);
    await t2.megameetingConnections(box).upsert({
      teamId: 'T2',
      accountUrl: 'https://acme.megameeting.test',
      apiToken: 'token-T2',
      loginId: 'L2',
      loginEmail: 'admin@example.com',
      connectedBy: 'U1',
      connectedAt: T0,
    });
    expect((await t1.megameetingConnections(box).list()).map((c) => c.teamId)).toEqual(['T2']);
    await t2.markWorkspaceUninstalled('T2', T0);
    expect(await t1.getUninstalledWorkspace('T2')).not.toBeNull();
  });

  test('closing a view closes nothing: the view and the store keep working', async () => {
    await t1.close();
    await t1.upsertUserLink(link('T1'));
    expect(await root.getUserLink('T1', 'U1')).not.toBeNull();
    expect(await t1.getUserLink('T1', 'U1')).not.toBeNull();
  });
});

describe.each(DIALECTS)('migration 11 (recordings per scope) on %s', (dialect) => {
  test('a recording stored at version 10 is kept, in the unscoped set (scope ""), indexes scope first', async () => {
    const d = await createTestDatabase(dialect);
    try {
      expect((await migrateDatabase(d.url, { targetVersion: 10 })).to).toBe(10);
      const t = T0.getTime();
      await execSql(d.url, [
        `INSERT INTO recordings (rec_id, meet_id, acc_id, al_id, team_id, host_slack_user_id, state, attempts,
           next_attempt_at, claimed_by, claim_expires_at, notified_channel, notified_ts, notified_at, last_error,
           created_at, updated_at)
         VALUES ('old-rec', 'm-1', 'A', 'AL', 'T1', 'U1', 'ready', 2, ${t + 5}, 'A', ${t + 60_000}, NULL, NULL,
           NULL, 'was busy', ${t}, ${t + 1})`,
      ]);
      const root = await openStore(d.url);
      try {
        expect(await root.getRecording('old-rec')).toEqual({
          recId: 'old-rec',
          meetId: 'm-1',
          accId: 'A',
          alId: 'AL',
          teamId: 'T1',
          hostSlackUserId: 'U1',
          state: 'ready',
          attempts: 2,
          nextAttemptAt: at(5),
          claimedBy: 'A',
          claimExpiresAt: at(60_000),
          notifiedChannel: null,
          notifiedTs: null,
          notifiedAt: null,
          lastError: 'was busy',
          createdAt: T0,
          updatedAt: at(1),
        });
        expect(await execSql(d.url, ["SELECT scope FROM recordings WHERE rec_id = 'old-rec'"])).toEqual([
          { scope: '' },
        ]);
        // Still claimed as it was; T1's view has its own set, where the recId is new.
        expect(await root.claimRecording('old-rec', 'B', at(1), 1_000)).toBe(false);
        const t1 = root.forTeam('T1');
        expect(await t1.getRecording('old-rec')).toBeNull();
        expect((await t1.upsertSeenRecording(recording('T1', { recId: 'old-rec' }), T0)).created).toBe(true);
        expect((await root.upsertSeenRecording(recording('T1', { recId: 'old-rec' }), T0)).created).toBe(
          false,
        );

        const columns = async (index: string): Promise<string> => {
          if (dialect === 'sqlite') {
            const rows = await execSql(d.url, [
              `SELECT name FROM pragma_index_info('${index}') ORDER BY seqno`,
            ]);
            return rows.map((r) => String(r.name)).join(', ');
          }
          const [row] = await execSql(d.url, [
            `SELECT indexdef FROM pg_indexes WHERE indexname = '${index}'`,
          ]);
          return String(row?.indexdef).replace(/^.*\((.*)\)$/, '$1');
        };
        expect(await columns('recordings_state_idx')).toBe('scope, state, created_at');
        expect(await columns('recordings_host_idx')).toBe('scope, team_id, host_slack_user_id, created_at');
        const pk =
          dialect === 'sqlite'
            ? (
                await execSql(d.url, [
                  "SELECT name FROM pragma_table_info('recordings') WHERE pk > 0 ORDER BY pk",
                ])
              )
                .map((r) => String(r.name))
                .join(', ')
            : await columns('recordings_pkey');
        expect(pk).toBe('scope, rec_id');
      } finally {
        await root.close();
      }
    } finally {
      await d.drop();
    }
  });
});
