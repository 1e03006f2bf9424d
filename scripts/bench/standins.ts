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
  /** MegaMeeting API requests so far, by top-level field (`meetings`, `createMeeting`, …). */
  megameetingCalls(): Map<string, number>;
  close(): Promise<void>;
}

const TITLE_RE = /Bench [a-z0-9]+ q[a-z]+/;

/** The meetId on a card's End button (`meeting_end…` action). */
function endButtonValue(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = endButtonValue(item);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const o = node as Record<string, unknown>;
  if (
    typeof o.action_id === 'string' &&
    o.action_id.startsWith('meeting_end') &&
    typeof o.value === 'string'
  ) {
    return o.value;
  }
  return endButtonValue(Object.values(o));
}

/**
 * `liveMeetings`: meetings end on the emulator, oldest first, once more than this many are live (a busy account
 * has some hundreds live, not every meeting ever made: the app lists the account's live meetings before each
 * create). 0 keeps every meeting live.
 */
export async function startStandIns(latencyMs: number, liveMeetings = 0): Promise<StandIns> {
  const emulator = await startEmulator({ remuxDelayMs: 0 });
  emulator.state.addLogin({ email: W.userEmail, fullName: W.userRealName, roles: ['host'] });
  emulator.state.setLatency(latencyMs);
  const slack = await SlackStub.start({ validateBlocks: false });
  let ender: NodeJS.Timeout | undefined;
  if (liveMeetings > 0) {
    const live: string[] = [];
    let seen = 0;
    ender = setInterval(() => {
      const posts = slack.calls('chat.postMessage');
      for (; seen < posts.length; seen++) {
        const meetId = endButtonValue(posts[seen]?.args.blocks);
        if (meetId) live.push(meetId);
      }
      while (live.length > liveMeetings) {
        try {
          emulator.state.endMeeting(live.shift() as string);
        } catch {
          // already ended
        }
      }
    }, 200);
  }
  // The emulator keeps only its last 10,000 requests: tally them as they come.
  const calls = new Map<string, number>();
  const tally = () => {
    for (const r of emulator.state.requests())
      for (const f of r.fields) calls.set(f, (calls.get(f) ?? 0) + 1);
    emulator.state.clearRequests();
  };
  const tallier = setInterval(tally, 500);
  return {
    emulator,
    slack,
    megameetingCalls() {
      tally();
      return new Map(calls);
    },
    cardTimes() {
      const times = new Map<string, number>();
      for (const call of slack.calls('chat.postMessage')) {
        const title = TITLE_RE.exec(JSON.stringify(call.args))?.[0];
        if (title && !times.has(title)) times.set(title, call.at);
      }
      return times;
    },
    async close() {
      if (ender) clearInterval(ender);
      clearInterval(tallier);
      await slack.close();
      await emulator.close();
    },
  };
}
