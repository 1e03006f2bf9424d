/**
 * What the store keeps of an uninstalled workspace, on both engines: the uninstall record (first time kept,
 * cleared by a re-install), the purge of every team-scoped row of that team and nothing of another's (one
 * transaction, only while still uninstalled before the cut-off with no installation), a purge racing a
 * re-install or another replica, and the pruning of expired leases. The schema itself is read to
 * check that every table with a team_id is purged or deliberately left.
 */
import { SecretBox } from '../../src/secrets/index.js';
import type { NewSlackInstallation, Store } from '../../src/store/types.js';
import { NOT_PURGED, SCOPE_PURGED_TABLES, TEAM_SCOPED_TABLES } from '../../src/store/workspace-retention.js';
import { execSql, type StorePair, type TestDialect, testDialects, useStorePair } from './helpers.js';
import { countTeamRows, NONE, ONE_OF_EACH, seedTeamData } from './team-data.js';

const DIALECTS = testDialects();
const T0 = new Date('2026-03-01T10:00:00Z');
const DAY = 24 * 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const ROUNDS = 10;
const box = new SecretBox(Buffer.alloc(32, 7));

function installation(teamId: string): NewSlackInstallation {
  return {
    teamId,
    teamName: `Team ${teamId}`,
    enterpriseId: null,
    enterpriseName: null,
    isEnterpriseInstall: false,
    appId: 'A1',
    botId: 'B1',
    botUserId: `U${teamId}BOT`,
    botScopes: ['commands'],
    botToken: `xoxb-${teamId}-token`,
    botRefreshToken: null,
    botExpiresAt: null,
    userId: null,
    userScopes: [],
    userToken: null,
    userRefreshToken: null,
    userExpiresAt: null,
    details: {},
  };
}

async function tablesWithColumn(url: string, dialect: TestDialect, column: string): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await execSql(url, [
          `select m.name as t from sqlite_master m join pragma_table_info(m.name) c where m.type = 'table' and c.name = '${column}'`,
        ])
      : await execSql(url, [
          `select table_name as t from information_schema.columns where table_schema = 'public' and column_name = '${column}'`,
        ]);
  return rows.map((r) => String(r.t)).sort();
}

