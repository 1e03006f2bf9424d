/**
 * The stand-ins of one bench segment, in the driver's process (pinned away from the app): the MegaMeeting
 * emulator answering every API request after `latencyMs`, and the Slack Web API stand-in (no Block Kit
 * validation: that is a test feature and would only slow the stand-in down).
 */
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { SlackStub } from '../../sandbox/slack/stub.js';
import { TEST_WORKSPACE as W } from '../../sandbox/slack/workspace.js';

export interface StandIns {
  emulator: Emulator;
  slack: SlackStub;
  /** When each `chat.postMessage` carrying a bench title arrived (title → epoch ms). */
  cardTimes(): Map<string, number>;
  close(): Promise<void>;
}

const TITLE_RE = /Bench [a-z0-9]+ q[a-z]+/;

export async function startStandIns(latencyMs: number): Promise<StandIns> {
  const emulator = await startEmulator({ remuxDelayMs: 0 });
  emulator.state.addLogin({ email: W.userEmail, fullName: W.userRealName, roles: ['host'] });
  emulator.state.setLatency(latencyMs);
  const slack = await SlackStub.start({ validateBlocks: false });
  return {
    emulator,
    slack,
    cardTimes() {
      const times = new Map<string, number>();
      for (const call of slack.calls('chat.postMessage')) {
        const title = TITLE_RE.exec(JSON.stringify(call.args))?.[0];
        if (title && !times.has(title)) times.set(title, call.at);
      }
      return times;
    },
    async close() {
      await slack.close();
      await emulator.close();
    },
  };
}
