/**
 * `/meet` end to end: the real Bolt app over signed HTTP, the MegaMeeting emulator, the Slack stand-in.
 */
import { jest } from '@jest/globals';
import { ACTIONS } from '../../src/views/ids.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually, startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
let t: TestApp;

beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

interface ButtonLike {
  type: string;
  action_id?: string;
  url?: string;
  value?: string;
}
function buttonsOf(blocks: unknown[] | undefined): ButtonLike[] {
  return (blocks ?? []).flatMap((b) => {
    const block = b as { type: string; elements?: ButtonLike[] };
    return block.type === 'actions' ? (block.elements ?? []) : [];
  });
}
function liveMeetings() {
  return t.emulator.state.snapshot().meetings.filter((m) => !m.ended);
}
/** The one live meeting; fails the test when there is not exactly one. */
function onlyLiveMeeting() {
  const live = liveMeetings();
  expect(live).toHaveLength(1);
  const [meeting] = live;
  if (!meeting) throw new Error('no live meeting');
  return meeting;
}

describe('instant meetings', () => {
  test('/meet posts a card with a Join button and an End button; the meeting is created for the host', async () => {
    const res = await t.command('');
    expect(res.status).toBe(200);
    const post = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === W.channelId);
    const meeting = onlyLiveMeeting();
    expect(meeting.loginId).toBe(t.hostLogin?.loginId);
    expect(meeting.name).toBe(`${W.userRealName}'s meeting`);

    const blocks = post.args.blocks as unknown[];
    assertValidMessageBlocks(blocks);
    const buttons = buttonsOf(blocks);
    expect(buttons.find((b) => b.action_id === ACTIONS.join)?.url).toBe(
      `${t.emulator.url}/meeting/?id=${meeting.meetId}`,
    );
    expect(buttons.find((b) => b.action_id === ACTIONS.end)?.value).toBe(meeting.meetId);
    expect(JSON.stringify(blocks)).toContain(`<@${W.userId}>`);
    expect(JSON.stringify(blocks)).toMatch(/<!date\^\d{10}\^/);

    const stored = await eventually(async () => {
      const m = await t.store.getMeeting(W.teamId, meeting.meetId);
      return m?.cardDelivery === 'chat' ? m : undefined;
    });
    expect(stored).toMatchObject({
      status: 'live',
      kind: 'instant',
      cardDelivery: 'chat',
      channelId: W.channelId,
    });
    expect(stored?.messageTs).toBe(String(post.response.ts));
  });

  test('/meet <title> uses the title; a subcommand word whose arguments do not fit is a title', async () => {
    await t.command('end of quarter review');
    await t.slack.waitForCall('chat.postMessage');
    expect(liveMeetings().map((m) => m.name)).toEqual(['end of quarter review']);
  });

  test('hostile titles round-trip verbatim and run no other operation', async () => {
    const hostile = 'Q&A ") { status } } mutation { deleteLogin(loginId: "x") { status } } \\ 🎉';
    const loginsBefore = t.emulator.state.snapshot().logins;
    expect(loginsBefore.length).toBeGreaterThanOrEqual(1);
    await t.command(hostile.replace(/&/g, '&amp;'));
    await t.slack.waitForCall('chat.postMessage');
    expect(liveMeetings().map((m) => m.name)).toEqual([hostile]);
    const fields = t.emulator.state.requests().flatMap((r) => r.fields);
    expect(fields).not.toContain('deleteLogin');
    // Every login is still there, unchanged: the title was data, not an operation.
    expect(t.emulator.state.snapshot().logins).toEqual(loginsBefore);
  });

  test('a title over 150 characters is refused with a clear message and nothing is created', async () => {
    const res = await t.command('x'.repeat(151));
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain('up to 150 characters');
    expect(liveMeetings()).toHaveLength(0);
  });

  test('mentioned users get a DM invitation with the Join button', async () => {
    t.slack.addUser({ id: 'U0BEN00001', real_name: 'Ben', email: 'ben@example.com', tz: 'Europe/Paris' });
    t.slack.addUser({ id: 'U0CAT00001', real_name: 'Cat', email: 'cat@example.com', tz: 'Asia/Kolkata' });
    await t.command('<@U0BEN00001|ben> <@U0CAT00001> Design sync');
    await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === t.slack.dmChannelFor('U0CAT00001'),
    );
    const meeting = onlyLiveMeeting();
    expect(meeting.name).toBe('Design sync');
    for (const user of ['U0BEN00001', 'U0CAT00001']) {
      const dm = t.slack.messagesIn(t.slack.dmChannelFor(user)).at(-1);
      expect(dm?.text).toContain('Design sync');
      expect(buttonsOf(dm?.blocks as unknown[]).find((b) => b.action_id === ACTIONS.join)?.url).toBe(
        `${t.emulator.url}/meeting/?id=${meeting.meetId}`,
      );
    }
  });

  test('a hostile title is inert in the notification text of the card and of the DM invitation', async () => {
    t.slack.addUser({ id: 'U0BEN00001', real_name: 'Ben', email: 'ben@example.com' });
    await t.command('<@U0BEN00001|ben> Sync <!channel> <https://evil.example|click here>');
    const dm = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === t.slack.dmChannelFor('U0BEN00001'),
    );
    const card = t.slack.calls('chat.postMessage').find((c) => c.args.channel === W.channelId);
    expect(onlyLiveMeeting().name).toContain('<!channel>');
    for (const text of [String(card?.args.text), String(dm.args.text)]) {
      expect(text).toContain('&lt;!channel&gt;');
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil');
    }
  });

  test('where the bot cannot post, the card goes out through the response_url, in channel', async () => {
    t.slack.addChannel({ id: 'G0PRIVATE1', is_private: true, is_member: false });
    const res = await t.command('Private sync', { channel_id: 'G0PRIVATE1' });
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.response_type).toBe('in_channel');
    const meeting = onlyLiveMeeting();
    expect(
      buttonsOf(reply.body.blocks as unknown[]).find((b) => b.action_id === ACTIONS.join)?.url,
    ).toContain(meeting.meetId);
    await eventually(
      async () => (await t.store.getMeeting(W.teamId, meeting.meetId))?.cardDelivery === 'response_url',
    );
    const explained = await t.slack.waitForResponse(
      res.responseUrl,
      (r) => r.body.response_type === 'ephemeral',
    );
    expect(explained.body.text).toContain("I can't update it when the meeting changes or ends");
  });

  test('an unmapped user is told what to ask for, and nothing is created', async () => {
    t.slack.addUser({ id: 'U0NOLOGIN1', real_name: 'Nobody', email: 'nobody@example.com' });
    const res = await t.command('Hello', { user_id: 'U0NOLOGIN1' });
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain('nobody@example.com');
    expect(reply.body.text).toContain('MegaMeeting admin');
    expect(reply.body.response_type ?? 'ephemeral').toBe('ephemeral');
    expect(liveMeetings()).toHaveLength(0);
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
  });
});

