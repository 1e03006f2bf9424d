/**
 * After an uninstall, over HTTP against the Slack stand-in: `app_uninstalled` (or the bot's `tokens_revoked`)
 * deletes the tokens at once and records the uninstall; the workspace's meetings, links, guests, recordings,
 * intents and admin requests stay for UNINSTALL_RETENTION_DAYS, then the purge job deletes them, and only
 * them; a re-install within the retention keeps everything. The job runs with the test clock.
 */
import { Writable } from 'node:stream';
import { appUninstalledEvent, tokensRevokedEvent } from '../../sandbox/slack/oauth.js';
import { workspacePurgeRun } from '../../src/jobs/workspace-purge.js';
import { createLogger } from '../../src/logger.js';
import { execSql } from '../store/helpers.js';
import { countTeamRows, NONE, ONE_OF_EACH, seedTeamData } from '../store/team-data.js';
import {
  install,
  installer,
  type MultiTestApp,
  startMultiTestApp,
  until,
  workspaceEvent,
} from './harness.js';

const DAY = 24 * 3_600_000;

describe('uninstalled workspaces: kept for the retention, then purged (HTTP, Slack stand-in)', () => {
  let app: MultiTestApp;
  const purgeLogs: string[] = [];
  beforeAll(async () => {
    app = await startMultiTestApp({ env: { UNINSTALL_RETENTION_DAYS: '30' } });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(async () => {
    await execSql(app.db.url, ['delete from slack_installations', 'delete from uninstalled_workspaces']);
    purgeLogs.length = 0;
  });

  /** One run of the purge job, `days` after now, under the app's configured retention. */
  function purgeAfter(days: number) {
    const logger = createLogger({
      level: 'info',
      secrets: [],
      destination: new Writable({
        write(chunk, _enc, cb) {
          purgeLogs.push(String(chunk));
          cb();
        },
      }),
    });
    const now = new Date(Date.now() + days * DAY);
    return workspacePurgeRun(
      {
        store: app.store,
        clock: { now: () => now },
        logger,
        retentionDays: app.config.workspaces.uninstallRetentionDays,
      },
      `test-${days}`,
    )();
  }

  test('app_uninstalled: tokens gone at once, data kept 30 days, then purged for that workspace only', async () => {
    await install(app, installer('T1UNI'));
    await install(app, installer('T1STAY'));
    await seedTeamData(app.store, 'T1UNI', new Date());
    await seedTeamData(app.store, 'T1STAY', new Date());

    expect((await workspaceEvent(app, 'T1UNI', appUninstalledEvent())).status).toBe(200);
    await until(async () => (await app.store.getUninstalledWorkspace('T1UNI')) !== null);
    expect(
      await app.running.installations.find({ teamId: 'T1UNI', isEnterpriseInstall: false }, new Date()),
    ).toBeNull();

    // The MegaMeeting credentials went with the Slack tokens; the rest waits for the retention.
    const keptAfterUninstall = { ...ONE_OF_EACH, megameeting_connections: 0 };
    expect(await countTeamRows(app.db.url, 'T1UNI')).toEqual(keptAfterUninstall);
    expect(await purgeAfter(29)).toMatchObject({ purged: [] });
    expect(await countTeamRows(app.db.url, 'T1UNI')).toEqual(keptAfterUninstall);

    expect(await purgeAfter(31)).toMatchObject({ purged: ['T1UNI'] });
    expect(await countTeamRows(app.db.url, 'T1UNI')).toEqual(NONE);
    expect(await countTeamRows(app.db.url, 'T1STAY')).toEqual(ONE_OF_EACH);
    expect(purgeLogs.join('')).toContain('"teamId":"T1UNI"');
    expect(purgeLogs.join('')).not.toMatch(/xox[bpe]|guest-T1UNI/);
  });

  test("the bot's tokens_revoked, then a re-install within the retention: nothing is ever purged", async () => {
    await install(app, installer('T1BACK'));
    await seedTeamData(app.store, 'T1BACK', new Date());
    await workspaceEvent(app, 'T1BACK', tokensRevokedEvent({ bot: ['UT1BACKBOT'] }));
    await until(async () => (await app.store.getUninstalledWorkspace('T1BACK')) !== null);

    await install(app, installer('T1BACK'));
    expect(await app.store.getUninstalledWorkspace('T1BACK')).toBeNull();
    expect(await purgeAfter(400)).toMatchObject({ purged: [] });
    // Everything kept but the MegaMeeting credentials, which the revocation deleted: an admin connects again.
    expect(await countTeamRows(app.db.url, 'T1BACK')).toEqual({ ...ONE_OF_EACH, megameeting_connections: 0 });
  });

  test('tokens_revoked for user tokens only records no uninstall', async () => {
    await install(app, installer('T1USER'));
    expect(
      (await workspaceEvent(app, 'T1USER', tokensRevokedEvent({ oauth: ['UT1USERADMIN'] }))).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await app.store.getUninstalledWorkspace('T1USER')).toBeNull();
  });
});
