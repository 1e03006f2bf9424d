/**
 * The workspace purge job on a real store with the test clock: workspaces uninstalled more than
 * UNINSTALL_RETENTION_DAYS ago are purged (one log line each: team id and row counts, nothing else), younger
 * ones and re-installed ones are kept; expired leases go; only the lease holder runs; failures are logged.
 */
import { Writable } from 'node:stream';
import { workspacePurgeRun } from '../../src/jobs/workspace-purge.js';
import { createLogger } from '../../src/logger.js';
import { SecretBox } from '../../src/secrets/index.js';
import type { Store } from '../../src/store/types.js';
import { openTestStore, type TestStore } from '../store/helpers.js';
import { countTeamRows, NONE, ONE_OF_EACH, seedTeamData } from '../store/team-data.js';

const DAY = 24 * 3_600_000;
const T0 = new Date('2031-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let t: TestStore;
let store: Store;
beforeEach(async () => {
  t = await openTestStore('sqlite');
  store = t.store;
});
afterEach(async () => {
  await t.cleanup();
});

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', secrets: [], destination }) };
}

function job(clock: { now: () => Date }, logger = capture().logger, retentionDays = 30, holder = 'a') {
  return workspacePurgeRun({ store, clock, logger, retentionDays }, holder);
}

test('purges workspaces uninstalled more than the retention ago, keeps younger ones, logs team and counts', async () => {
  for (const team of ['TOLD', 'TNEW', 'TLIVE']) await seedTeamData(store, team, T0);
  await store.markWorkspaceUninstalled('TOLD', T0);
  await store.markWorkspaceUninstalled('TNEW', at(DAY));
  let now = at(30 * DAY);
  const { lines, logger } = capture();
  const run = job({ now: () => now }, logger);

  // Exactly 30 days: not yet more than the retention for TNEW, and TOLD is due at the cut-off.
  expect(await run()).toEqual({ purged: ['TOLD'], leases: 0 });
  expect(await countTeamRows(t.url, 'TOLD')).toEqual(NONE);
  expect(await countTeamRows(t.url, 'TNEW')).toEqual(ONE_OF_EACH);
  expect(await countTeamRows(t.url, 'TLIVE')).toEqual(ONE_OF_EACH);
  const purgedLines = lines
    .map((l) => JSON.parse(l))
    .filter((l) => l.msg.startsWith('workspace data purged'));
  expect(purgedLines).toEqual([
    expect.objectContaining({
      teamId: 'TOLD',
      uninstalledAt: T0.toISOString(),
      retentionDays: 30,
      rows: ONE_OF_EACH,
    }),
  ]);
  // No guest key, login, email or title in the line: only ids and counts.
  expect(lines.join('\n')).not.toMatch(/guest-TOLD|login-TOLD|example|Sync of/);

  now = at(31 * DAY);
  expect(await run()).toEqual({ purged: ['TNEW'], leases: 0 });
  expect(await countTeamRows(t.url, 'TNEW')).toEqual(NONE);
  expect(await countTeamRows(t.url, 'TLIVE')).toEqual(ONE_OF_EACH);
});

test('a workspace re-installed within the retention keeps its data', async () => {
  await seedTeamData(store, 'T1', T0);
  await store.markWorkspaceUninstalled('T1', T0);
  await store.installations(new SecretBox(Buffer.alloc(32, 9))).upsert(
    {
      teamId: 'T1',
      teamName: 'Back again',
      enterpriseId: null,
      enterpriseName: null,
      isEnterpriseInstall: false,
      appId: 'A1',
      botId: 'B1',
      botUserId: 'UBOT',
      botScopes: ['commands'],
      botToken: 'xoxb-T1-token',
      botRefreshToken: null,
      botExpiresAt: null,
      userId: null,
      userScopes: [],
      userToken: null,
      userRefreshToken: null,
      userExpiresAt: null,
      details: {},
    },
    at(10 * DAY),
  );
  expect(await job({ now: () => at(400 * DAY) })()).toEqual({ purged: [], leases: 0 });
  expect(await countTeamRows(t.url, 'T1')).toEqual(ONE_OF_EACH);
});

test('UNINSTALL_RETENTION_DAYS=0 purges at the next run', async () => {
  await seedTeamData(store, 'T1', T0);
  await store.markWorkspaceUninstalled('T1', T0);
  expect(await job({ now: () => at(60_000) }, undefined, 0)()).toEqual({ purged: ['T1'], leases: 0 });
});

test('expired leases go (OAuth states among them), live ones and its own stay', async () => {
  await store.acquireLease('oauth-state:abc', 'x', 660_000, T0);
  await store.acquireLease('guest-lock', 'y', 10 * DAY, T0);
  const { lines, logger } = capture();
  expect(await job({ now: () => at(DAY) }, logger)()).toEqual({ purged: [], leases: 1 });
  expect(await store.getLease('oauth-state:abc')).toBeNull();
  expect(await store.getLease('guest-lock')).not.toBeNull();
  expect(await store.getLease('workspace-purge')).toMatchObject({ holder: 'a' });
  expect(lines.map((l) => JSON.parse(l))).toEqual([
    expect.objectContaining({ leases: 1, msg: 'expired leases deleted' }),
  ]);
});

test('of two replicas only the lease holder runs; an hour later it runs again', async () => {
  await seedTeamData(store, 'T1', T0);
  await store.markWorkspaceUninstalled('T1', T0);
  let now = at(31 * DAY);
  const clock = { now: () => now };
  expect(await job(clock, undefined, 30, 'b')()).toEqual({ purged: ['T1'], leases: 0 });
  await store.markWorkspaceUninstalled('T2', T0);
  expect(await job(clock, undefined, 30, 'a')()).toBeNull();
  now = new Date(now.getTime() + 60 * 60_000);
  expect(await job(clock, undefined, 30, 'b')()).toEqual({ purged: ['T2'], leases: 0 });
});

test('a failing purge of one workspace is logged; the others are purged; a failing run never throws', async () => {
  await seedTeamData(store, 'T1', T0);
  await seedTeamData(store, 'T2', T0);
  await store.markWorkspaceUninstalled('T1', T0);
  await store.markWorkspaceUninstalled('T2', at(1));
  const { lines, logger } = capture();
  const failing: Store = Object.create(store, {
    purgeWorkspace: {
      value: async (teamId: string, before: Date) => {
        if (teamId === 'T1') throw new Error('disk full');
        return store.purgeWorkspace(teamId, before);
      },
    },
  });
  const run = workspacePurgeRun(
    { store: failing, clock: { now: () => at(31 * DAY) }, logger, retentionDays: 30 },
    'a',
  );
  expect(await run()).toEqual({ purged: ['T2'], leases: 0 });
  expect(lines.join('\n')).toContain('purging an uninstalled workspace failed');
  expect(await countTeamRows(t.url, 'T1')).toEqual(ONE_OF_EACH);

  const broken = workspacePurgeRun(
    {
      store: Object.create(store, {
        listWorkspacesUninstalledBefore: {
          value: async () => {
            throw new Error('db down');
          },
        },
      }),
      clock: { now: () => at(32 * DAY) },
      logger,
      retentionDays: 30,
    },
    'a',
  );
  await expect(broken()).resolves.toBeNull();
  expect(lines.join('\n')).toContain('the workspace purge failed');
});
