/**
 * Deleting and sharing a recording over signed HTTP (the real Bolt app, the emulator, the Slack stand-in): by the
 * host from the ready DM and from App Home, by a MegaMeeting admin; refused for anyone else (crafted payloads
 * too); the DM updated; a deleted recording never announced; the share card in the chosen channel; channels the
 * bot cannot post in answered in the modal.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ACTIONS, SHARE_RECORDING_IDS, VIEWS } from '../../src/views/ids.js';
import { eventually } from '../app/harness.js';
import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';
import { appHomeOpenedEvent, eventCallbackBody, signSlackRequest } from '../support/slack-requests.js';
import type { StubView } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { HOST, linkHost, type RecApp, recordingDms, seedRecordings, startRecApp } from './setup.js';

const OTHER = 'U0OTHER001';
const ADMIN = 'U0MMADMIN1';
const SHARE_CHANNEL = 'C0SHARE001';

let t: RecApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function start(): Promise<RecApp> {
  const app = await startRecApp({ tuning: { homeDebounceMs: 50 } });
  app.slack.addUser({ id: OTHER, email: 'other@example.com' });
  return app;
}

/** A completed recording, announced: its ready DM's channel and ts. */
async function readyDm(app: RecApp, title = 'Design sync') {
  const { recIds, meetId } = seedRecordings(app.emulator, app.hostLoginId, 1, {
    title,
    remuxStatus: 'completed',
  });
  const recId = recIds[0] as string;
  await app.poller.tick();
  const dm = recordingDms(app.slack, recId)[0];
  if (!dm) throw new Error('no ready DM');
  return { recId, meetId, channel: String(dm.response.channel), ts: String(dm.response.ts), dm };
}

function emulatorCalls(app: RecApp, field: string): number {
  return app.emulator.state.requests().filter((r) => r.fields.includes(field)).length;
}

/** A MegaMeeting admin: a Slack user linked to a login with the admin role (not a Slack workspace admin). */
async function addMegaMeetingAdmin(app: RecApp): Promise<void> {
  const login = app.emulator.state.addLogin({ email: 'boss@example.com', roles: ['admin', 'host'] });
  app.slack.addUser({ id: ADMIN, email: 'boss@example.com' });
  await linkHost(app.store, login.loginId, app.clock.now(), ADMIN);
}

let eventSeq = 0;
async function openHome(app: RecApp, userId: string = HOST): Promise<StubView> {
  const before = app.slack.calls('views.publish').length;
  const body = eventCallbackBody(appHomeOpenedEvent({ userId }), {
    event_id: `EvRECHOME${String(++eventSeq).padStart(4, '0')}`,
  });
  await app.post(body, {
    ...signSlackRequest(body, TEST_WORKSPACE.signingSecret, Math.floor(Date.now() / 1000)),
    'content-type': 'application/json',
  });
  await eventually(() => app.slack.calls('views.publish').length > before);
  return (await eventually(() => app.slack.homeView(userId))) as StubView;
}

function submitShare(app: RecApp, modal: StubView, channel: string, userId: string = HOST) {
  return app.submitView({
    callbackId: VIEWS.shareRecording,
    view: modal,
    privateMetadata: modal.private_metadata,
    userId,
    values: {
      [SHARE_RECORDING_IDS.channel.block]: {
        [SHARE_RECORDING_IDS.channel.action]: {
          type: 'conversations_select',
          selected_conversation: channel,
        },
      },
    },
  });
}

