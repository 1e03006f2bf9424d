/**
 * Shortcuts over signed HTTP, with callback_ids read from manifest.yml (design.md): the global shortcut "Start a
 * MegaMeeting" (App Home's start form with now or later) and the message shortcut "Meet about this" (an instant
 * meeting titled from the message, its card in the message's thread, the author invited by DM). Both modals open
 * before MegaMeeting is asked anything.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MEET_ABOUT_IDS, SCHEDULE_IDS, START_NOW_IDS, VIEWS } from '../../src/views/ids.js';
import { eventually, type SentRequest, startTestApp, type TestApp } from '../app/harness.js';
import { modalIssues } from '../support/block-kit.js';
import {
  globalShortcutPayload,
  interactivityBody,
  messageShortcutPayload,
  signSlackRequest,
} from '../support/slack-requests.js';
import type { StubCall } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';

const W = TEST_WORKSPACE;
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
  features: { shortcuts: { type: string; callback_id: string }[] };
};
const callbackOf = (type: 'global' | 'message'): string => {
  const found = manifest.features.shortcuts.find((s) => s.type === type);
  if (!found) throw new Error(`manifest.yml declares no ${type} shortcut`);
  return found.callback_id;
};
const AUTHOR = { id: 'U0AUTHOR01', name: 'ben', real_name: 'Ben Author', email: 'ben@example.com' };
const CHANNEL = 'C0SHORTCUT';

function send(t: TestApp, payload: object): Promise<SentRequest> {
  const body = interactivityBody(payload);
  return t.post(body, {
    ...signSlackRequest(body, W.signingSecret, Math.floor(Date.now() / 1000)),
    'content-type': 'application/x-www-form-urlencoded',
  });
}

/** The emulator's requests so far (MegaMeeting asked anything?). */
const megaRequests = (t: TestApp) => t.emulator.state.requests();

/** The first MegaMeeting request came after this Slack call (views.open), if any came at all. */
function afterOpen(t: TestApp, open: StubCall): void {
  for (const r of megaRequests(t)) expect(Date.parse(r.at)).toBeGreaterThanOrEqual(open.at);
}

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
  t.slack.addUser(AUTHOR);
});
afterEach(async () => {
  await t.close();
});

