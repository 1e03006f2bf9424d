/**
 * A MegaMeeting emulator, a Slack stand-in and a database in this process, and app processes (src/main.ts)
 * started on them, for tests that kill the app and start it again (test/app/crash-recovery*.test.ts).
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { createTestDatabase, execSql, type TestDatabase, type TestDialect } from '../store/helpers.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ChildApp, spawnApp } from './child-app.js';
import { eventually } from './harness.js';

/** Start-up (tsx compiles), a dead claim lapsing (20 s), the next recovery sweep (10 s), and margin. */
export const RECOVERY_WAIT_MS = 90_000;
export const CRASH_TEST_TIMEOUT_MS = 240_000;

export interface CrashWorld {
  emulator: Emulator;
  slack: SlackStub;
  db: TestDatabase;
  /** The test's own view of the database. */
  store: Store;
  apps: ChildApp[];
  start(): Promise<ChildApp>;
  close(): Promise<void>;
}

export async function crashWorld(dialect: TestDialect = 'sqlite'): Promise<CrashWorld> {
  const emulator = await startEmulator({ remuxDelayMs: 0 });
  const slack = await SlackStub.start();
  const db = await createTestDatabase(dialect);
  emulator.state.addLogin({
    email: TEST_WORKSPACE.userEmail,
    fullName: TEST_WORKSPACE.userRealName,
    roles: ['host'],
  });
  // Opened (and migrated) before any app: the apps then race only on their own work.
  const store = await openStore(db.url);
  const apps: ChildApp[] = [];
  return {
    emulator,
    slack,
    db,
    store,
    apps,
    async start() {
      const app = await spawnApp({ emulator, slack, databaseUrl: db.url });
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) app.kill('SIGKILL');
      await Promise.all(apps.map((a) => a.exited));
      await store.close();
      await slack.close();
      await emulator.close();
      await db.drop();
    },
  };
}

export async function killHard(app: ChildApp): Promise<void> {
  app.kill('SIGKILL');
  expect(await app.exited).toEqual({ code: null, signal: 'SIGKILL' });
}

/** Channel cards as Slack holds them. */
export const cardsIn = (slack: SlackStub) =>
  slack.messagesIn(TEST_WORKSPACE.channelId).filter((m) => m.metadata?.event_type === 'megameeting_card');

/** The states of every recorded meeting creation (raw SQL: fails, as it should, where there are none). */
export async function intentStates(db: TestDatabase): Promise<string[]> {
  return (await execSql(db.url, ['SELECT state FROM meeting_intents ORDER BY created_at'])).map((r) =>
    String(r.state),
  );
}

/**
 * Creates a meeting with a first app that is killed (`kill -9`) once MegaMeeting made the meeting but before
 * its answer reached the app. Returns the meeting's ID.
 */
export async function killDuringCreate(w: CrashWorld, title: string): Promise<string> {
  w.emulator.state.setAnswerLatency('createMeeting', 300_000);
  const first = await w.start();
  expect(await first.command(title, w.slack.responseUrl())).toBe(200);
  const made = await eventually(
    () => w.emulator.state.snapshot().meetings.find((m) => m.name === title),
    30_000,
  );
  await killHard(first);
  w.emulator.state.setAnswerLatency('createMeeting', 0);
  expect(w.slack.calls('chat.postMessage')).toEqual([]);
  expect(await w.store.findMeetingByMeetId(made.meetId)).toBeNull();
  return made.meetId;
}

/** Waits until the meeting has its card's ts and every recorded creation is finished; returns the meeting. */
export async function recovered(w: CrashWorld, meetId: string) {
  await eventually(async () => {
    if (!(await w.store.findMeetingByMeetId(meetId))?.messageTs) return false;
    const states = await intentStates(w.db);
    return states.length > 0 && states.every((s) => s === 'done' || s === 'failed');
  }, RECOVERY_WAIT_MS);
  expect(await intentStates(w.db)).toEqual(['done']);
  const stored = await w.store.findMeetingByMeetId(meetId);
  if (!stored?.messageTs) throw new Error(`meeting ${meetId} has no stored card: ${JSON.stringify(stored)}`);
  return { ...stored, messageTs: stored.messageTs };
}