describe('deleting a recording', () => {
  it('by the host from the ready DM: deleted in MegaMeeting, the DM says so, and the poller never announces it again', async () => {
    t = await start();
    const { recId, channel, ts, dm } = await readyDm(t, 'Quarterly review');
    // The DM offers Share and Delete, Delete behind a confirmation.
    const dmJson = JSON.stringify(dm.args.blocks);
    expect(dmJson).toContain(ACTIONS.shareRecording);
    expect(dmJson).toContain('"confirm"');

    const res = await t.action(ACTIONS.deleteRecording, recId, { channelId: channel, messageTs: ts });
    expect(res.status).toBe(200);
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(update.args.channel).toBe(channel);
    assertValidMessageBlocks(update.args.blocks);
    expect(update.args.text).toContain('Quarterly review');
    expect(update.args.text).toContain('deleted');
    expect(JSON.stringify(update.args.blocks)).toContain(`<@${HOST}> deleted it`);
    // No buttons left on a deleted recording.
    expect(JSON.stringify(update.args.blocks)).not.toContain('"actions"');
    expect(t.emulator.state.recordings.has(recId)).toBe(false);
    expect(emulatorCalls(t, 'deleteRecording')).toBe(1);
    expect((await t.store.getRecording(recId))?.state).toBe('deleted');

    t.clock.advance(60_000);
    expect((await t.poller.tick()).status).toBe('ok');
    expect(recordingDms(t.slack, recId)).toHaveLength(1);
    expect((await t.store.getRecording(recId))?.state).toBe('deleted');
  });

  it('a recording deleted while a poller pass holds an older listing is never announced', async () => {
    t = await start();
    // Ready in MegaMeeting, not yet announced: App Home already shows it with Delete.
    const { recIds } = seedRecordings(t.emulator, t.hostLoginId, 1, { remuxStatus: 'completed' });
    const recId = recIds[0] as string;
    // The pass reads the listing (with the recording) at once; its answer arrives late.
    t.emulator.state.setAnswerLatency('recordings', 3000);
    const tick = t.poller.tick();
    await eventually(() => emulatorCalls(t as RecApp, 'recordings') >= 1);
    t.emulator.state.setAnswerLatency('recordings', 0);
    let tickDone = false;
    void tick.then(() => {
      tickDone = true;
    });

    const home = await openHome(t);
    expect(JSON.stringify(home.blocks)).toContain(`${ACTIONS.deleteRecording}:${recId}`);
    await t.action(`${ACTIONS.deleteRecording}:${recId}`, recId, { view: home });
    await eventually(async () => (await t?.store.getRecording(recId))?.state === 'deleted');
    expect(t.emulator.state.recordings.has(recId)).toBe(false);
    // The pass read its listing before the delete and must still be waiting for it, or this test proves nothing.
    expect(tickDone).toBe(false);

    const report = await tick;
    expect(report.status).toBe('ok');
    expect(report.listed).toBe(1);
    expect(report.notifiedReady).toBe(0);
    expect(recordingDms(t.slack, recId)).toHaveLength(0);
    // Home is published again without it.
    await eventually(() => !JSON.stringify(t?.slack.homeView(HOST)?.blocks).includes(recId));
  });

  it('from App Home: the ready DM turns into "deleted" too', async () => {
    t = await start();
    const { recId, ts } = await readyDm(t, 'Retro');
    const home = await openHome(t);
    await t.action(`${ACTIONS.deleteRecording}:${recId}`, recId, { view: home });
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(update.args.text).toContain('Retro');
    expect(update.args.text).toContain('deleted');
    expect(t.emulator.state.recordings.has(recId)).toBe(false);
  });

  it('by a MegaMeeting admin: the host’s DM names the admin', async () => {
    t = await start();
    await addMegaMeetingAdmin(t);
    const { recId, channel, ts } = await readyDm(t);
    await t.action(ACTIONS.deleteRecording, recId, { userId: ADMIN, channelId: channel, messageTs: ts });
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(JSON.stringify(update.args.blocks)).toContain(`<@${ADMIN}> deleted it`);
    expect(t.emulator.state.recordings.has(recId)).toBe(false);
  });

  it('refused for anyone else, whatever the payload says: nothing is deleted, nothing changes', async () => {
    t = await start();
    const { recId, channel, ts } = await readyDm(t);
    const reads = emulatorCalls(t, 'recordings');
    // A crafted press on the host's DM (its channel, its ts, the recording's ID) by someone who is neither.
    const res = await t.action(ACTIONS.deleteRecording, recId, {
      userId: OTHER,
      channelId: channel,
      messageTs: ts,
    });
    expect(res.status).toBe(200);
    const refusal = await t.slack.waitForResponse(res.responseUrl);
    expect(refusal.body.text).toBe('Only the host of this recording or an admin can delete it.');
    expect(refusal.body.response_type).toBe('ephemeral');
    // The same from a "Home tab" with a suffixed action_id.
    const res2 = await t.action(`${ACTIONS.deleteRecording}:${recId}`, recId, {
      userId: OTHER,
      view: { id: 'V0FAKE', type: 'home', blocks: [] },
    });
    expect(res2.status).toBe(200);
    await t.slack.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('Only the host'));
    expect(emulatorCalls(t, 'deleteRecording')).toBe(0);
    // Refused before MegaMeeting was asked anything about the recording.
    expect(emulatorCalls(t, 'recordings')).toBe(reads);
    expect(t.emulator.state.recordings.has(recId)).toBe(true);
    expect((await t.store.getRecording(recId))?.state).toBe('notified');
    expect(t.slack.calls('chat.update')).toHaveLength(0);
  });

  it('from the /meet recordings list (ephemeral): the presser is told, the DM says deleted', async () => {
    t = await start();
    const { recId, ts } = await readyDm(t, 'Weekly sync');
    const listed = await t.command('recordings');
    const list = await t.slack.waitForResponse(listed.responseUrl);
    expect(JSON.stringify(list.body.blocks)).toContain(`${ACTIONS.deleteRecording}:${recId}`);
    const res = await t.action(`${ACTIONS.deleteRecording}:${recId}`, recId, { isEphemeral: true });
    const told = await t.slack.waitForResponse(res.responseUrl);
    expect(told.body).toMatchObject({
      text: 'Deleted the recording of "Weekly sync".',
      response_type: 'ephemeral',
      replace_original: false,
    });
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(update.args.text).toContain('Weekly sync');
    expect(t.emulator.state.recordings.has(recId)).toBe(false);
  });

  it('a recording MegaMeeting no longer has: the DM says so and it is marked deleted', async () => {
    t = await start();
    const { recId, channel, ts } = await readyDm(t, 'Gone already');
    t.emulator.state.recordings.delete(recId); // deleted in MegaMeeting's own UI
    await t.action(ACTIONS.deleteRecording, recId, { channelId: channel, messageTs: ts });
    const update = await t.slack.waitForCall('chat.update', (c) => c.args.ts === ts);
    assertValidMessageBlocks(update.args.blocks);
    expect(JSON.stringify(update.args.blocks)).toContain('MegaMeeting no longer has it');
    // MegaMeeting no longer says what it was; the store names the meeting (created outside the app: its ID).
    expect(update.args.text).toContain('Meeting ');
    expect(emulatorCalls(t, 'deleteRecording')).toBe(0);
    expect((await t.store.getRecording(recId))?.state).toBe('deleted');
  });

  it('MegaMeeting down: a clear answer, and the recording and its DM stay as they were', async () => {
    t = await start();
    const { recId, channel, ts } = await readyDm(t);
    t.emulator.state.injectFaults('status503', 50);
    const res = await t.action(ACTIONS.deleteRecording, recId, { channelId: channel, messageTs: ts });
    const answer = await t.slack.waitForResponse(res.responseUrl);
    expect(answer.body.text).toContain("MegaMeeting isn't answering");
    expect(answer.body.text).toContain('delete the recording');
    t.emulator.state.clearFaults();
    expect(t.emulator.state.recordings.has(recId)).toBe(true);
    expect((await t.store.getRecording(recId))?.state).toBe('notified');
    expect(t.slack.calls('chat.update')).toHaveLength(0);
  });
});

