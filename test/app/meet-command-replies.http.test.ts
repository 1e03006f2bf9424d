/**
 * `/meet` replies word for word, over signed HTTP to the real Bolt app (MegaMeeting emulator, Slack stand-in):
 * what each subcommand says it could not do when something fails, the account texts, and the forms the
 * subcommands open. Expected texts are written out here, not taken from the app.
 */
import type { ModalView } from '@slack/types';
import { SCHEDULE_IDS as I, VIEWS } from '../../src/views/ids.js';
import { DAY_MS, wallDateIn, wallTimeToInstant } from '../scheduling/helpers.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually, startTestApp, type TestApp } from './harness.js';

const W = TEST_WORKSPACE;
const ADMIN = { id: 'U0ADMIN001', real_name: 'Admin', email: 'admin@example.com', is_admin: true };
const DANA = { id: 'U0DANA0001', real_name: 'Dana', email: 'dana.personal@example.com' };
let t: TestApp;

beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

/** The text of the first post to `url`. */
async function answer(url: string): Promise<string> {
  const reply = await t.slack.waitForResponse(url);
  return String(reply.body.text);
}

async function openedView(): Promise<ModalView> {
  const call = await t.slack.waitForCall('views.open');
  return call.args.view as ModalView;
}
function elementOf(view: ModalView, blockId: string): Record<string, unknown> | undefined {
  const b = view.blocks.find((x) => (x as { block_id?: string }).block_id === blockId) as
    | { element?: Record<string, unknown> }
    | undefined;
  return b?.element;
}

async function startMeeting(title: string): Promise<string> {
  await t.command(title);
  await t.slack.waitForCall('chat.postMessage');
  const meeting = t.emulator.state.snapshot().meetings.find((m) => m.name === title);
  if (!meeting) throw new Error(`no meeting ${title}`);
  return meeting.meetId;
}

/** The one log line with message `msg`, parsed. */
function logLine(msg: string): Record<string, unknown> {
  const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);
  expect(lines).toHaveLength(1);
  return lines[0] as Record<string, unknown>;
}

describe('a reply Slack refuses once is followed by one saying what could not be shown', () => {
  test.each([
    ['help', 'show help'],
    ['list', 'list your meetings'],
    ['recordings', 'list your recordings'],
    ['account', 'look up your MegaMeeting login'],
    ['connect', 'show the MegaMeeting connection'],
    ['disconnect', 'disconnect MegaMeeting'],
  ])('/meet %s', async (text, doing) => {
    const url = t.slack.responseUrl();
    t.slack.failResponseUrl(url, 500, 1);
    await t.command(text, { response_url: url });
    // The first post is the answer, refused; the second explains.
    const posts = await eventually(() => {
      const all = t.slack.responses(url);
      return all.length >= 2 && all;
    }, 15_000);
    expect(posts.map((p) => p.status)).toEqual([500, 200]);
    expect(posts[1]?.body.text).toBe(`Slack refused a request (http_500), so I couldn't ${doing}.`);
  });
});

describe('an action that worked is never reported as failed when Slack refuses its confirmation', () => {
  test('/meet end <id>: the meeting is ended and no "couldn\'t end" follows', async () => {
    const meetId = await startMeeting('Review');
    const url = t.slack.responseUrl();
    t.slack.failResponseUrl(url, 500, 1);
    await t.command(`end ${meetId}`, { response_url: url });
    await eventually(() => t.logs.some((l) => l.includes('done, but Slack refused the confirmation')));
    expect(logLine('done, but Slack refused the confirmation')).toMatchObject({
      action: '/meet end',
      err: { message: expect.stringContaining('http_500') },
    });
    expect(t.emulator.state.meetings.get(meetId)?.endedAt).toBeInstanceOf(Date);
    expect(t.slack.responses(url).map((p) => [p.status, p.body.text])).toEqual([
      [500, `Ended "Review" (${meetId}).`],
    ]);
  });

  test('/meet account @user <loginId> by an admin: the link stands and no "couldn\'t link" follows', async () => {
    const target = t.emulator.state.addLogin({ email: 'dana@corp.example', roles: ['host'] });
    t.slack.addUser(DANA);
    t.slack.addUser(ADMIN);
    const url = t.slack.responseUrl();
    t.slack.failResponseUrl(url, 500, 1);
    await t.command(`account <@${DANA.id}> ${target.loginId}`, { user_id: ADMIN.id, response_url: url });
    await eventually(() => t.logs.some((l) => l.includes('done, but Slack refused the confirmation')));
    expect((await t.store.getUserLink(W.teamId, DANA.id))?.loginId).toBe(target.loginId);
    const posts = t.slack.responses(url);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.status).toBe(500);
    expect(String(posts[0]?.body.text)).toContain('is now linked to the MegaMeeting login');
  });
});

