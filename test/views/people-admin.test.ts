/** The people admin builders: valid Block Kit, paging and search state, protections shown, tokens never whole. */
import type { KnownBlock, ModalView } from '@slack/types';
import {
  buildCreateLoginModal,
  buildLoadingModal,
  buildLoginModal,
  buildNoticeModal,
  buildPeopleListModal,
  buildTokenOnceModal,
  PEOPLE_ADMIN_IDS as IDS,
  type LoginDetail,
  type LoginRow,
  PEOPLE_PAGE_SIZE,
} from '../../src/views/people-admin.js';
import { assertValidModal } from '../support/block-kit.js';
import { findElement } from '../support/slack-requests.js';

const TOKEN = 'IWVFBYLWG0QWY7EI55555555VKQHQ97X';

function row(i: number, over: Partial<LoginRow> = {}): LoginRow {
  return {
    loginId: `5bf55555ac0331${String(i).padStart(10, '0')}`,
    fullName: `Person <${i}> & co`,
    userName: `person${i}`,
    email: `p${i}@example.com`,
    active: true,
    roles: ['host'],
    slackUserIds: i % 2 === 0 ? [`U0PERSON${i}`] : [],
    ...over,
  };
}

function detail(over: Partial<LoginDetail> = {}): LoginDetail {
  return {
    row: row(1, { slackUserIds: ['U0ANA1', 'U0ANA2'] }),
    token: { kind: 'present', lastFour: TOKEN.slice(-4), createdAt: new Date(0), lastUsed: null },
    isAppLogin: false,
    ...over,
  };
}

const json = (v: unknown) => JSON.stringify(v);
const texts = (view: ModalView) => json(view.blocks);

describe('list', () => {
  const rows = Array.from({ length: PEOPLE_PAGE_SIZE }, (_, i) => row(i));

  test('a middle page: one Manage per row, Previous and Next, the search kept, metadata for the next request', () => {
    const view = buildPeopleListModal({ rows, page: 1, pageCount: 3, total: 25, query: 'person' });
    assertValidModal(view);
    expect(view.callback_id).toBe(IDS.listView);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ p: 1, q: 'person' });
    for (const r of rows) {
      expect(findElement(view.blocks, `${IDS.openLogin}:${r.loginId}`)?.element.value).toBe(r.loginId);
    }
    expect(findElement(view.blocks, IDS.previous)?.element.value).toBe('0');
    expect(findElement(view.blocks, IDS.next)?.element.value).toBe('2');
    expect(findElement(view.blocks, IDS.search.action)?.element).toMatchObject({
      initial_value: 'person',
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
    });
    expect(texts(view)).toContain('Page 2 of 3 · logins 11–20 of 25');
    // User text is escaped, linked users shown as mentions, unlinked ones say so.
    expect(texts(view)).toContain('Person &lt;0&gt; &amp; co');
    expect(texts(view)).toContain('<@U0PERSON0>');
    expect(texts(view)).toContain('_not linked_');
  });

  test('first and last pages lack Previous and Next; an empty search says so', () => {
    const only = buildPeopleListModal({ rows: rows.slice(0, 3), page: 0, pageCount: 1, total: 3, query: '' });
    expect(findElement(only.blocks, IDS.previous)).toBeUndefined();
    expect(findElement(only.blocks, IDS.next)).toBeUndefined();
    const none = buildPeopleListModal({ rows: [], page: 0, pageCount: 1, total: 0, query: '<zed>' });
    assertValidModal(none);
    expect(texts(none)).toContain('No MegaMeeting login matches “&lt;zed&gt;”');
  });
});

describe('one login', () => {
  const meta = { p: 0, q: '', v: 'V0LIST' };

  test('links with Unlink, a role select, token by its last four only, and delete with a confirmation naming the person', () => {
    const view = buildLoginModal(detail(), meta, { notice: ':white_check_mark: Done.' });
    assertValidModal(view);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ ...meta, l: row(1).loginId });
    expect(findElement(view.blocks, `${IDS.unlink}:U0ANA2`)?.element.value).toBe('U0ANA2');
    expect(findElement(view.blocks, IDS.link.action)?.element.type).toBe('users_select');
    expect(findElement(view.blocks, IDS.role.action)?.element).toMatchObject({
      type: 'static_select',
      initial_option: { value: 'host' },
    });
    expect(texts(view)).toContain(`ending in \`${TOKEN.slice(-4)}\``);
    expect(json(view)).not.toContain(TOKEN.slice(0, -4));
    const del = findElement(view.blocks, IDS.deleteLogin)?.element as {
      confirm?: { text: { text: string } };
    };
    expect(del.confirm?.text.text).toContain('Person &lt;1&gt; &amp; co (p1@example.com)');
    expect(del.confirm?.text.text).toContain('cannot be undone');
    const revoke = findElement(view.blocks, IDS.revokeToken)?.element as {
      confirm?: { text: { text: string } };
    };
    expect(revoke.confirm?.text.text).toContain('cannot be undone');
    expect(findElement(view.blocks, IDS.createToken)?.element.text).toMatchObject({
      text: 'Replace API token',
    });
  });

  test("the app's own login: the reason shown, and no delete, role change, token replace or revoke", () => {
    const view = buildLoginModal(
      detail({ row: row(1, { roles: ['admin', 'host'] }), isAppLogin: true }),
      meta,
    );
    assertValidModal(view);
    expect(texts(view)).toContain("This Slack app uses this login's API token");
    for (const id of [IDS.deleteLogin, IDS.role.action, IDS.createToken, IDS.revokeToken]) {
      expect(findElement(view.blocks, id)).toBeUndefined();
    }
  });

  test('the owner keeps the role and the login; a login without a token offers Create only', () => {
    const view = buildLoginModal(
      detail({ row: row(1, { roles: ['owner', 'admin', 'host'] }), token: { kind: 'none' } }),
      meta,
    );
    assertValidModal(view);
    expect(findElement(view.blocks, IDS.role.action)).toBeUndefined();
    expect(findElement(view.blocks, IDS.deleteLogin)).toBeUndefined();
    expect(findElement(view.blocks, IDS.revokeToken)).toBeUndefined();
    expect(findElement(view.blocks, IDS.createToken)?.element.text).toMatchObject({
      text: 'Create API token',
    });
    expect(texts(view)).toContain('*API token:* none');
  });

  test('a token that could not be read says why', () => {
    const view = buildLoginModal(
      detail({ token: { kind: 'unknown', reason: "MegaMeeting didn't answer" } }),
      meta,
    );
    expect(texts(view)).toContain("couldn't be read (MegaMeeting didn't answer)");
  });
});

describe('other modals', () => {
  test('the token-once modal carries the token and the warning, and nothing else carries it', () => {
    const view = buildTokenOnceModal({ name: 'Ana <x>', email: 'ana@example.com', token: TOKEN });
    assertValidModal(view);
    expect(texts(view)).toContain(`\`\`\`${TOKEN}\`\`\``);
    expect(texts(view)).toContain("won't be shown again");
    expect(view.private_metadata).toBeUndefined();
    expect(view.submit).toBeUndefined();
  });

  test('create form, loading and notice modals are valid', () => {
    const create = buildCreateLoginModal({ notice: 'hi' });
    assertValidModal(create);
    expect(findElement(create.blocks, IDS.createUser.action)?.element.type).toBe('users_select');
    for (const v of [buildLoadingModal(), buildNoticeModal('No.')]) assertValidModal(v);
    expect((buildNoticeModal('No.').blocks as KnownBlock[]).length).toBe(1);
  });
});
