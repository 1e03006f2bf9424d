/**
 * Issue 10, item 4, with replicas: after a `kill -9`, two fresh app processes on one Postgres database both
 * look for the interrupted creation at start-up and every 10 seconds; exactly one of them finishes it.
 */
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import {
  CRASH_TEST_TIMEOUT_MS,
  type CrashWorld,
  cardsIn,
  crashWorld,
  killDuringCreate,
  recovered,
} from './crash-world.js';

let w: CrashWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

test(
  'two replicas on Postgres recover a creation killed during createMeeting exactly once',
  async () => {
    w = await crashWorld('postgres');
    const meetId = await killDuringCreate(w, 'Two replicas');

    const [a, b] = await Promise.all([w.start(), w.start()]);
    const stored = await recovered(w, meetId);
    // Finished: from here on no replica can claim it again, so what was sent is all that will ever be sent.
    expect(w.slack.calls('chat.postMessage')).toHaveLength(1);
    expect(cardsIn(w.slack)).toHaveLength(1);
    expect(w.slack.calls('chat.postMessage')[0]?.response).toMatchObject({ ok: true, ts: stored.messageTs });
    expect(stored).toMatchObject({ hostSlackUserId: TEST_WORKSPACE.userId, cardDelivery: 'chat' });
    const recoveries = [a, b].map((app) => app.logged('recovered an interrupted meeting creation').length);
    expect(recoveries.sort()).toEqual([0, 1]);
    const took = [a, b].map((app) => app.logged('recovering an interrupted meeting creation').length);
    expect(took.sort()).toEqual([0, 1]);
    expect(w.emulator.state.snapshot().meetings.filter((m) => m.name === 'Two replicas')).toHaveLength(1);
  },
  CRASH_TEST_TIMEOUT_MS,
);
