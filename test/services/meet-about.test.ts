/**
 * "Meet about this" (the message shortcut), the service without Bolt (./world.ts): the form opens with Slack alone;
 * once submitted, an instant meeting on MegaMeeting, its card in the message's thread, the message's author invited
 * by DM (never the host), and the card through the shortcut's response_url where the bot may not post. Fast enough
 * for mutation testing (docs/mutation.md, `surfaces-unit`); test/shortcuts/ drives the same over signed HTTP.
 */
import { buildMeetAboutModal, type MeetAboutForm } from '../../src/views/meet-about.js';
import { SlackStub } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { type ServiceWorld, startServiceWorld } from './world.js';

const W = TEST_WORKSPACE;
const HOST = W.userId;
const AUTHOR = { id: 'U0AUTHOR01', real_name: 'Avery Author', email: 'avery@example.com' };
const THREAD = '1700000000.000100';

let stub: SlackStub;
let w: ServiceWorld;

beforeAll(async () => {
  stub = await SlackStub.start();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(async () => {
  stub.reset();
  stub.addUser(AUTHOR);
  w = await startServiceWorld(stub);
});
afterEach(async () => {
  await w.close();
});

const form = (
  over: Partial<Extract<MeetAboutForm, { ok: true }>> = {},
): Extract<MeetAboutForm, { ok: true }> => ({
  ok: true,
  title: 'Checkout is down',
  channelId: W.channelId,
  threadTs: THREAD,
  invitees: [AUTHOR.id],
  responseUrl: null,
  ...over,
});

test('the form opens with views.open alone (MegaMeeting is asked only once it is submitted)', async () => {
  const input = {
    title: 'Checkout is down',
    channelId: W.channelId,
    threadTs: THREAD,
    authorId: AUTHOR.id,
    userId: HOST,
    responseUrl: null,
    excerpt: 'Checkout is *down*',
  };
  const trigger = stub.issueTriggerId();
  w.emu.state.clearRequests();
  await w.services.meetAbout.openModal(trigger, input);
  const [open, ...more] = stub.calls('views.open');
  expect(more).toEqual([]);
  expect(open?.args.trigger_id).toBe(trigger);
  expect(open?.args.view).toEqual(JSON.parse(JSON.stringify(buildMeetAboutModal(input))));
  expect(w.emu.state.requests()).toEqual([]);
});

test('submitted: an instant meeting, its card in the thread, the author invited by DM and never the host', async () => {
  await w.services.meetAbout.start(form({ invitees: [AUTHOR.id, HOST] }), { teamId: W.teamId, userId: HOST });
  const [made] = w.emu.state.snapshot().meetings;
  expect(made?.name).toBe('Checkout is down');
  const record = await w.db.store.getMeeting(W.teamId, made?.meetId ?? '');
  expect(record).toMatchObject({
    kind: 'instant',
    hostSlackUserId: HOST,
    channelId: W.channelId,
    title: 'Checkout is down',
  });
  const card = stub.calls('chat.postMessage').find((c) => c.args.channel === W.channelId);
  expect(card?.args.thread_ts).toBe(THREAD);
  expect(stub.messagesIn(AUTHOR.id)).toHaveLength(1);
  expect(stub.messagesIn(HOST)).toEqual([]);
});

test("where the bot may not post, the card goes through the shortcut's response_url", async () => {
  stub.addChannel({ id: W.channelId, name: 'general', is_member: false });
  const responseUrl = stub.responseUrl('meet-about');
  await w.services.meetAbout.start(form({ responseUrl, invitees: [] }), { teamId: W.teamId, userId: HOST });
  const [posted] = stub.responses(responseUrl);
  expect(posted?.body).toMatchObject({ response_type: 'in_channel' });
  expect(JSON.stringify(posted?.body)).toContain('Checkout is down');
});
