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
