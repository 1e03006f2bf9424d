/**
 * The app's services without Bolt, for service-level tests: buildServices against the MegaMeeting emulator over
 * HTTP (the real client), the Slack stand-in through the real WebClient and a real store on SQLite. The default
 * Slack user (ana) is a MegaMeeting host. Fast enough for mutation testing (docs/mutation.md).
 *
 *   const stub = await SlackStub.start();          // once per file
 *   const w = await startServiceWorld(stub);       // per test
 *   await w.services.meetings.create(…);
 *   await w.close();
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { buildServices, type Services, type Tuning } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { MegaMeetingClient } from '../../src/megameeting/client.js';
import type { Clock } from '../../src/services/clock.js';
import { openTestStore, type TestStore } from '../store/helpers.js';
import { capturingLogger, type LogLine } from '../support/log-lines.js';
import type { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

export type { LogLine };

export interface ServiceWorld {
  emu: Emulator;
  db: TestStore;
  services: Services;
  /** The host login of the default Slack user. */
  hostLoginId: string;
  /** Every log line, parsed. */
  logs(): LogLine[];
  close(): Promise<void>;
}

export async function startServiceWorld(
  stub: SlackStub,
  opts: {
    clock?: Clock;
    emulator?: Emulator;
    megameetingUrl?: string;
    /** MEGAMEETING_API_TOKEN (the emulator's owner token unless given): which login is the app's own. */
    apiToken?: string;
    /** Waits the app lets tests shorten (e.g. callAddWaitMs). */
    tuning?: Tuning;
    /** More environment for loadConfig (e.g. REMINDER_MINUTES). */
    env?: Record<string, string>;
  } = {},
): Promise<ServiceWorld> {
  const W = TEST_WORKSPACE;
  const emu = opts.emulator ?? (await startEmulator({ remuxDelayMs: 0 }));
  // A shared emulator keeps the login it got the first time.
  const hostLoginId =
    emu.state.snapshot().logins.find((l) => l.email === W.userEmail)?.loginId ??
    emu.state.addLogin({ email: W.userEmail, fullName: W.userRealName, roles: ['host'] }).loginId;
  const db = await openTestStore('sqlite');
  const megameetingUrl = opts.megameetingUrl ?? emu.url;
  const apiToken = opts.apiToken ?? emu.adminToken;
  const config = loadConfig({
    SLACK_BOT_TOKEN: W.botToken,
    SLACK_SIGNING_SECRET: W.signingSecret,
    SLACK_API_URL: stub.url,
    PORT: '0',
    MEGAMEETING_URL: megameetingUrl,
    MEGAMEETING_API_TOKEN: apiToken,
    DATABASE_URL: db.url,
    RECORDINGS_POLL_SECONDS: '0',
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  const { logger, lines } = capturingLogger('debug');
  // The app's client, with short retry pauses so that a MegaMeeting failure is quick to see.
  const megameeting = new MegaMeetingClient({
    baseUrl: megameetingUrl,
    apiToken,
    retryBaseDelayMs: 1,
  });
  const clock = opts.clock ?? { now: () => new Date() };
  const services = buildServices(config, logger, db.store, clock, opts.tuning ?? {}, { megameeting });
  return {
    emu,
    db,
    services,
    hostLoginId,
    logs: () => [...lines],
    async close() {
      await db.cleanup();
      if (!opts.emulator) await emu.close();
    },
  };
}