describe('MegaMeeting trouble', () => {
  test('MegaMeeting down: the user gets a short message, nothing is posted or stored', async () => {
    t.emulator.state.injectFaults('error500', 10);
    const res = await t.command('Standup');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain(
      "MegaMeeting isn't answering right now, so I couldn't create the meeting",
    );
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
    expect(await t.store.listMeetings(W.teamId, ['live', 'scheduled', 'ended'])).toHaveLength(0);
  });

  test('MegaMeeting slow: the command is acknowledged before MegaMeeting answers', async () => {
    t.emulator.state.setLatency(1500);
    const res = await t.command('Slow one');
    expect(res.status).toBe(200);
    // The ack came back while the meeting was still being created: no card yet.
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
    await t.slack.waitForCall('chat.postMessage', undefined, 10_000);
    expect(liveMeetings().map((m) => m.name)).toEqual(['Slow one']);
  });
});

describe('failures after MegaMeeting created the meeting', () => {
  test('a card Slack refuses does not read as "not created": the host is told privately where the meeting is', async () => {
    t.slack.failNext('chat.postMessage', 'msg_too_long');
    const res = await t.command('Standup');
    const told = await t.slack.waitForCall('chat.postEphemeral');
    const meeting = onlyLiveMeeting();
    expect(told.args.user).toBe(W.userId);
    expect(String(told.args.text)).toContain(`I created "Standup" (meeting ID ${meeting.meetId})`);
    expect(String(told.args.text)).toContain(`${t.emulator.url}/meeting/?id=${meeting.meetId}`);
    expect(await t.store.getMeeting(W.teamId, meeting.meetId)).toMatchObject({ status: 'live' });
    // No "couldn't create" message that would make the user create it twice.
    expect(t.slack.responses(res.responseUrl)).toHaveLength(0);
  });

  test('a meeting the store cannot remember is ended on MegaMeeting again, and the user is told', async () => {
    const insert = jest.spyOn(t.store, 'insertMeeting').mockRejectedValueOnce(new Error('disk full'));
    const res = await t.command('Unstorable');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain("couldn't create the meeting");
    expect(insert).toHaveBeenCalledTimes(1);
    const [created] = t.emulator.state.snapshot().meetings;
    expect(created).toMatchObject({ name: 'Unstorable', ended: true });
    expect(t.slack.calls('chat.postMessage')).toHaveLength(0);
  });
});