describe.each(DIALECTS)('uninstalled workspaces on %s', (dialect) => {
  let store: Store;
  let other: Store;
  let pair: StorePair;
  useStorePair(dialect, (p) => {
    pair = p;
    ({ store, other } = p);
  });

  test('every table with a team_id is purged or named as left alone', async () => {
    const purged: readonly string[] = TEAM_SCOPED_TABLES;
    const left = Object.keys(NOT_PURGED);
    const unaccounted = (await tablesWithColumn(pair.db.url, dialect, 'team_id')).filter(
      (t) => !purged.includes(t) && !left.includes(t),
    );
    // A new table keyed by team: add it to TEAM_SCOPED_TABLES (or to NOT_PURGED, saying why).
    expect(unaccounted).toEqual([]);
    expect([...purged, ...left].sort()).toEqual(await tablesWithColumn(pair.db.url, dialect, 'team_id'));
  });

  test("every table with a scope column (a team's view's rows) is purged by it too", async () => {
    // A new table keeping rows by Store.forTeam's scope: add it to SCOPE_PURGED_TABLES (the purge matches it).
    expect(await tablesWithColumn(pair.db.url, dialect, 'scope')).toEqual([...SCOPE_PURGED_TABLES].sort());
  });

  test('the uninstall is recorded once (the first time stays) and read by another instance', async () => {
    expect(await store.getUninstalledWorkspace('T1')).toBeNull();
    await store.markWorkspaceUninstalled('T1', T0);
    await other.markWorkspaceUninstalled('T1', at(DAY));
    expect(await other.getUninstalledWorkspace('T1')).toEqual({ teamId: 'T1', uninstalledAt: T0 });
  });

  test('listed once uninstalled at or before the cut-off, longest ago first, up to the limit', async () => {
    await store.markWorkspaceUninstalled('T3', at(3 * DAY));
    await store.markWorkspaceUninstalled('T1', at(DAY));
    await store.markWorkspaceUninstalled('T2', at(2 * DAY));
    const teams = async (before: Date, limit = 10) =>
      (await store.listWorkspacesUninstalledBefore(before, limit)).map((w) => w.teamId);
    expect(await teams(at(DAY - 1))).toEqual([]);
    expect(await teams(at(2 * DAY))).toEqual(['T1', 'T2']);
    expect(await teams(at(9 * DAY), 2)).toEqual(['T1', 'T2']);
    expect(await store.listWorkspacesUninstalledBefore(at(DAY), 10)).toEqual([
      { teamId: 'T1', uninstalledAt: at(DAY) },
    ]);
  });

  test("a purge deletes every row of that team, in each table, and nothing of another team's", async () => {
    await seedTeamData(store, 'T1', T0);
    await seedTeamData(store, 'T2', T0);
    await store.markWorkspaceUninstalled('T1', T0);
    await store.markWorkspaceUninstalled('T2', at(DAY));
    await store.installations(box).upsert(installation('T3'), T0);

    expect(await store.purgeWorkspace('T1', at(DAY - 1))).toEqual(ONE_OF_EACH);
    expect(await countTeamRows(pair.db.url, 'T1')).toEqual(NONE);
    expect(await countTeamRows(pair.db.url, 'T2')).toEqual(ONE_OF_EACH);
    expect(await store.getUninstalledWorkspace('T1')).toBeNull();
    expect(await store.getUninstalledWorkspace('T2')).toEqual({ teamId: 'T2', uninstalledAt: at(DAY) });
    expect(
      await store.installations(box).find({ teamId: 'T3', isEnterpriseInstall: false }, T0),
    ).not.toBeNull();
    // Done once: a repeat finds nothing to do.
    expect(await other.purgeWorkspace('T1', at(DAY - 1))).toBeNull();
  });

  test('no purge (nothing deleted) unless uninstalled before the cut-off with no installation', async () => {
    await seedTeamData(store, 'T1', T0);
    // Never uninstalled.
    expect(await store.purgeWorkspace('T1', at(DAY))).toBeNull();
    // Uninstalled after the cut-off.
    await store.markWorkspaceUninstalled('T1', at(2 * DAY));
    expect(await store.purgeWorkspace('T1', at(DAY))).toBeNull();
    // Recorded, but an installation is there (the tokens' delete did not happen yet).
    await execSql(pair.db.url, [
      "insert into slack_installations (install_key, team_id, bot_user_id, bot_scopes, bot_token, details, version, installed_at, updated_at) values ('T:T1', 'T1', 'UBOT', '', 'x', '{}', 1, 0, 0)",
    ]);
    expect(await store.purgeWorkspace('T1', at(3 * DAY))).toBeNull();
    expect(await countTeamRows(pair.db.url, 'T1')).toEqual(ONE_OF_EACH);
    expect(await store.getUninstalledWorkspace('T1')).not.toBeNull();
  });

  test('a re-install clears the record: the data is kept and never purged', async () => {
    await seedTeamData(store, 'T1', T0);
    await store.markWorkspaceUninstalled('T1', T0);
    await store.markWorkspaceUninstalled('T2', T0);
    expect(await other.installations(box).upsert(installation('T1'), at(DAY))).toBe(true);
    expect(await store.getUninstalledWorkspace('T1')).toBeNull();
    expect(await store.getUninstalledWorkspace('T2')).not.toBeNull();
    await store.installations(box).deleteInstallation({ teamId: 'T1', isEnterpriseInstall: false });
    expect(await store.purgeWorkspace('T1', at(90 * DAY))).toBeNull();
    expect(await countTeamRows(pair.db.url, 'T1')).toEqual(ONE_OF_EACH);
  });

  test('expired leases are deleted (OAuth states included); live ones stay and still hold', async () => {
    await store.acquireLease('oauth-state:n1', 'h1', 660_000, T0);
    await store.acquireLease('guest-lock', 'h2', 120_000, T0);
    await store.acquireLease('recordings-poller', 'h3', 3_600_000, T0);
    expect(await store.pruneExpiredLeases(at(120_000))).toBe(1);
    expect(await store.getLease('guest-lock')).toBeNull();
    expect(await other.pruneExpiredLeases(at(700_000))).toBe(1);
    expect(await store.getLease('oauth-state:n1')).toBeNull();
    expect(await store.getLease('recordings-poller')).toEqual({
      name: 'recordings-poller',
      holder: 'h3',
      expiresAt: at(3_600_000),
    });
    expect(await other.acquireLease('recordings-poller', 'other', 60_000, at(700_000))).toBe(false);
  });
  test('a purge racing a re-install on another replica: all kept or all purged, never half', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const team = `TR${i}`;
      await seedTeamData(store, team, T0);
      await store.markWorkspaceUninstalled(team, T0);
      const [purged] = await Promise.all([
        store.purgeWorkspace(team, at(DAY)),
        other.installations(box).upsert(installation(team), at(DAY)),
      ]);
      expect(await countTeamRows(pair.db.url, team)).toEqual(purged ? NONE : ONE_OF_EACH);
      expect(await store.getUninstalledWorkspace(team)).toBeNull();
    }
  });

  test('two replicas purging the same workspace at once: one purges, the other finds nothing', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const team = `TP${i}`;
      await seedTeamData(store, team, T0);
      await store.markWorkspaceUninstalled(team, T0);
      const results = await Promise.all([
        store.purgeWorkspace(team, at(DAY)),
        other.purgeWorkspace(team, at(DAY)),
      ]);
      expect(results.filter((r) => r !== null)).toEqual([ONE_OF_EACH]);
      expect(await countTeamRows(pair.db.url, team)).toEqual(NONE);
    }
  });
});
