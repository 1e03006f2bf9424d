/**
 * Issue 14: all twenty documented MegaMeeting operations are reachable from Slack. One world (the real app over
 * signed HTTP, the emulator, the Slack stand-in) is driven through the Slack actions the README's table names, in
 * order; the last test reads the emulator's request log and requires every documented operation to have been
 * answered without an error. test/megameeting/operations-reachable.test.ts checks the same statically.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { guestRef } from '../../src/services/guests/index.js';
import { permissionsActionId, removeActionId } from '../../src/views/guests.js';
import { ACTIONS, GUEST_IDS, VIEWS } from '../../src/views/ids.js';
import { PEOPLE_ADMIN_IDS as IDS } from '../../src/views/people-admin.js';
import { documentedOperations } from '../megameeting/support/doc-operations.js';
import { linkHost, type RecApp, recordingDms, seedRecordings, startRecApp } from '../recordings/setup.js';
import { ackBody, formValues, futureSlot, scheduleMetadata } from '../scheduling/helpers.js';
import { findElement, stateValue } from '../support/slack-requests.js';
import type { StubView } from '../support/slack-stub.js';
import { TEST_WORKSPACE } from '../support/slack-workspace.js';
import { eventually } from './harness.js';

const W = TEST_WORKSPACE;
const ADMIN = { id: 'U0OPSADMN1', real_name: 'Ada Admin', email: 'ada.admin@example.com' };
const CARL = { id: 'U0OPSCARL1', real_name: 'Carl New', email: 'carl.new@example.com' };
const JANE = 'jane@example.com';

let t: RecApp;
let personLoginId: string;
let meetId: string;

beforeAll(async () => {
  t = await startRecApp();
  const admin = t.emulator.state.addLogin({
    email: ADMIN.email,
    fullName: ADMIN.real_name,
    roles: ['admin'],
  });
  for (const u of [ADMIN, CARL]) t.slack.addUser(u);
  await linkHost(t.store, admin.loginId, t.clock.now(), ADMIN.id);
  personLoginId = t.emulator.state.addLogin({ email: 'pat@example.com', fullName: 'Pat Person' }).loginId;
  t.emulator.state.clearRequests();
});
afterAll(async () => {
  await t.close();
});

/** Operations the emulator answered without an error, from the `from`-th request of its log on. */
function answered(from = 0): Set<string> {
  return new Set(
    t.emulator.state
      .requests()
      .slice(from)
      .filter((r) => r.httpStatus === 200 && r.errorCodes.length === 0)
      .flatMap((r) => r.fields),
  );
}

/** Where each step starts in the emulator's log: a step proves only what it made MegaMeeting answer itself. */
let mark = 0;
beforeEach(() => {
  mark = t.emulator.state.requests().length;
});

function waitForOperation(op: string): Promise<true> {
  return eventually(() => answered(mark).has(op));
}

const textOf = (v: StubView | undefined) => JSON.stringify(v?.blocks ?? []);

/** Press a button inside a modal as the admin. */
function pressAsAdmin(view: StubView, actionId: string, value?: string) {
  const found = findElement(view.blocks, actionId);
  return t.action(actionId, value ?? String(found?.element.value ?? ''), { view, userId: ADMIN.id });
}

function loginViewShowing(expected: string): Promise<StubView> {
  return eventually(() => {
    const v = t.slack.lastView(IDS.loginView);
    return v && JSON.parse(v.private_metadata).l === personLoginId && textOf(v).includes(expected)
      ? v
      : undefined;
  });
}