describe('MegaMeeting failing: the reply names what could not be done', () => {
  test('/meet end <id>', async () => {
    const meetId = await startMeeting('Retro');
    t.emulator.state.injectFaults('error500', 1);
    const res = await t.command(`end ${meetId}`);
    expect(await answer(res.responseUrl)).toBe(
      "MegaMeeting isn't answering right now, so I couldn't end the meeting. Please try again in a minute.",
    );
  });

  test('/meet account @user <loginId> by an admin', async () => {
    const target = t.emulator.state.addLogin({ email: 'dana@corp.example', roles: ['host'] });
    t.slack.addUser(DANA);
    t.slack.addUser(ADMIN);
    t.emulator.state.injectFaults('error500', 10);
    const res = await t.command(`account <@${DANA.id}> ${target.loginId}`, { user_id: ADMIN.id });
    expect(await answer(res.responseUrl)).toBe(
      "MegaMeeting isn't answering right now, so I couldn't link that account. Please try again in a minute.",
    );
    expect(await t.store.getUserLink(W.teamId, DANA.id)).toBeNull();
  });
});

describe('failures in the log and the reply', () => {
  test('a failure is logged once with the command, its intent, the workspace, the user and the error', async () => {
    t.emulator.state.injectFaults('error500', 10);
    const res = await t.command('recordings');
    expect(await answer(res.responseUrl)).toBe(
      "MegaMeeting isn't answering right now, so I couldn't list your recordings. Please try again in a minute.",
    );
    expect(logLine('the /meet command failed')).toMatchObject({
      command: 'meet',
      intent: 'recordings',
      teamId: W.teamId,
      userId: W.userId,
      err: { message: expect.any(String) },
    });
  });

  test('someone without a login gets the button that asks the admins; any other failure gets the text alone', async () => {
    t.slack.addUser({ id: 'U0NOLOGIN1', real_name: 'Nobody', email: 'nobody@example.com' });
    const unmapped = await t.command('Hello', { user_id: 'U0NOLOGIN1' });
    const reply = await t.slack.waitForResponse(unmapped.responseUrl);
    const blocks = reply.body.blocks as Array<{ type: string; block_id?: string }>;
    expect(blocks.map((b) => [b.type, b.block_id])).toEqual([
      ['section', undefined],
      ['actions', 'access_request'],
      ['context', undefined],
    ]);

    t.emulator.state.injectFaults('error500', 10);
    const down = await t.command('recordings');
    const text =
      "MegaMeeting isn't answering right now, so I couldn't list your recordings. Please try again in a minute.";
    expect((await t.slack.waitForResponse(down.responseUrl)).body).toEqual({
      response_type: 'ephemeral',
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
    });
  });

  test('a failure reply Slack refuses is logged with the error', async () => {
    const broken = t.slack.responseUrl('broken');
    t.slack.failResponseUrl(broken, 500);
    await t.command('Hello', { user_id: 'U0NOBODY01', response_url: broken });
    await eventually(() => t.logs.some((l) => l.includes('could not tell the user about the failure')));
    expect(logLine('could not tell the user about the failure')).toMatchObject({
      command: 'meet',
      err: { message: expect.stringContaining('http_500') },
    });
  });
});

describe('/meet <title> <time>: a time read with confidence schedules the meeting at once', () => {
  test('the title without the time words, at that time in the user’s zone, for the length given', async () => {
    // One fixed "now" for the app and for the expected values, so that no midnight can fall between them.
    const now = new Date();
    await t.close();
    t = await startTestApp({ clock: { now: () => new Date(now) } });
    const date = wallDateIn(new Date(now.getTime() + DAY_MS), W.userTz);
    await t.command('Design review tomorrow at 3pm for 45m');
    await t.slack.waitForCall('chat.postMessage');
    const [meeting, ...others] = t.emulator.state.snapshot().meetings;
    expect(others).toEqual([]);
    const start = wallTimeToInstant(date, '15:00', W.userTz);
    expect(meeting?.name).toBe('Design review');
    expect(meeting?.scheduledStart?.toISOString()).toBe(start.toISOString());
    expect(meeting?.scheduledEnd?.toISOString()).toBe(new Date(start.getTime() + 45 * 60_000).toISOString());
  });
});

