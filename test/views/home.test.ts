import {
  buildHomeView,
  fitSections,
  HOME_MAX_BLOCKS,
  type HomeData,
  type HomeMeeting,
  type HomeSection,
} from '../../src/views/home.js';
import { ACTIONS, START_NOW_IDS } from '../../src/views/ids.js';
import type { RecordingListItem } from '../../src/views/recordings.js';
import { buildSignInModal, withOpenMegaMeeting } from '../../src/views/sign-in.js';
import { buildStartNowModal, readStartNowForm } from '../../src/views/start-now.js';
import { assertValidHomeTab, assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';

const mapped: HomeData['account'] = {
  kind: 'mapped',
  loginId: 'L1',
  email: 'ana@example.com',
  fullName: 'Ana <Admin>',
  source: 'email_match',
  linkedBy: null,
};

function meeting(i: number, over: Partial<HomeMeeting> = {}): HomeMeeting {
  return {
    meetId: String(1000000 + i),
    title: `Meeting *${i}*`,
    kind: 'scheduled',
    status: 'scheduled',
    start: new Date(Date.UTC(2026, 2, 2, 15, i)),
    joinUrl: `https://acme.megameeting.com/meeting/?id=${1000000 + i}`,
    canEnd: true,
    canEdit: true,
    canManageGuests: false,
    ...over,
  };
}

function recording(i: number): RecordingListItem {
  return {
    recId: `rec${i}`,
    meetId: '1000000',
    title: `Recording ${i}`,
    recordedAt: new Date(Date.UTC(2026, 2, 1)),
    recordedAtRaw: null,
    downloadUrl: `https://acme.megameeting.com/getweb?recordingkey=/r${i}.mp4`,
    playUrl: i % 2 ? null : `https://acme.megameeting.com/videoplayer/?key=${i}`,
    status: i % 3 === 0 ? 'processing' : 'ready',
    canRetry: false,
  };
}

const json = (v: unknown) => JSON.stringify(v);

describe('App Home view', () => {
  test('a mapped user: start buttons, login with Open MegaMeeting, meetings with their buttons, recordings', () => {
    const view = buildHomeView({
      userId: 'U1',
      account: mapped,
      meetings: [
        meeting(1, { status: 'live', kind: 'instant', canEdit: false }),
        meeting(2, { kind: 'secure', joinUrl: null, canManageGuests: true }),
      ],
      recordings: [recording(1)],
    });
    assertValidHomeTab(view);
    const text = json(view.blocks);
    expect(text).toContain(ACTIONS.homeStartNow);
    expect(text).toContain(ACTIONS.homeSchedule);
    expect(text).toContain(`"action_id":"${ACTIONS.openMegaMeeting}"`);
    expect(text).toContain('Ana &lt;Admin&gt;');
    expect(text).toContain(`"${ACTIONS.join}:1000001"`);
    expect(text).not.toContain(`"${ACTIONS.edit}:1000001"`);
    expect(text).not.toContain(`"${ACTIONS.join}:1000002"`);
    expect(text).toContain(`"${ACTIONS.manageGuests}:1000002"`);
    expect(text).toContain(`"${ACTIONS.end}:1000002"`);
    expect(text).toContain(`"${ACTIONS.download}:rec1"`);
    expect(text).not.toContain('MegaMeeting connection');
  });

  test('an unmapped user reads what to do and gets no buttons that need a login', () => {
    const view = buildHomeView({
      userId: 'U1',
      account: {
        kind: 'unmapped',
        message: 'Ask your MegaMeeting admin to add a login for ana@example.com.',
      },
      meetings: null,
      recordings: null,
    });
    assertValidHomeTab(view);
    const text = json(view.blocks);
    expect(text).toContain("You're not linked to a MegaMeeting login yet");
    expect(text).toContain('Ask your MegaMeeting admin');
    expect(text).not.toContain(ACTIONS.homeStartNow);
    expect(text).not.toContain(ACTIONS.openMegaMeeting);
  });

  test('nothing yet, and parts that could not be read, say so', () => {
    const empty = buildHomeView({ userId: 'U1', account: mapped, meetings: [], recordings: [] });
    assertValidHomeTab(empty);
    expect(json(empty.blocks)).toContain('Nothing live or upcoming');
    expect(json(empty.blocks)).toContain('No recordings yet');
    const failed = buildHomeView({ userId: 'U1', account: mapped, meetings: null, recordings: null });
    expect(json(failed.blocks)).toContain("I couldn't read your meetings");
    expect(json(failed.blocks)).toContain("I couldn't read your recordings");
    const stale = buildHomeView({
      userId: 'U1',
      account: mapped,
      meetings: [meeting(1)],
      meetingsStale: true,
      recordings: [],
    });
    expect(json(stale.blocks)).toContain("I couldn't check these with MegaMeeting");
  });

  test('admins see the connection: account URL, whose token, where it is set', () => {
    const view = buildHomeView({
      userId: 'U1',
      account: mapped,
      meetings: [],
      recordings: [],
      connection: {
        accountUrl: 'https://acme.megameeting.com',
        source: 'environment',
        reachable: true,
        tokenLogin: { loginId: 'L0', email: 'owner@acme.example', fullName: 'Olga Owner' },
      },
    });
    assertValidHomeTab(view);
    const text = json(view.blocks);
    expect(text).toContain('https://acme.megameeting.com');
    expect(text).toContain('owner@acme.example');
    expect(text).toContain('MEGAMEETING_API_TOKEN');
    // People admin from Home: the same modal as `/meet admin`.
    expect(text).toContain('"action_id":"pa_open_home"');
    expect(text).toContain('Manage people');
  });

  test.each([
    [60, 25],
    [200, 0],
    [0, 200],
    [49, 49],
  ])('%i meetings and %i recordings fit in 100 blocks, both lists shown, with "more" notes', (m, r) => {
    const view = buildHomeView({
      userId: 'U1',
      account: mapped,
      meetings: Array.from({ length: m }, (_, i) => meeting(i)),
      recordings: Array.from({ length: r }, (_, i) => recording(i)),
      recordingsTotal: r + 5,
      connection: {
        accountUrl: 'https://acme.megameeting.com',
        source: 'environment',
        reachable: false,
        tokenLogin: null,
        tokenLoginNote: 'unknown',
      },
    });
    assertValidHomeTab(view);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    const text = json(view.blocks);
    if (m > 0) expect(text).toContain('"home_meeting_1000000"');
    if (r > 0) expect(text).toContain('"rec_rec0"');
    if (m > 30) expect(text).toContain('`/meet list` shows all your meetings');
    if (r > 0) expect(text).toContain('`/meet recordings` lists them');
    expect(text).toContain('MegaMeeting connection');
  });

  test('fitSections hands items out in turn and never exceeds the budget', () => {
    const list = (key: string, n: number): HomeSection => ({
      key,
      kind: 'list',
      head: [{ type: 'divider' }],
      items: Array.from({ length: n }, () => [{ type: 'divider' }, { type: 'divider' }]),
      more: () => ({ type: 'context', elements: [{ type: 'mrkdwn', text: 'more' }] }),
    });
    const fixed: HomeSection = { key: 'f', kind: 'fixed', blocks: [{ type: 'divider' }] };
    const out = fitSections([fixed, list('a', 100), list('b', 100)], 21);
    expect(out.flat().length).toBeLessThanOrEqual(21);
    // 1 fixed + (1 head + 1 more) × 2 = 5; 16 left = 8 items, 4 each.
    expect(out[1]?.length).toBe(1 + 8 + 1);
    expect(out[2]?.length).toBe(1 + 8 + 1);
    const short = fitSections([list('a', 2), list('b', 100)], 30);
    expect(short[0]?.length).toBe(1 + 4);
    expect(short.flat().length).toBeLessThanOrEqual(30);
  });
});

describe('start-now modal and form', () => {
  test('the modal is valid and picks a conversation with a response_url', () => {
    const modal = buildStartNowModal();
    assertValidModal(modal);
    expect(json(modal)).toContain('"response_url_enabled":true');
  });

  test('reads a title and channel; refuses a missing channel and a long title inline', () => {
    const values = (title: string | null, channel: string | null) => ({
      [START_NOW_IDS.title.block]: {
        [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: title },
      },
      [START_NOW_IDS.channel.block]: {
        [START_NOW_IDS.channel.action]: { type: 'conversations_select', selected_conversation: channel },
      },
    });
    expect(readStartNowForm(values('  Sync  ', 'C123'))).toEqual({
      ok: true,
      when: 'now',
      title: 'Sync',
      channelId: 'C123',
    });
    expect(readStartNowForm(values(null, 'C123'))).toEqual({
      ok: true,
      when: 'now',
      title: '',
      channelId: 'C123',
    });
    const missing = readStartNowForm(values('x', null));
    expect(missing.ok).toBe(false);
    expect(!missing.ok && Object.keys(missing.errors)).toEqual([START_NOW_IDS.channel.block]);
    const long = readStartNowForm(values('x'.repeat(151), 'C123'));
    expect(!long.ok && Object.keys(long.errors)).toEqual([START_NOW_IDS.title.block]);
    expect(readStartNowForm('garbage').ok).toBe(false);
  });

  test('with askWhen (the global shortcut) it also asks now or later; Later needs no channel yet', () => {
    const modal = buildStartNowModal({ askWhen: true });
    assertValidModal(modal);
    expect(json(modal)).toContain(START_NOW_IDS.when.action);
    expect(json(buildStartNowModal())).not.toContain(START_NOW_IDS.when.action);
    const later = {
      [START_NOW_IDS.title.block]: {
        [START_NOW_IDS.title.action]: { type: 'plain_text_input', value: 'Offsite' },
      },
      [START_NOW_IDS.when.block]: {
        [START_NOW_IDS.when.action]: { type: 'radio_buttons', selected_option: { value: 'later' } },
      },
    };
    expect(readStartNowForm(later)).toEqual({ ok: true, when: 'later', title: 'Offsite', channelId: '' });
  });
});

describe('sign-in modal and button', () => {
  test('loading, ready (a link button) and refused states are valid modals', () => {
    const loading = buildSignInModal({ kind: 'loading' });
    assertValidModal(loading);
    const ready = buildSignInModal({ kind: 'ready', url: 'https://acme.megameeting.com/?token=abc&u=ana' });
    assertValidModal(ready);
    expect(json(ready)).toContain('https://acme.megameeting.com/?token=abc&u=ana');
    const refused = buildSignInModal({ kind: 'refused', message: 'You are not linked.' });
    assertValidModal(refused);
    expect(json(refused)).not.toContain('token=');
  });

  test('the account reply carries Open MegaMeeting (a button, not a link)', () => {
    const reply = withOpenMegaMeeting('You are linked to `L1`.');
    assertValidMessageBlocks(reply.blocks);
    expect(json(reply.blocks)).toContain(ACTIONS.openMegaMeeting);
    expect(json(reply.blocks)).not.toContain('"url"');
  });
});