describe('global shortcut "Start a MegaMeeting"', () => {
  test('opens the start form with now or later at once, even with MegaMeeting slow; Now posts the card', async () => {
    t.emulator.state.setLatency(4000);
    t.emulator.state.clearRequests();
    const triggerId = t.slack.issueTriggerId();
    const res = await send(t, globalShortcutPayload({ callbackId: callbackOf('global'), triggerId }));
    expect(res.status).toBe(200);
    expect(res.elapsedMs).toBeLessThan(1500);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId, 3000);
    expect(open.response.ok).toBe(true);
    expect(megaRequests(t)).toEqual([]);
    const modal = await eventually(() => t.slack.lastView(VIEWS.startNow));
    expect(modalIssues(open.args.view)).toEqual([]);
    expect(JSON.stringify(modal.blocks)).toContain(START_NOW_IDS.when.action);
    t.emulator.state.setLatency(0);

    await t.submitView({
      callbackId: VIEWS.startNow,
      view: modal,
      values: {
        [START_NOW_IDS.title.block]: {
          [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: 'Roadmap' },
        },
        [START_NOW_IDS.channel.block]: {
          [START_NOW_IDS.channel.action]: { type: 'conversations_select', selected_conversation: CHANNEL },
        },
        [START_NOW_IDS.when.block]: {
          [START_NOW_IDS.when.action]: { type: 'radio_buttons', selected_option: { value: 'now' } },
        },
      },
    });
    const post = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL);
    expect(JSON.stringify(post.args.blocks)).toContain('Roadmap');
    afterOpen(t, open);
  });

  test('choosing Later turns the form into the scheduling form, with the title and channel carried over', async () => {
    await send(t, globalShortcutPayload({ callbackId: callbackOf('global') }));
    const modal = await eventually(() => t.slack.lastView(VIEWS.startNow));
    const values = {
      [START_NOW_IDS.title.block]: {
        [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: 'Offsite' },
      },
      [START_NOW_IDS.channel.block]: {
        [START_NOW_IDS.channel.action]: { type: 'conversations_select', selected_conversation: CHANNEL },
      },
      [START_NOW_IDS.when.block]: {
        [START_NOW_IDS.when.action]: { type: 'radio_buttons', selected_option: { value: 'later' } },
      },
    };
    await t.action(START_NOW_IDS.when.action, 'later', {
      view: modal,
      values,
      actions: [
        {
          action_id: START_NOW_IDS.when.action,
          block_id: START_NOW_IDS.when.block,
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: 'Later: schedule it' }, value: 'later' },
        },
      ],
    });
    const update = await t.slack.waitForCall('views.update', (c) => c.args.view_id === modal.id);
    expect(update.response.ok).toBe(true);
    const form = t.slack.view(modal.id);
    expect(form?.callback_id).toBe(VIEWS.schedule);
    const text = JSON.stringify(form?.blocks);
    expect(text).toContain('"initial_value":"Offsite"');
    expect(text).toContain(`"initial_conversation":"${CHANNEL}"`);
    expect(text).toContain(SCHEDULE_IDS.date.action);
    expect(megaRequests(t).filter((r) => r.fields.includes('createMeeting'))).toEqual([]);
  });

  test('submitting with Later (the switch missed) answers with the scheduling form', async () => {
    const res = await t.submitView({
      callbackId: VIEWS.startNow,
      values: {
        [START_NOW_IDS.title.block]: {
          [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: 'Later on' },
        },
        [START_NOW_IDS.channel.block]: {
          [START_NOW_IDS.channel.action]: { type: 'conversations_select', selected_conversation: null },
        },
        [START_NOW_IDS.when.block]: {
          [START_NOW_IDS.when.action]: { type: 'radio_buttons', selected_option: { value: 'later' } },
        },
      },
    });
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.body) as { response_action: string; view: { callback_id: string } };
    expect(answer.response_action).toBe('update');
    expect(answer.view.callback_id).toBe(VIEWS.schedule);
    expect(modalIssues(answer.view)).toEqual([]);
    expect(JSON.stringify(answer.view)).toContain('"initial_value":"Later on"');
    expect(t.slack.calls('chat.postMessage')).toEqual([]);
  });
});