describe('Slack refusing to open a form: the reply names the form', () => {
  test('/meet admin', async () => {
    t.slack.addUser(ADMIN);
    t.slack.failNext('views.open', 'expired_trigger_id');
    const res = await t.command('admin', { user_id: ADMIN.id });
    expect(await answer(res.responseUrl)).toBe(
      "Slack refused a request (expired_trigger_id), so I couldn't open the people admin.",
    );
  });

  test('/meet schedule', async () => {
    t.slack.failNext('views.open', 'expired_trigger_id');
    const res = await t.command('schedule Planning');
    expect(await answer(res.responseUrl)).toBe(
      "Slack refused a request (expired_trigger_id), so I couldn't open the scheduling form.",
    );
  });

  test('/meet guests <id>', async () => {
    const start = new Date(Date.now() + 24 * 3600_000);
    const record = await t.running.services.meetings.create({
      teamId: W.teamId,
      channelId: W.channelId,
      hostUserId: W.userId,
      title: 'Consult',
      kind: 'secure',
      start,
      end: new Date(start.getTime() + 3600_000),
      timeZone: 'UTC',
      options: { requireVerification: true },
    });
    t.slack.failNext('views.open', 'expired_trigger_id');
    const res = await t.command(`guests ${record.meetId}`);
    expect(await answer(res.responseUrl)).toBe(
      "Slack refused a request (expired_trigger_id), so I couldn't open the guest list.",
    );
  });
});

describe('/meet recordings', () => {
  test('answers with the recordings list, here an empty one', async () => {
    const res = await t.command('recordings');
    expect(await answer(res.responseUrl)).toBe(
      "You have no recordings in MegaMeeting yet. Recordings of your meetings show up here once they're made.",
    );
  });
});

describe('accounts, word for word', () => {
  test('a link made by email says so, with the email', async () => {
    const res = await t.command('account');
    expect(await answer(res.responseUrl)).toBe(
      `You are linked to the MegaMeeting login \`${t.hostLogin?.loginId}\` (matched by your email ana@example.com).`,
    );
  });

  test('a link made by an admin names the admin, to the admin and to the person linked', async () => {
    const target = t.emulator.state.addLogin({ email: 'dana@corp.example', roles: ['host'] });
    t.slack.addUser(DANA);
    t.slack.addUser(ADMIN);
    const set = await t.command(`account <@${DANA.id}> ${target.loginId}`, { user_id: ADMIN.id });
    expect(await answer(set.responseUrl)).toBe(
      `<@${DANA.id}> is now linked to the MegaMeeting login \`${target.loginId}\` (dana@corp.example).`,
    );
    const shown = await t.command('account', { user_id: DANA.id });
    expect(await answer(shown.responseUrl)).toBe(
      `You are linked to the MegaMeeting login \`${target.loginId}\` (set by <@${ADMIN.id}>).`,
    );
  });
});

describe('the forms subcommands open', () => {
  test('/meet webinar <title> opens the form for a webinar in the channel it was typed in', async () => {
    await t.command('webinar Launch day', { channel_id: 'C0OTHER001' });
    const view = await openedView();
    expect(view.callback_id).toBe(VIEWS.schedule);
    expect(elementOf(view, I.title.block)?.initial_value).toBe('Launch day');
    expect(elementOf(view, I.type.block)?.initial_option).toMatchObject({ value: 'webinar' });
    expect(elementOf(view, I.channel.block)).toMatchObject({ initial_conversation: 'C0OTHER001' });
  });

  test('an unclear time opens the form as a meeting, saying why, with the title read', async () => {
    await t.command('Budget sync tomorrow');
    const view = await openedView();
    expect(view.callback_id).toBe(VIEWS.schedule);
    expect(elementOf(view, I.type.block)?.initial_option).toMatchObject({ value: 'scheduled' });
    expect(elementOf(view, I.title.block)?.initial_value).toBe('Budget sync');
    expect(JSON.stringify(view.blocks[0])).toMatch(
      /I wasn't sure when you meant \(.+\)\. Check the time below\./,
    );
    expect(t.emulator.state.snapshot().meetings).toHaveLength(0);
  });
});
