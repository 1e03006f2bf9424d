/** The admins' DMs and the person's messages: valid Block Kit, user text escaped, the right choices offered. */
import type { KnownBlock } from '@slack/types';
import {
  accessOutcomeMessage,
  buildAccessRequest,
  buildDecided,
  buildExpired,
  buildOffboardingRequest,
  ADMIN_REQUEST_IDS as IDS,
  MAX_MEETINGS_LISTED,
  type OffboardingView,
  unmappedReply,
} from '../../src/views/admin-requests.js';
import { assertValidMessageBlocks } from '../support/block-kit.js';
import { findElement } from '../support/slack-requests.js';

const ID = '0b8f6f57-6f0e-4f57-9c59-1d7c8a2e9f11';
const SUBJECT = { userId: 'U0PAT', name: 'Pat <!channel> & co', email: 'pat@example.com' };
const text = (blocks: KnownBlock[]) => JSON.stringify(blocks);

function offboarding(over: Partial<OffboardingView> = {}): OffboardingView {
  return {
    requestId: ID,
    subject: SUBJECT,
    login: { loginId: 'L1', name: 'Pat Login', email: 'pat@example.com', role: 'host' },
    token: { kind: 'present', lastFour: 'WXYZ', createdAt: new Date(0), lastUsed: new Date(86_400_000) },
    meetings: [],
    isAppLogin: false,
    ...over,
  };
}

test('the unmapped reply carries the request button', () => {
  const msg = unmappedReply('No login for pat@example.com.');
  assertValidMessageBlocks(msg.blocks);
  expect(findElement(msg.blocks, IDS.requestLogin)).toBeDefined();
  expect(msg.text).toBe('No login for pat@example.com.');
});

test('a login request: create, link (external select) and decline; the name is escaped', () => {
  const msg = buildAccessRequest({ requestId: ID, subject: SUBJECT, expiresAt: new Date(0) });
  assertValidMessageBlocks(msg.blocks);
  expect(findElement(msg.blocks, `${IDS.accessCreate}:${ID}`)?.element.value).toBe(ID);
  expect(findElement(msg.blocks, `${IDS.accessLink}:${ID}`)?.element).toMatchObject({
    type: 'external_select',
    min_query_length: 0,
  });
  expect(findElement(msg.blocks, `${IDS.accessDecline}:${ID}`)?.element.confirm).toBeDefined();
  expect(text(msg.blocks)).toContain('Pat &lt;!channel&gt; &amp; co');
  expect(text(msg.blocks)).not.toContain('<!channel>');

  const noEmail = buildAccessRequest({
    requestId: ID,
    subject: { ...SUBJECT, email: null },
    expiresAt: new Date(0),
  });
  assertValidMessageBlocks(noEmail.blocks);
  expect(findElement(noEmail.blocks, `${IDS.accessCreate}:${ID}`)).toBeUndefined();
  expect(text(noEmail.blocks)).toContain('no email on their Slack profile');
});

test('offboarding: token by its last four, meetings listed (then counted), revoke/delete/keep', () => {
  const meetings = Array.from({ length: MAX_MEETINGS_LISTED + 2 }, (_, i) => ({
    meetId: `M${i}`,
    title: `Sync <${i}>`,
    startAt: new Date(1_800_000_000_000 + i * 3_600_000),
  }));
  const msg = buildOffboardingRequest(offboarding({ meetings }));
  assertValidMessageBlocks(msg.blocks);
  const all = text(msg.blocks);
  expect(all).toContain('ending in `WXYZ`');
  expect(all).toContain(`(${MAX_MEETINGS_LISTED + 2})`);
  expect(all).toContain('M0');
  expect(all).not.toContain(`M${MAX_MEETINGS_LISTED}\``);
  expect(all).toContain('…and 2 more');
  for (const a of [IDS.offboardRevoke, IDS.offboardDelete, IDS.offboardKeep]) {
    expect(findElement(msg.blocks, `${a}:${ID}`)).toBeDefined();
  }
});

test("offboarding: no Revoke without a token; the owner's login is not deletable; the app's own login offers Keep only", () => {
  const noToken = buildOffboardingRequest(offboarding({ token: { kind: 'none' } }));
  expect(findElement(noToken.blocks, `${IDS.offboardRevoke}:${ID}`)).toBeUndefined();
  expect(text(noToken.blocks)).toContain('*Scheduled meetings they host:* none');

  const owner = buildOffboardingRequest(offboarding({ login: { ...offboarding().login, role: 'owner' } }));
  expect(findElement(owner.blocks, `${IDS.offboardDelete}:${ID}`)).toBeUndefined();
  expect(findElement(owner.blocks, `${IDS.offboardRevoke}:${ID}`)).toBeDefined();

  const app = buildOffboardingRequest(offboarding({ isAppLogin: true }));
  assertValidMessageBlocks(app.blocks);
  expect(findElement(app.blocks, `${IDS.offboardDelete}:${ID}`)).toBeUndefined();
  expect(findElement(app.blocks, `${IDS.offboardRevoke}:${ID}`)).toBeUndefined();
  expect(findElement(app.blocks, `${IDS.offboardKeep}:${ID}`)).toBeDefined();
  expect(text(app.blocks)).toContain('This Slack app uses this login');
});

test('decided and expired versions name who did what and carry no buttons', () => {
  const login = { loginId: 'L1', name: 'Pat Login', email: 'pat@example.com' };
  for (const [kind, outcome] of [
    ['access', 'created'],
    ['access', 'linked'],
    ['access', 'declined'],
    ['offboarding', 'revoked'],
    ['offboarding', 'deleted'],
    ['offboarding', 'kept'],
    ['offboarding', 'gone'],
  ] as const) {
    const msg = buildDecided({ kind, subject: SUBJECT, outcome, decidedBy: 'U0MAYA', login });
    assertValidMessageBlocks(msg.blocks);
    expect(msg.text).toContain('<@U0PAT>');
    expect(text(msg.blocks)).not.toContain('"actions"');
    if (outcome !== 'gone') expect(msg.text).toContain(`<@U0MAYA> ${outcome}`);
  }
  for (const kind of ['access', 'offboarding'] as const) {
    const msg = buildExpired(SUBJECT, kind);
    assertValidMessageBlocks(msg.blocks);
    expect(msg.text).toContain('expired unanswered');
  }
});

test("the person's outcome: created (with or without the activation email), linked, declined", () => {
  const login = { loginId: 'L1', email: 'pat@example.com' };
  const created = accessOutcomeMessage({
    outcome: 'created',
    decidedBy: 'U0MAYA',
    login,
    invitationSent: true,
  });
  expect(created.text).toMatch(/emailed you an activation link/);
  expect(created.text).toMatch(/`\/meet` works for you now/);
  const noMail = accessOutcomeMessage({
    outcome: 'created',
    decidedBy: 'U0MAYA',
    login,
    invitationSent: false,
  });
  expect(noMail.text).toMatch(/didn't send the activation email/);
  expect(accessOutcomeMessage({ outcome: 'linked', decidedBy: 'U0MAYA', login }).text).toContain('`L1`');
  expect(accessOutcomeMessage({ outcome: 'declined', decidedBy: 'U0MAYA', login: null }).text).toMatch(
    /declined/,
  );
  for (const m of [created, noMail]) assertValidMessageBlocks(m.blocks);
});