describe('message shortcut "Meet about this"', () => {
  test('titles the meeting from the message, posts the card in its thread and invites its author', async () => {
    const message = t.slack.addMessage(CHANNEL, {
      user: AUTHOR.id,
      text: '*Checkout* is failing for EU users, see <https://status.example.com/x|the status page> &amp; logs\nmore detail below',
    });
    t.emulator.state.setLatency(4000);
    t.emulator.state.clearRequests();
    const triggerId = t.slack.issueTriggerId();
    const res = await send(
      t,
      messageShortcutPayload({
        callbackId: callbackOf('message'),
        triggerId,
        channelId: CHANNEL,
        responseUrl: t.slack.responseUrl(),
        message: { ts: message.ts, text: message.text, user: AUTHOR.id },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.elapsedMs).toBeLessThan(1500);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId, 3000);
    expect(open.response.ok).toBe(true);
    expect(megaRequests(t)).toEqual([]);
    expect(modalIssues(open.args.view)).toEqual([]);
    const modal = await eventually(() => t.slack.lastView(VIEWS.meetAbout));
    const title = 'Checkout is failing for EU users, see the status page & logs';
    expect(JSON.stringify(modal.blocks)).toContain(`"initial_value":"${title}"`);
    expect(JSON.stringify(modal.blocks)).toContain(`<@${AUTHOR.id}> gets an invitation by DM`);
    t.emulator.state.setLatency(0);

    await t.submitView({
      callbackId: VIEWS.meetAbout,
      view: modal,
      privateMetadata: modal.private_metadata,
      values: {
        [MEET_ABOUT_IDS.title.block]: {
          [MEET_ABOUT_IDS.title.action]: { type: 'plain_text_input', value: title },
        },
      },
    });
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL);
    expect(card.response.ok).toBe(true);
    expect(card.args.thread_ts).toBe(message.ts);
    expect(JSON.stringify(card.args.blocks)).toContain('Checkout is failing for EU users');
    const record = await eventually(async () => {
      const r = (await t.store.listMeetingsByHost(W.teamId, W.userId, ['live']))[0];
      return r?.messageTs ? r : undefined;
    });
    expect(record.title).toBe(title);
    expect(record.messageTs).toBe(card.response.ts);
    const dm = await t.slack.waitForMessage(AUTHOR.id, (m) => m.text.includes('invited you'));
    expect(dm.text).toContain(
      `<@${W.userId}> invited you to the MegaMeeting "${title.replace('&', '&amp;')}"`,
    );
    afterOpen(t, open);
  });

  test('on a reply, the card goes in the same thread; a bot message invites nobody; an emptied title is named after the host', async () => {
    const parent = t.slack.addMessage(CHANNEL, { user: AUTHOR.id, text: 'Release plan' });
    const reply = t.slack.addMessage(CHANNEL, {
      text: 'Deploy failed on step 3',
      thread_ts: parent.ts,
      bot_id: 'B0CI',
    });
    await send(
      t,
      messageShortcutPayload({
        callbackId: callbackOf('message'),
        channelId: CHANNEL,
        message: { ts: reply.ts, text: reply.text, thread_ts: parent.ts, bot_id: 'B0CI' },
      }),
    );
    const modal = await eventually(() => t.slack.lastView(VIEWS.meetAbout));
    expect(JSON.stringify(modal.blocks)).not.toContain('invitation by DM');
    await t.submitView({
      callbackId: VIEWS.meetAbout,
      view: modal,
      privateMetadata: modal.private_metadata,
      values: {
        [MEET_ABOUT_IDS.title.block]: {
          [MEET_ABOUT_IDS.title.action]: { type: 'plain_text_input', value: '' },
        },
      },
    });
    const card = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL);
    expect(card.args.thread_ts).toBe(parent.ts);
    expect(JSON.stringify(card.args.blocks)).toContain(`${W.userRealName}'s meeting`);
    // Invitations go out right after the card: give them the time they would take.
    await eventually(
      async () => (await t.store.listMeetingsByHost(W.teamId, W.userId, ['live']))[0]?.messageTs,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(t.slack.calls('conversations.open')).toEqual([]);
  });

  test('a title over the limit gets an inline error and nothing is created', async () => {
    const message = t.slack.addMessage(CHANNEL, { user: AUTHOR.id, text: 'Sync' });
    await send(
      t,
      messageShortcutPayload({
        callbackId: callbackOf('message'),
        channelId: CHANNEL,
        message: { ts: message.ts, text: message.text, user: AUTHOR.id },
      }),
    );
    const modal = await eventually(() => t.slack.lastView(VIEWS.meetAbout));
    const res = await t.submitView({
      callbackId: VIEWS.meetAbout,
      view: modal,
      privateMetadata: modal.private_metadata,
      values: {
        [MEET_ABOUT_IDS.title.block]: {
          [MEET_ABOUT_IDS.title.action]: { type: 'plain_text_input', value: 'x'.repeat(151) },
        },
      },
    });
    expect(JSON.parse(res.body)).toMatchObject({
      response_action: 'errors',
      errors: { [MEET_ABOUT_IDS.title.block]: expect.stringContaining('up to 150 characters') },
    });
    expect(megaRequests(t).filter((r) => r.fields.includes('createMeeting'))).toEqual([]);
  });
});
