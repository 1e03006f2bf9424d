/** The guest builders: valid Block Kit, and keys only where they belong. */
import { DEFAULT_GUEST_PERMISSIONS } from '../../src/domain/meeting.js';
import {
  buildAccessDecided,
  buildAccessDenied,
  buildAccessRequest,
  buildGuestManagerModal,
  buildGuestRemoved,
  buildInviteReport,
  buildPersonalLink,
  type GuestListItem,
  MAX_LISTED_GUESTS,
  permissionsActionId,
  removeActionId,
} from '../../src/views/guests.js';
import { ACTIONS, actionSuffix, GUEST_IDS, VIEWS } from '../../src/views/ids.js';
import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';

const LINK = 'https://acme.megameeting.com/meeting/?key=abcdef123456';

function guest(i: number, over: Partial<GuestListItem> = {}): GuestListItem {
  return {
    ref: `ref${i}`,
    name: `Guest <${i}> & co`,
    slackUserId: i % 2 === 0 ? `U0GUEST${i}` : null,
    email: i % 2 === 0 ? null : `g${i}@example.com`,
    permissions: i % 3 === 0 ? [] : ['webcam', 'chat'],
    role: 'guest',
    ...over,
  };
}

const meeting = {
  meetId: '1234567',
  title: 'Consult <b> & notes',
  kind: 'secure' as const,
  hostSlackUserId: 'U0HOST',
};

describe('guest manager modal', () => {
  test('empty list: valid, with the add form and metadata', () => {
    const view = buildGuestManagerModal({ ...meeting, guests: [] });
    assertValidModal(view);
    expect(view.callback_id).toBe(VIEWS.guests);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ meetId: '1234567' });
    expect(view.submit?.text).toBe('Add guests');
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids).toEqual(
      expect.arrayContaining([
        GUEST_IDS.addUsersBlock,
        GUEST_IDS.addExternalBlock,
        GUEST_IDS.addPermissionsBlock,
      ]),
    );
    expect(JSON.stringify(view)).toContain('No guests yet');
  });

  test('rows carry unique action_ids from the ref; user text is escaped; defaults leave moderator off', () => {
    const guests = [guest(1), guest(2), guest(3, { role: 'registrant', permissions: ['moderator'] })];
    const view = buildGuestManagerModal({ ...meeting, guests, notice: 'Removed Ann.' });
    assertValidModal(view);
    const json = JSON.stringify(view);
    expect(json).toContain(removeActionId('ref1'));
    expect(json).toContain(permissionsActionId('ref3'));
    expect(json).toContain('Guest &lt;1&gt; &amp; co');
    expect(json).toContain('<@U0GUEST2>');
    expect(json).toContain('g1@example.com');
    expect(json).toContain('registered');
    expect(json).toContain('Removed Ann.');
    expect(actionSuffix(removeActionId('ref1'))).toBe('ref1');
    expect(removeActionId('x').startsWith(ACTIONS.removeGuest)).toBe(true);
    const add = view.blocks.find((b) => b.block_id === GUEST_IDS.addPermissionsBlock) as {
      element: { initial_options: Array<{ value: string }> };
    };
    expect(add.element.initial_options.map((o) => o.value)).toEqual(DEFAULT_GUEST_PERMISSIONS);
  });

  test('a long list stays within the modal block limit and says how many are not shown', () => {
    const guests = Array.from({ length: 75 }, (_, i) => guest(i));
    const view = buildGuestManagerModal({ ...meeting, guests, notice: 'x'.repeat(5000) });
    assertValidModal(view);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).toContain(`${75 - MAX_LISTED_GUESTS} more guests`);
  });

  test('busy: no submit button, a working line', () => {
    const view = buildGuestManagerModal({ ...meeting, guests: [guest(1)], busy: true });
    assertValidModal(view);
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view)).toContain('Working on it');
  });
});

describe('messages', () => {
  test.each(['invited', 'registered', 'approved', 'again'] as const)(
    'personal link (%s): a Join URL button',
    (reason) => {
      const msg = buildPersonalLink({
        ...meeting,
        start: new Date('2030-01-02T15:00:00Z'),
        link: LINK,
        reason,
      });
      assertValidMessageBlocks(msg.blocks);
      expect(JSON.stringify(msg.blocks)).toContain(LINK);
      expect(msg.text).not.toContain('key=');
      expect(JSON.stringify(msg.blocks)).toContain("Please don't share it");
    },
  );

  test('access request: Approve and Deny carry meeting and requester, no key', () => {
    const msg = buildAccessRequest({ meetId: '1234567', title: 'Consult', requesterId: 'U0REQ' });
    assertValidMessageBlocks(msg.blocks);
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain(ACTIONS.approveAccess);
    expect(json).toContain(ACTIONS.denyAccess);
    expect(json).toContain(JSON.stringify(JSON.stringify({ m: '1234567', u: 'U0REQ' })).slice(1, -1));
    for (const approved of [true, false]) {
      assertValidMessageBlocks(
        buildAccessDecided({ meetId: '1', title: 'T', requesterId: 'U1', decidedBy: 'U2', approved }).blocks,
      );
    }
    assertValidMessageBlocks(buildAccessDenied({ meetId: '1', title: 'T' }).blocks);
    assertValidMessageBlocks(buildGuestRemoved({ meetId: '1', title: 'T', hostSlackUserId: 'U2' }).blocks);
  });

  test('invite report: added (with external links), existing, failed with reasons and a Retry button', () => {
    const msg = buildInviteReport({
      meetId: '1234567',
      title: 'Consult',
      added: [
        { name: 'Bob', slackUserId: 'U0BOB', email: 'bob@example.com', link: null },
        { name: 'Jane <J>', slackUserId: null, email: 'jane@example.com', link: LINK },
      ],
      existing: [{ name: 'Old', slackUserId: null, email: 'old@example.com' }],
      failed: [
        { name: 'Cat', slackUserId: null, email: 'cat@example.com', reason: "MegaMeeting didn't answer" },
      ],
      notDelivered: [{ name: 'Bob', slackUserId: 'U0BOB', email: null }],
      retryValue: '{"m":"1234567","g":[]}',
    });
    assertValidMessageBlocks(msg.blocks);
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain(LINK);
    expect(json).toContain('Jane &lt;J&gt;');
    expect(json).toContain('Not added (1)');
    expect(json).toContain('cat@example.com');
    expect(json).toContain(GUEST_IDS.retryInvites);
    expect(msg.text).toBe('Guests for "Consult": 2 added, 1 not added.');
  });

  test('invite report with many external guests splits sections and stays valid', () => {
    const added = Array.from({ length: 50 }, (_, i) => ({
      name: `External guest number ${i} with a long name`,
      slackUserId: null,
      email: `external.guest.${i}@some-long-domain.example.com`,
      link: `${LINK}${i}`,
    }));
    const msg = buildInviteReport({
      meetId: '1',
      title: 'T',
      added,
      existing: [],
      failed: [],
      notDelivered: [],
    });
    assertValidMessageBlocks(msg.blocks);
    for (let i = 0; i < 50; i++) expect(JSON.stringify(msg.blocks)).toContain(`${LINK}${i}|`);
  });
});