describe('sharing a recording', () => {
  it('by the host: a modal with a channel picker, then a card with Play in that channel and a note on who can watch', async () => {
    t = await start();
    const { recId, meetId, channel, ts } = await readyDm(t, 'All hands');
    const res = await t.action(ACTIONS.shareRecording, recId, { channelId: channel, messageTs: ts });
    expect(res.status).toBe(200);
    const modal = await eventually(() => t?.slack.lastView(VIEWS.shareRecording));
    assertValidModal((await t.slack.waitForCall('views.open')).args.view);
    expect(JSON.stringify(modal.blocks)).toContain('conversations_select');
    expect(JSON.stringify(modal.blocks)).toContain('Everyone in the channel you pick can watch it');

    const submitted = await submitShare(t, modal, SHARE_CHANNEL);
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.body)).toMatchObject({ response_action: 'update' });
    const post = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === SHARE_CHANNEL);
    assertValidMessageBlocks(post.args.blocks);
    const card = JSON.stringify(post.args.blocks);
    const remote = t.emulator.state.recordings.get(recId);
    expect(card).toContain(`${t.emulator.url}/videoplayer/?key=${meetId}`);
    expect(card).toContain('Everyone in this channel can watch it');
    expect(card).toContain(`<@${HOST}> shared the recording of *All hands*`);
    expect(card).not.toContain('getweb'); // Play only
    expect(remote).toBeDefined();
    // The modal says it is done.
    await eventually(() =>
      JSON.stringify(t?.slack.view(modal.id)?.blocks).includes(`Shared *All hands* in <#${SHARE_CHANNEL}>`),
    );
    assertValidModal((await t.slack.waitForCall('views.update')).args.view);
    // What the submission answered at once (the "sharing" state) is a valid modal too.
    assertValidModal(JSON.parse(submitted.body).view);
  });

  it('in a channel the bot is not in: the modal says why and what to do, nothing is posted', async () => {
    t = await start();
    const { recId, channel, ts } = await readyDm(t);
    t.slack.addChannel({ id: 'C0NOTMINE1', name: 'lounge', is_member: false });
    t.slack.addChannel({ id: 'G0PRIVATE1', name: 'secret', is_private: true, is_member: false });
    t.slack.addChannel({ id: 'C0ARCHIVE1', name: 'old', is_archived: true });
    await t.action(ACTIONS.shareRecording, recId, { channelId: channel, messageTs: ts });
    const modal = await eventually(() => t?.slack.lastView(VIEWS.shareRecording));

    const cases: [string, string][] = [
      ['C0NOTMINE1', "I'm not in <#C0NOTMINE1>"],
      ['G0PRIVATE1', "it's private and the MegaMeeting app isn't in it"],
      ['C0ARCHIVE1', '<#C0ARCHIVE1> is archived'],
    ];
    for (const [target, says] of cases) {
      await submitShare(t, modal, target);
      const update = await t.slack.waitForCall('views.update', (c) =>
        JSON.stringify(c.args.view).includes(says),
      );
      const shown = update.args.view;
      assertValidModal(shown);
      // The form again, the channel still picked, Share still there.
      expect(shown.submit?.text).toBe('Share');
      expect(JSON.stringify(shown.blocks)).toContain(`"initial_conversation":"${target}"`);
    }
    expect(
      t.slack.calls('chat.postMessage').filter((c) => c.response.ok && c.args.channel !== channel),
    ).toHaveLength(0);
  });

  it('refused for anyone else: no modal, and a crafted submission posts nothing', async () => {
    t = await start();
    const { recId, channel, ts } = await readyDm(t);
    const res = await t.action(ACTIONS.shareRecording, recId, {
      userId: OTHER,
      channelId: channel,
      messageTs: ts,
    });
    const refusal = await t.slack.waitForResponse(res.responseUrl);
    expect(refusal.body.text).toBe('Only the host of this recording or an admin can share it.');
    expect(t.slack.calls('views.open')).toHaveLength(0);

    // The host's modal, submitted by someone else (a crafted payload): refused in the modal, nothing posted.
    await t.action(ACTIONS.shareRecording, recId, { channelId: channel, messageTs: ts });
    const modal = await eventually(() => t?.slack.lastView(VIEWS.shareRecording));
    await submitShare(t, modal, SHARE_CHANNEL, OTHER);
    await eventually(() => JSON.stringify(t?.slack.view(modal.id)?.blocks).includes('Only the host'));
    expect(t.slack.calls('chat.postMessage').filter((c) => c.args.channel === SHARE_CHANNEL)).toHaveLength(0);
  });

  it('from App Home by the host, and by a MegaMeeting admin from the DM', async () => {
    t = await start();
    await addMegaMeetingAdmin(t);
    const { recId, channel, ts } = await readyDm(t, 'Launch');
    const home = await openHome(t);
    await t.action(`${ACTIONS.shareRecording}:${recId}`, recId, { view: home });
    const modal = await eventually(() => t?.slack.lastView(VIEWS.shareRecording));
    await submitShare(t, modal, SHARE_CHANNEL);
    await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === SHARE_CHANNEL);

    await t.action(ACTIONS.shareRecording, recId, { userId: ADMIN, channelId: channel, messageTs: ts });
    const adminModal = await eventually(() => {
      const v = t?.slack.lastView(VIEWS.shareRecording);
      return v && v.id !== modal.id ? v : undefined;
    });
    await submitShare(t, adminModal, 'C0SHARE002', ADMIN);
    const post = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0SHARE002');
    expect(JSON.stringify(post.args.blocks)).toContain(`<@${ADMIN}> shared the recording of *Launch*`);
  });

  it('a recording still processing cannot be shared yet: the modal says so', async () => {
    t = await start();
    const { recIds } = seedRecordings(t.emulator, t.hostLoginId, 1, { remuxStatus: 'waiting' });
    const recId = recIds[0] as string;
    const modalOpened = await t.action(`${ACTIONS.shareRecording}:${recId}`, recId, { isEphemeral: true });
    expect(modalOpened.status).toBe(200);
    const modal = await eventually(() => t?.slack.lastView(VIEWS.shareRecording));
    await submitShare(t, modal, SHARE_CHANNEL);
    await eventually(() =>
      JSON.stringify(t?.slack.view(modal.id)?.blocks).includes("hasn't finished processing"),
    );
    expect(t.slack.calls('chat.postMessage').filter((c) => c.args.channel === SHARE_CHANNEL)).toHaveLength(0);
  });
});