describe('Slack trouble', () => {
  test('a rate-limited card post waits as Slack asks, then goes out once', async () => {
    t.slack.rateLimitNext('chat.postMessage', 1);
    await t.command('Busy Slack');
    const posted = await t.slack.waitForCall('chat.postMessage', (c) => c.status === 200, 10_000);
    expect(posted.args.channel).toBe(W.channelId);
    expect(t.slack.calls('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
    expect(onlyLiveMeeting().name).toBe('Busy Slack');
  });

  test('a response_url that refuses the error reply is logged, and the app keeps serving', async () => {
    const broken = t.slack.responseUrl('broken');
    t.slack.failResponseUrl(broken, 500);
    // An unknown user: the app answers with an error message, which the response_url refuses.
    const res = await t.command('Hello', { user_id: 'U0NOBODY01', response_url: broken });
    expect(res.status).toBe(200);
    await eventually(() => t.logs.some((l) => l.includes('could not tell the user about the failure')));
    expect(t.slack.responses(broken).map((r) => r.status)).toEqual([500]);
    const health = await fetch(t.url.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
  });
});

describe('ending meetings', () => {
  async function startMeeting(title = 'Retro') {
    await t.command(title);
    const post = await t.slack.waitForCall('chat.postMessage');
    const meetId = onlyLiveMeeting().meetId;
    return { meetId, ts: String(post.response.ts) };
  }

  test('the host ends it with the button: MegaMeeting ends it and the card shows it ended, without Join', async () => {
    const { meetId, ts } = await startMeeting();
    await t.action(ACTIONS.end, meetId, { messageTs: ts });
    const update = await t.slack.waitForCall('chat.update');
    expect(update.args.ts).toBe(ts);
    expect(liveMeetings()).toHaveLength(0);
    const blocks = update.args.blocks as unknown[];
    assertValidMessageBlocks(blocks);
    expect(buttonsOf(blocks).find((b) => b.action_id === ACTIONS.join)).toBeUndefined();
    expect(JSON.stringify(blocks)).toContain('has ended');
    expect(await t.store.getMeeting(W.teamId, meetId)).toMatchObject({ status: 'ended' });
  });

  test('anyone else gets an ephemeral refusal and the meeting goes on', async () => {
    const { meetId, ts } = await startMeeting();
    t.slack.addUser({ id: 'U0OTHER001', real_name: 'Other', email: 'other@example.com' });
    await t.action(ACTIONS.end, meetId, { userId: 'U0OTHER001', messageTs: ts });
    const refusal = await t.slack.waitForCall('chat.postEphemeral');
    expect(refusal.args.user).toBe('U0OTHER001');
    expect(String(refusal.args.text)).toContain('Only the host');
    expect(liveMeetings()).toHaveLength(1);
    expect(t.slack.calls('chat.update')).toHaveLength(0);
  });

  test("a Slack workspace admin may end someone else's meeting", async () => {
    const { meetId, ts } = await startMeeting();
    t.slack.addUser({ id: 'U0ADMIN001', real_name: 'Admin', email: 'admin@example.com', is_admin: true });
    await t.action(ACTIONS.end, meetId, { userId: 'U0ADMIN001', messageTs: ts });
    await t.slack.waitForCall('chat.update');
    expect(liveMeetings()).toHaveLength(0);
  });

  test('MegaMeeting failing to end it is not "already gone": the meeting stays live and the host is told', async () => {
    const { meetId } = await startMeeting();
    t.emulator.state.injectFaults('error500', 1);
    const res = await t.command(`end ${meetId}`);
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.response_type).toBe('ephemeral');
    expect(reply.body.text).not.toContain('Ended');
    expect(liveMeetings().map((m) => m.meetId)).toEqual([meetId]);
    expect(await t.store.getMeeting(W.teamId, meetId)).toMatchObject({ status: 'live', endedAt: null });
    expect(t.slack.calls('chat.update')).toHaveLength(0);
    // Once MegaMeeting answers again, ending works.
    const again = await t.command(`end ${meetId}`);
    expect((await t.slack.waitForResponse(again.responseUrl)).body.text).toContain(
      `Ended "Retro" (${meetId})`,
    );
    expect(liveMeetings()).toHaveLength(0);
  });

  test('/meet end <id> ends it; a second time says it already ended; unknown IDs are explained', async () => {
    const { meetId } = await startMeeting();
    const first = await t.command(`end ${meetId}`);
    const r1 = await t.slack.waitForResponse(first.responseUrl);
    expect(r1.body.text).toContain(`Ended "Retro" (${meetId})`);
    await t.slack.waitForCall('chat.update');

    const second = await t.command(`end ${meetId}`);
    const r2 = await t.slack.waitForResponse(second.responseUrl);
    expect(r2.body.text).toContain('already ended');

    const unknown = await t.command('end 9999999');
    const r3 = await t.slack.waitForResponse(unknown.responseUrl);
    expect(r3.body.text).toContain("I don't know a meeting with ID 9999999");
  });
});

describe('list, help and accounts', () => {
  test("/meet list shows the user's meetings that have not ended", async () => {
    await t.command('First');
    await t.slack.waitForCall('chat.postMessage');
    const res = await t.command('list');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(JSON.stringify(reply.body.blocks)).toContain('First');
    assertValidMessageBlocks(reply.body.blocks as unknown[]);
  });

  test('/meet list leaves out meetings that were ended', async () => {
    await t.command('Still going');
    await t.slack.waitForCall('chat.postMessage');
    await t.command('Wrapped up');
    await t.slack.waitForCalls('chat.postMessage', 2);
    const wrapped = t.emulator.state.snapshot().meetings.find((m) => m.name === 'Wrapped up');
    if (!wrapped) throw new Error('no meeting "Wrapped up"');
    const end = await t.command(`end ${wrapped.meetId}`);
    expect((await t.slack.waitForResponse(end.responseUrl)).body.text).toContain('Ended "Wrapped up"');
    const res = await t.command('list');
    const shown = JSON.stringify((await t.slack.waitForResponse(res.responseUrl)).body.blocks);
    expect(shown).toContain('Still going');
    expect(shown).not.toContain('Wrapped up');
    expect(shown).not.toContain(wrapped.meetId);
    // Without MegaMeeting to reconcile against, the store alone must still leave it out.
    t.emulator.state.injectFaults('status503', 20);
    const stale = await t.command('list');
    const staleReply = await t.slack.waitForResponse(stale.responseUrl, undefined, 15_000);
    // Only the meeting still going is counted, though MegaMeeting could not be asked.
    expect(staleReply.body.text).toMatch(/\b1 upcoming or live meeting/);
    const staleShown = JSON.stringify(staleReply.body.blocks);
    expect(staleShown).toContain('Still going');
    expect(staleShown).not.toContain('Wrapped up');
  }, 30_000);

  test('/meet list leaves out meetings whose planned end is long past, even if MegaMeeting still lists them', async () => {
    const now = Date.now();
    for (const [meetId, title, hoursAgo] of [
      ['1111111', 'Long over', 5],
      ['2222222', 'Just ended', 1],
    ] as const) {
      t.emulator.state.addMeeting({ meetId, name: title, loginId: t.hostLogin?.loginId });
      await t.store.insertMeeting({
        teamId: W.teamId,
        meetId,
        channelId: W.channelId,
        messageTs: null,
        cardDelivery: 'none',
        hostSlackUserId: W.userId,
        hostLoginId: t.hostLogin?.loginId ?? '',
        title,
        kind: 'instant',
        startAt: new Date(now - (hoursAgo + 1) * 3_600_000),
        endAt: new Date(now - hoursAgo * 3_600_000),
        timeZone: 'UTC',
        status: 'live',
        reminders: [],
        options: {},
      });
    }
    const res = await t.command('list');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    const shown = JSON.stringify(reply.body.blocks);
    expect(shown).toContain('Just ended');
    expect(shown).not.toContain('Long over');
  });

  test('/meet help explains the grammar', async () => {
    const res = await t.command('help');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain('/meet schedule');
  });

  test('/meet account shows the link; only admins may link others', async () => {
    const res = await t.command('account');
    const reply = await t.slack.waitForResponse(res.responseUrl);
    expect(reply.body.text).toContain(t.hostLogin?.loginId);
    expect(reply.body.text).toContain(W.userEmail);

    const target = t.emulator.state.addLogin({ email: 'dana@corp.example', roles: ['host'] });
    t.slack.addUser({ id: 'U0DANA0001', real_name: 'Dana', email: 'dana.personal@example.com' });
    const denied = await t.command(`account <@U0DANA0001> ${target.loginId}`);
    const r2 = await t.slack.waitForResponse(denied.responseUrl);
    expect(r2.body.text).toContain('Only Slack workspace admins');
    expect(await t.store.getUserLink(W.teamId, 'U0DANA0001')).toBeNull();

    t.slack.addUser({ id: 'U0ADMIN001', real_name: 'Admin', email: 'admin@example.com', is_admin: true });
    const ok = await t.command(`account <@U0DANA0001> ${target.loginId}`, { user_id: 'U0ADMIN001' });
    const r3 = await t.slack.waitForResponse(ok.responseUrl);
    expect(r3.body.text).toContain(target.loginId);
    expect(await t.store.getUserLink(W.teamId, 'U0DANA0001')).toMatchObject({
      loginId: target.loginId,
      source: 'admin',
    });

    // Dana can now create meetings although her Slack email matches no login.
    await t.command('Dana sync', { user_id: 'U0DANA0001' });
    await t.slack.waitForCall('chat.postMessage');
    expect(liveMeetings().find((m) => m.name === 'Dana sync')?.loginId).toBe(target.loginId);
  });
});
