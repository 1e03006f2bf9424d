/**
 * Bolt's InstallationStore on our store (src/workspaces/installation-store.ts): what the OAuth flow stores
 * comes back as Bolt needs it for `authorize` and token rotation (authVersion v2, seconds), org-wide installs
 * by enterprise, a missing installation is a clear error, delete removes it.
 */
import type { Installation } from '@slack/bolt';
import { SecretBox } from '../../src/secrets/index.js';
import type { Store } from '../../src/store/types.js';
import { NotInstalledError, StoreInstallationStore } from '../../src/workspaces/installation-store.js';
import { openTestStore, type TestStore } from '../store/helpers.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const clock = { now: () => NOW };
const nowSeconds = Math.floor(NOW.getTime() / 1000);

const workspaceInstall: Installation<'v2', false> = {
  team: { id: 'T1', name: 'Acme' },
  enterprise: undefined,
  user: { token: 'xoxp-user-1', scopes: ['identify'], id: 'UADMIN' },
  bot: {
    token: 'xoxe.xoxb-bot-1',
    refreshToken: 'xoxe-1-refresh-1',
    expiresAt: nowSeconds + 43_200,
    scopes: ['commands', 'chat:write'],
    id: 'B1',
    userId: 'UBOT',
  },
  appId: 'A1',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
};

let t: TestStore;
let store: Store;
let adapter: StoreInstallationStore;
beforeAll(async () => {
  t = await openTestStore('sqlite');
  store = t.store;
  adapter = new StoreInstallationStore(store.installations(new SecretBox(Buffer.alloc(32, 4))), clock);
});
afterAll(async () => {
  await t?.cleanup();
});

test('what storeInstallation keeps, fetchInstallation gives back as Bolt had it', async () => {
  await adapter.storeInstallation(workspaceInstall);
  const back = await adapter.fetchInstallation({
    teamId: 'T1',
    enterpriseId: undefined,
    isEnterpriseInstall: false,
  });
  expect(back).toEqual(workspaceInstall);
});

test('org-wide installs are fetched by enterprise, for the org and for its workspaces', async () => {
  const org: Installation<'v2', true> = {
    ...workspaceInstall,
    team: undefined,
    enterprise: { id: 'E1', name: 'Acme Group' },
    enterpriseUrl: 'https://acme-group.enterprise.slack.com/',
    isEnterpriseInstall: true,
  };
  await adapter.storeInstallation(org);
  expect(
    await adapter.fetchInstallation({ teamId: undefined, enterpriseId: 'E1', isEnterpriseInstall: true }),
  ).toEqual(org);
  expect(
    (await adapter.fetchInstallation({ teamId: 'T77', enterpriseId: 'E1', isEnterpriseInstall: false }))
      .enterprise,
  ).toEqual({ id: 'E1', name: 'Acme Group' });
});

test('a workspace without installation: a clear error naming it; delete removes one', async () => {
  await expect(
    adapter.fetchInstallation({ teamId: 'T404', enterpriseId: undefined, isEnterpriseInstall: false }),
  ).rejects.toThrow(new NotInstalledError({ teamId: 'T404', isEnterpriseInstall: false }).message);
  await adapter.deleteInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
  await expect(
    adapter.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false }),
  ).rejects.toBeInstanceOf(NotInstalledError);
});

test('an installation without a bot token is refused, nothing stored', async () => {
  const { bot: _none, ...userOnly } = workspaceInstall;
  await expect(adapter.storeInstallation({ ...userOnly, team: { id: 'T2' } })).rejects.toThrow(
    /no bot token/,
  );
  await expect(
    adapter.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false }),
  ).rejects.toBeInstanceOf(NotInstalledError);
});

test('a bare installation (no names, refresh tokens, expiry, user token or bot ID) comes back without invented fields', async () => {
  const bare: Installation<'v2', false> = {
    team: { id: 'T3' },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: '' },
    bot: { token: 'xoxb-bot-3', scopes: [], id: '', userId: 'UBOT3' },
    isEnterpriseInstall: false,
    metadata: '{"from":"home"}',
    authVersion: 'v2',
  };
  await adapter.storeInstallation(bare);
  const back = await adapter.fetchInstallation({
    teamId: 'T3',
    enterpriseId: undefined,
    isEnterpriseInstall: false,
  });
  // Every key of the answer, so that a null standing in for an absent field shows.
  expect(back).toStrictEqual({
    team: { id: 'T3' },
    enterprise: undefined,
    isEnterpriseInstall: false,
    appId: undefined,
    enterpriseUrl: undefined,
    tokenType: undefined,
    metadata: '{"from":"home"}',
    authVersion: 'v2',
    bot: { token: 'xoxb-bot-3', scopes: [], id: '', userId: 'UBOT3' },
    user: { token: undefined, scopes: undefined, id: '' },
  });
});

test('an org-wide install without names keeps only the IDs', async () => {
  await adapter.storeInstallation({
    ...workspaceInstall,
    team: undefined,
    enterprise: { id: 'E2' },
    isEnterpriseInstall: true,
  });
  const back = await adapter.fetchInstallation({
    teamId: undefined,
    enterpriseId: 'E2',
    isEnterpriseInstall: true,
  });
  expect(back.enterprise).toStrictEqual({ id: 'E2' });
  expect(back.team).toBeUndefined();
  expect(back.isEnterpriseInstall).toBe(true);
});

test('the not-installed error names the workspace or the enterprise, with its code', () => {
  const workspace = new NotInstalledError({ teamId: 'T9', isEnterpriseInstall: false });
  expect(workspace.message).toBe(
    'MegaMeeting for Slack is not installed in workspace T9 (install it from /slack/install)',
  );
  expect(workspace).toMatchObject({ code: 'not_installed', name: 'NotInstalledError' });
  const org = new NotInstalledError({ teamId: 'T9', enterpriseId: 'E9', isEnterpriseInstall: true });
  expect(org.message).toBe(
    'MegaMeeting for Slack is not installed in enterprise E9 (install it from /slack/install)',
  );
});

test('an installation without a user keeps none; a rotating user token keeps its refresh token and expiry', async () => {
  const { user: _none, ...noUser } = workspaceInstall;
  // Bolt's type always has a user; the adapter reads it with `?.`, so an installation without one is kept with no
  // user rather than failing with a TypeError.
  await adapter.storeInstallation({ ...noUser, team: { id: 'T4' } } as Installation<'v2', false>);
  const back = await adapter.fetchInstallation({
    teamId: 'T4',
    enterpriseId: undefined,
    isEnterpriseInstall: false,
  });
  expect(back.user).toStrictEqual({ token: undefined, scopes: undefined, id: '' });
  const rotating = {
    ...workspaceInstall,
    team: { id: 'T5' },
    user: {
      token: 'xoxe.xoxp-user-5',
      refreshToken: 'xoxe-1-user-refresh',
      expiresAt: nowSeconds + 3600,
      scopes: ['identify'],
      id: 'U5',
    },
  };
  await adapter.storeInstallation(rotating);
  expect(
    await adapter.fetchInstallation({ teamId: 'T5', enterpriseId: undefined, isEnterpriseInstall: false }),
  ).toEqual(rotating);
});
