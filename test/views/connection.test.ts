/** The connection views: valid Block Kit, errors under their fields, and no token anywhere. */
import type { ModalView } from '@slack/types';
import {
  buildCheckingModal,
  buildConnectedModal,
  buildConnectionStatusMessage,
  buildConnectModal,
  buildDisconnectedMessage,
  buildDisconnectPrompt,
  buildEnvironmentConnectionMessage,
  connectFormErrors,
  readConnectForm,
  type WorkspaceConnection,
} from '../../src/views/connection.js';
import { CONNECTION_IDS as IDS } from '../../src/views/ids.js';
import { assertValidMessageBlocks, assertValidModal } from '../support/block-kit.js';

const C: WorkspaceConnection = {
  accountUrl: 'https://acme.megameeting.com',
  loginId: '5cc8525555555547431600d0',
  loginEmail: 'owner@acme.example',
  connectedBy: 'U0ADMIN001',
  connectedAt: new Date('2026-03-01T10:00:00Z'),
};

function blockIds(view: ModalView): Array<string | undefined> {
  return view.blocks.map((b) => b.block_id);
}

function inputsOf(view: ModalView): Array<{ block_id: string; element: Record<string, unknown> }> {
  return view.blocks.filter((b) => b.type === 'input') as unknown as Array<{
    block_id: string;
    element: Record<string, unknown>;
  }>;
}

describe('the connect modal', () => {
  test('a first connection: URL and token fields, neither pre-filled', () => {
    const view = buildConnectModal();
    assertValidModal(view);
    expect(view.callback_id).toBe(IDS.view);
    expect(inputsOf(view).map((b) => [b.block_id, b.element.action_id, b.element.initial_value])).toEqual([
      [IDS.url.block, IDS.url.action, undefined],
      [IDS.token.block, IDS.token.action, undefined],
    ]);
  });

  test('replacing a connection names the current one and starts from its URL; the token stays empty', () => {
    const view = buildConnectModal({ accountUrl: C.accountUrl, current: C });
    assertValidModal(view);
    expect(JSON.stringify(view)).toContain(
      'Connected now: https://acme.megameeting.com · API token of owner@acme.example',
    );
    expect(inputsOf(view)[0]?.element.initial_value).toBe(C.accountUrl);
  });

  test('errors after a slow check sit right under their field, escaped', () => {
    const view = buildConnectModal({
      accountUrl: 'https://x.example',
      errors: { url: 'Nothing at <https://x.example>', token: 'Refused & wrong' },
    });
    assertValidModal(view);
    const ids = blockIds(view);
    expect(ids.indexOf(`${IDS.url.block}_error`)).toBe(ids.indexOf(IDS.url.block) + 1);
    expect(ids.indexOf(`${IDS.token.block}_error`)).toBe(ids.indexOf(IDS.token.block) + 1);
    expect(JSON.stringify(view)).toContain(':warning: Nothing at &lt;https://x.example&gt;');
    expect(JSON.stringify(view)).toContain('Refused &amp; wrong');
  });

  test('checking and connected modals', () => {
    for (const view of [buildCheckingModal(), buildConnectedModal(C)] as ModalView[]) assertValidModal(view);
    expect(JSON.stringify(buildConnectedModal(C))).toContain('MegaMeeting is connected');
  });
});

describe('reading the submitted form', () => {
  const values = (url: string | null, token: string | null) => ({
    [IDS.url.block]: { [IDS.url.action]: { type: 'url_text_input', value: url } },
    [IDS.token.block]: { [IDS.token.action]: { type: 'plain_text_input', value: token } },
  });

  test('both fields, trimmed', () => {
    expect(readConnectForm(values(' https://acme.megameeting.com ', ' TOKEN123 '))).toEqual({
      ok: true,
      accountUrl: 'https://acme.megameeting.com',
      apiToken: 'TOKEN123',
    });
  });

  test('empty or missing fields are errors keyed by block', () => {
    const form = readConnectForm(values(null, '  '));
    expect(form.ok).toBe(false);
    expect(connectFormErrors((form as { errors: object }).errors)).toEqual({
      [IDS.url.block]: 'Enter your MegaMeeting account URL, e.g. https://myaccount.megameeting.com',
      [IDS.token.block]: 'Paste an API token of an admin login of your MegaMeeting account.',
    });
    expect(readConnectForm({ nonsense: 1 }).ok).toBe(false);
  });
});

describe('messages', () => {
  test('status for admins: account, login, who and when, with Connect another account and a confirmed Disconnect', () => {
    const m = buildConnectionStatusMessage(C, { isAdmin: true });
    assertValidMessageBlocks(m.blocks);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('Connected by <@U0ADMIN001> <!date^1772359200^');
    expect(text).toContain(IDS.openConnect);
    expect(text).toContain(IDS.disconnect);
    expect(text).toContain('"confirm":{');
    expect(m.text).toBe(
      'MegaMeeting is connected: https://acme.megameeting.com · API token of owner@acme.example (`5cc8525555555547431600d0`).',
    );
  });

  test('status for others: no buttons, who can change it', () => {
    const m = buildConnectionStatusMessage(C, { isAdmin: false });
    assertValidMessageBlocks(m.blocks);
    expect(JSON.stringify(m.blocks)).not.toContain(IDS.disconnect);
    expect(JSON.stringify(m.blocks)).toContain('A Slack workspace admin or owner can change or remove it.');
  });

  test('not connected: admins get the Connect button, others who to ask', () => {
    const admin = buildConnectionStatusMessage(null, { isAdmin: true });
    const other = buildConnectionStatusMessage(null, { isAdmin: false });
    for (const m of [admin, other]) assertValidMessageBlocks(m.blocks);
    expect(JSON.stringify(admin.blocks)).toContain(IDS.openConnect);
    expect(JSON.stringify(other.blocks)).not.toContain(IDS.openConnect);
    expect(other.text).toContain('can connect it with `/meet connect`');
  });

  test('disconnect prompt and result', () => {
    const prompt = buildDisconnectPrompt(C);
    assertValidMessageBlocks(prompt.blocks);
    expect(JSON.stringify(prompt.blocks)).toContain('"style":"danger"');
    for (const m of [
      buildDisconnectedMessage(C, 'U0ADMIN001'),
      buildDisconnectedMessage(null, 'U0ADMIN001'),
    ]) {
      assertValidMessageBlocks(m.blocks);
    }
  });

  test('single-workspace mode: where the connection comes from; the account for admins only', () => {
    const forAdmin = buildEnvironmentConnectionMessage('connect', {
      accountUrl: 'https://acme.megameeting.com',
      source: 'environment',
      reachable: true,
      tokenLogin: { loginId: 'L1', email: 'owner@acme.example', fullName: 'Owner' },
    });
    const forOthers = buildEnvironmentConnectionMessage('disconnect', null);
    for (const m of [forAdmin, forOthers]) assertValidMessageBlocks(m.blocks);
    expect(JSON.stringify(forAdmin.blocks)).toContain('owner@acme.example');
    expect(forOthers.text).toContain('it cannot be disconnected from Slack');
    expect(JSON.stringify(forOthers.blocks)).not.toContain('acme');
  });
});
