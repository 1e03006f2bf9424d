/**
 * One workspace's data in every team-scoped table (src/store/workspace-retention.ts TEAM_SCOPED_TABLES), through
 * the store's own methods, and a count of it per table read under the store: for the purge's tests.
 */

import { SecretBox } from '../../src/secrets/index.js';
import type { Store } from '../../src/store/types.js';
import { TEAM_SCOPED_TABLES } from '../../src/store/workspace-retention.js';
import { execSql } from './helpers.js';

/** Seeds a link, a meeting with a guest, a recording, a meeting intent, an admin request, a Home viewer, a connection. */
export async function seedTeamData(store: Store, teamId: string, now: Date): Promise<void> {
  const meetId = `m-${teamId}`;
  await store.upsertUserLink({
    teamId,
    slackUserId: `U${teamId}1`,
    loginId: `login-${teamId}`,
    email: `ana@${teamId.toLowerCase()}.example.com`,
    source: 'email_match',
    linkedBy: null,
    linkedAt: now,
  });
  await store.insertMeeting({
    teamId,
    meetId,
    channelId: 'C1',
    messageTs: '1700000000.000100',
    cardDelivery: 'chat',
    hostSlackUserId: `U${teamId}1`,
    hostLoginId: `login-${teamId}`,
    title: `Sync of ${teamId}`,
    kind: 'instant',
    startAt: now,
    endAt: null,
    timeZone: 'Europe/Paris',
    status: 'live',
    reminders: [],
    options: {},
    createdAt: now,
  });
  await store.upsertGuest({
    teamId,
    meetId,
    guestKey: `guest-${teamId}`,
    slackUserId: null,
    email: 'guest@example.org',
    name: 'Gina Guest',
    permissions: ['chat'],
    role: 'guest',
    addedBy: `U${teamId}1`,
    addedAt: now,
  });
  await store.upsertSeenRecording(
    { recId: `rec-${teamId}`, meetId, accId: 'acc', alId: 'al', teamId, hostSlackUserId: `U${teamId}1` },
    now,
  );
  await store.insertIntent(
    {
      id: `intent-${teamId}`,
      teamId,
      channelId: 'C1',
      userId: `U${teamId}1`,
      meetingName: 'Later',
      request: {
        kind: 'instant',
        hostLoginId: `login-${teamId}`,
        startAt: now.toISOString(),
        endAt: null,
        timeZone: 'Europe/Paris',
        options: {},
        invitees: [],
      },
      responseUrl: null,
      beforeIds: null,
    },
    'seed',
    60_000,
    now,
  );
  await store.openAdminRequest(
    {
      id: `req-${teamId}`,
      teamId,
      kind: 'access',
      subjectUserId: `U${teamId}2`,
      subjectName: 'Bo Builder',
      subjectEmail: null,
      loginId: null,
      ttlMs: 7 * 24 * 3_600_000,
    },
    now,
  );
  await store.markHomeOpened(teamId, `U${teamId}1`, now);
  await store.megameetingConnections(new SecretBox(Buffer.alloc(32, 4))).upsert({
    teamId,
    accountUrl: 'https://acme.megameeting.test',
    apiToken: `token-${teamId}`,
    loginId: `login-${teamId}`,
    loginEmail: 'admin@example.com',
    connectedBy: `U${teamId}1`,
    connectedAt: now,
  });
}

/** Rows of `teamId` per team-scoped table, counted with SQL under the store. */
export async function countTeamRows(url: string, teamId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TEAM_SCOPED_TABLES) {
    const [row] = await execSql(url, [`select count(*) as n from ${table} where team_id = '${teamId}'`]);
    counts[table] = Number(row?.n);
  }
  return counts;
}

/** What seedTeamData leaves: one row in each team-scoped table. */
export const ONE_OF_EACH: Record<string, number> = Object.fromEntries(TEAM_SCOPED_TABLES.map((t) => [t, 1]));
export const NONE: Record<string, number> = Object.fromEntries(TEAM_SCOPED_TABLES.map((t) => [t, 0]));
