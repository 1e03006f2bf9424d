import { afterEach, describe, expect, it } from '@jest/globals';
import { ACTIONS } from '../../src/views/ids.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';
import {
  HOST,
  INTERVAL_S,
  type RecApp,
  recordingDms,
  remuxRequests,
  seedRecordings,
  startRecApp,
} from './setup.js';

let t: RecApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const step = INTERVAL_S * 1000;

describe('recordings over HTTP (the real Bolt app)', () => {
  it('a failed remux DM, then "Try again" by the host: processing requested again, the DM updated, then ready', async () => {
    t = await startRecApp();
    const { recIds } = seedRecordings(t.emulator, t.hostLoginId, 1, { title: 'Quarterly review' });
    const recId = recIds[0] as string;
    await t.poller.tick(); // startRemux #1
    t.emulator.state.failRecording(recId);
    t.clock.advance(step);
    await t.poller.tick();
    const failed = recordingDms(t.slack, recId, 'megameeting_recording_failed');
    expect(failed).toHaveLength(1);
    const dmChannel = String(failed[0]?.response.channel);
    const dmTs = String(failed[0]?.response.ts);

    // Someone else pressing it (e.g. a forwarded message) is refused, and nothing is requested.
    t.slack.addUser({ id: 'U0OTHER001', email: 'other@example.com' });
    const refused = await t.action(ACTIONS.retryRemux, recId, {
      userId: 'U0OTHER001',
      channelId: dmChannel,
      messageTs: dmTs,
    });
    expect(refused.status).toBe(200);
    const refusal = await t.slack.waitForResponse(refused.responseUrl);
    expect(refusal.body.text).toContain('Only the host');
    expect(remuxRequests(t.emulator)).toBe(1);

    const res = await t.action(ACTIONS.retryRemux, recId, { channelId: dmChannel, messageTs: dmTs });
    expect(res.status).toBe(200);
    const update = await t.slack.waitForCall('chat.update');
    expect(update.args).toMatchObject({ channel: dmChannel, ts: dmTs });
    assertValidMessageBlocks(update.args.blocks);
    expect(update.args.text).toContain('requested again');
    expect(remuxRequests(t.emulator)).toBe(2);
    expect(await t.store.getRecording(recId)).toMatchObject({ state: 'remux_requested', attempts: 2 });

    t.clock.advance(step);
    await t.poller.tick();
    expect(recordingDms(t.slack, recId)).toHaveLength(1);
    expect(recordingDms(t.slack, recId, 'megameeting_recording_failed')).toHaveLength(1);
    expect((await t.store.getRecording(recId))?.state).toBe('notified');
  });

  it('acknowledges the Download and Play link buttons', async () => {
    t = await startRecApp();
    for (const id of [ACTIONS.download, ACTIONS.play, `${ACTIONS.play}:abc`]) {
      const res = await t.action(id, 'abc');
      expect(res.status).toBe(200);
    }
    expect(t.logLines('unhandled')).toHaveLength(0);
  });

  it("/meet recordings lists the user's recordings with buttons for ready ones and the state of others", async () => {
    t = await startRecApp();
    const ready = seedRecordings(t.emulator, t.hostLoginId, 1, {
      title: 'Ready one',
      remuxStatus: 'completed',
    });
    const waiting = seedRecordings(t.emulator, t.hostLoginId, 1, {
      title: 'Waiting one',
      createdAt: new Date('2026-03-01T10:00:00Z'),
    });
    const someoneElse = t.emulator.state.addLogin({ email: 'zed@example.com', roles: ['host'] });
    seedRecordings(t.emulator, someoneElse.loginId, 1, { title: 'Not mine', remuxStatus: 'completed' });

    const res = await t.command('recordings');
    expect(res.status).toBe(200);
    const reply = await t.slack.waitForResponse(res.responseUrl);
    assertValidMessageBlocks(reply.body.blocks);
    const json = JSON.stringify(reply.body.blocks);
    expect(json).toContain('Ready one');
    expect(json).toContain('Waiting one');
    expect(json).not.toContain('Not mine');
    expect(json).toContain(`${ACTIONS.download}:${ready.recIds[0]}`);
    expect(json).toContain('getweb?recordingkey=/');
    expect(json).toContain('Waiting to be processed');
    expect(json).not.toContain(`${ACTIONS.download}:${waiting.recIds[0]}`);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(HOST).toBe('U0TESTUSR1');
  });
});