describe('every documented MegaMeeting operation, driven from Slack', () => {
  it('the scheduling form makes a secure meeting with an external guest: logins, createMeeting, addVerifiedGuest, getVerifiedGuest', async () => {
    const slot = futureSlot(3, '15:00', 'America/Chicago');
    const res = await t.submitView({
      callbackId: VIEWS.schedule,
      privateMetadata: scheduleMetadata('secure'),
      values: formValues({
        title: 'Board review',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
        duration: 60,
        type: 'secure',
        external: `Jane Doe <${JANE}>`,
      }),
    });
    expect(ackBody(res)).toEqual({});
    const record = await eventually(async () => {
      const [m] = await t.store.listMeetingsByHost(W.teamId, W.userId, ['scheduled']);
      return m?.messageTs ? m : undefined;
    });
    meetId = record.meetId;
    await eventually(async () => (await t.store.findGuestByEmail(W.teamId, meetId, JANE)) ?? undefined);
    for (const op of ['logins', 'createMeeting', 'addVerifiedGuest', 'getVerifiedGuest']) {
      await waitForOperation(op);
    }
  });

  it('Edit on the card: updateMeeting', async () => {
    const record = await t.store.getMeeting(W.teamId, meetId);
    await t.action(ACTIONS.edit, meetId, { messageTs: record?.messageTs ?? undefined });
    const open = await t.slack.waitForCall('views.open', (c) => JSON.stringify(c.args).includes(VIEWS.edit));
    const view = open.args.view as { private_metadata?: string };
    const slot = futureSlot(4, '16:00', 'America/Chicago');
    const res = await t.submitView({
      callbackId: VIEWS.edit,
      privateMetadata: view.private_metadata ?? '',
      values: formValues({
        title: 'Board review v2',
        date: slot.date,
        time: slot.time,
        zone: 'America/Chicago',
      }),
    });
    expect(ackBody(res)).toEqual({});
    await waitForOperation('updateMeeting');
  });

  it('/meet guests: a guest’s permissions, then Remove: updateVerifiedGuest, removeVerifiedGuest', async () => {
    const jane = await t.store.findGuestByEmail(W.teamId, meetId, JANE);
    if (!jane) throw new Error('no guest');
    await t.command(`guests ${meetId}`);
    const view = await eventually(() => t.slack.lastView(VIEWS.guests));
    const ref = guestRef(jane);
    await t.action(permissionsActionId(ref), '', {
      view,
      actions: [
        {
          type: 'checkboxes',
          action_id: permissionsActionId(ref),
          block_id: GUEST_IDS.row(ref),
          selected_options: [{ text: { type: 'plain_text', text: 'Camera' }, value: 'webcam' }],
          action_ts: '1700000000.000001',
        },
      ],
    });
    await waitForOperation('updateVerifiedGuest');
    await t.action(removeActionId(ref), ref, { view: t.slack.view(view.id) ?? view });
    await waitForOperation('removeVerifiedGuest');
  });

  it('/meet list, then End meeting on the card: meetings, endMeeting', async () => {
    const listed = await t.command('list');
    await t.slack.waitForResponse(listed.responseUrl);
    await waitForOperation('meetings');
    const record = await t.store.getMeeting(W.teamId, meetId);
    await t.action(ACTIONS.end, meetId, { messageTs: record?.messageTs ?? undefined });
    await waitForOperation('endMeeting');
  });

  it('a recording: processing requested, the ready DM, then Delete: recordings, startRemux, deleteRecording', async () => {
    const { recIds } = seedRecordings(t.emulator, t.hostLoginId, 1, { title: 'Board review' });
    const recId = recIds[0] as string;
    await t.poller.tick();
    t.clock.advance(60_000);
    await t.poller.tick();
    const dm = recordingDms(t.slack, recId)[0];
    expect(dm).toBeDefined();
    await t.action(ACTIONS.deleteRecording, recId, {
      channelId: String(dm?.response.channel),
      messageTs: String(dm?.response.ts),
    });
    for (const op of ['recordings', 'startRemux', 'deleteRecording']) await waitForOperation(op);
  });

  it('Open MegaMeeting: login', async () => {
    await t.action(ACTIONS.openMegaMeeting, 'sign_in', { isEphemeral: true });
    await waitForOperation('login');
  });

  it('/meet admin → Manage a login: its token, role, new token, revoke, delete: apiTokenDetails, updateLogin, createAPIToken, revokeAPIToken, deleteLogin', async () => {
    const sent = await t.command('admin', { user_id: ADMIN.id, user_name: 'ada' });
    expect(sent.status).toBe(200);
    const list = await eventually(() => {
      const v = t.slack.lastView(IDS.listView);
      return v && textOf(v).includes('Pat Person') ? v : undefined;
    });
    await pressAsAdmin(list, `${IDS.openLogin}:${personLoginId}`, personLoginId);
    const loginView = await loginViewShowing('ending in');
    await waitForOperation('apiTokenDetails');

    await t.action(IDS.role.action, '', {
      view: loginView,
      userId: ADMIN.id,
      actions: [
        {
          action_id: IDS.role.action,
          block_id: IDS.role.block,
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'admin' }, value: 'admin' },
          action_ts: '1.1',
        },
      ],
    });
    await waitForOperation('updateLogin');

    await pressAsAdmin(await loginViewShowing('is now an admin'), IDS.createToken);
    await waitForOperation('createAPIToken');
    await pressAsAdmin(await loginViewShowing('shown once'), IDS.revokeToken);
    await waitForOperation('revokeAPIToken');
    await pressAsAdmin(await loginViewShowing('Revoked the API token'), IDS.deleteLogin);
    await waitForOperation('deleteLogin');
  });

  it('/meet admin → Create a login for a Slack user: createLogin, userInvitation', async () => {
    const opens = t.slack.calls('views.open').length;
    await t.command('admin', { user_id: ADMIN.id, user_name: 'ada' });
    const open = await t.slack.waitForCalls('views.open', opens + 1);
    const listId = (open.at(-1)?.response as { view?: { id?: string } } | undefined)?.view?.id;
    const list = await eventually(() => {
      const v = listId ? t.slack.view(listId) : undefined;
      return v?.callback_id === IDS.listView && textOf(v).includes(IDS.openCreate) ? v : undefined;
    });
    const pushes = t.slack.calls('views.push').length;
    await pressAsAdmin(list, IDS.openCreate);
    const pushed = await t.slack.waitForCalls('views.push', pushes + 1);
    const formId = (pushed.at(-1)?.response as { view?: { id?: string } } | undefined)?.view?.id;
    const form = await eventually(() => (formId ? t.slack.view(formId) : undefined));
    await t.submitView({
      callbackId: IDS.createView,
      view: form,
      viewId: form.id,
      userId: ADMIN.id,
      values: { [IDS.createUser.block]: { [IDS.createUser.action]: stateValue.usersSelect(CARL.id) } },
    });
    for (const op of ['createLogin', 'userInvitation']) await waitForOperation(op);
  });

  it('the emulator answered each of the twenty documented operations', () => {
    const names = documentedOperations();
    expect(names).toHaveLength(20);
    const seen = answered(0);
    expect(names.filter((op) => !seen.has(op))).toEqual([]);
  });
});
