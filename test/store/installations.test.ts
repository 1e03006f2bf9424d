/**
 * Multi-workspace installations in the store, on both engines: upsert by team (or enterprise for org-wide
 * installs) in place, every token encrypted (the SQLite file's bytes never hold one), the rotation
 * compare-and-set (an older token never replaces a newer one, also when two replicas write at once), user-token
 * revocation that keeps the workspace, key rotation (values under ENCRYPTION_KEY_PREVIOUS re-encrypted as they
 * are read) and the start-up key check.
 */
import { readFileSync } from 'node:fs';
import { EncryptionKeyMismatchError, SecretBox } from '../../src/secrets/index.js';
import type { NewSlackInstallation, Store } from '../../src/store/types.js';
import { execSql, type StorePair, testDialects, useStorePair } from './helpers.js';

const DIALECTS = testDialects();
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;
const KEY = Buffer.alloc(32, 1);
const OLD_KEY = Buffer.alloc(32, 2);
const OTHER_KEY = Buffer.alloc(32, 3);
const ROUNDS = 25;

function inst(over: Partial<NewSlackInstallation> = {}): NewSlackInstallation {
  return {
    teamId: 'T1',
    teamName: 'Acme',
    enterpriseId: null,
    enterpriseName: null,
    isEnterpriseInstall: false,
    appId: 'A1',
    botId: 'B1',
    botUserId: 'UBOT',
    botScopes: ['commands', 'chat:write'],
    botToken: 'xoxe.xoxb-T1-bot-token-one',
    botRefreshToken: 'xoxe-1-refresh-token-one',
    botExpiresAt: at(12 * HOUR),
    userId: 'UADMIN',
    userScopes: [],
    userToken: null,
    userRefreshToken: null,
    userExpiresAt: null,
    details: { tokenType: 'bot', authVersion: 'v2' },
    ...over,
  };
}

describe.each(DIALECTS)('slack installations on %s', (dialect) => {
  let store: Store;
  let other: Store;
  let pair: StorePair;
  useStorePair(dialect, (p) => {
    pair = p;
    ({ store, other } = p);
  });
  const box = new SecretBox(KEY);
  const repo = () => store.installations(box);

  test('stored whole and read back by another instance; looked up by team', async () => {
    expect(await repo().upsert(inst(), T0)).toBe(true);
    const found = await other.installations(box).find({ teamId: 'T1', isEnterpriseInstall: false }, T0);
    expect(found).toEqual({ ...inst(), installedAt: T0, updatedAt: T0, version: 1 });
    expect(await repo().find({ teamId: 'T2', isEnterpriseInstall: false }, T0)).toBeNull();
  });

  test('a re-install updates in place (new scopes, new token), keeping the first install time', async () => {
    await repo().upsert(inst(), T0);
    const again = inst({
      botScopes: ['commands', 'chat:write', 'users:read'],
      botToken: 'xoxe.xoxb-T1-bot-token-two',
      botRefreshToken: 'xoxe-1-refresh-token-two',
      botExpiresAt: at(13 * HOUR),
    });
    expect(await repo().upsert(again, at(HOUR))).toBe(true);
    const found = await repo().find({ teamId: 'T1', isEnterpriseInstall: false }, at(HOUR));
    expect(found).toMatchObject({ ...again, installedAt: T0, updatedAt: at(HOUR), version: 2 });
    const rows = await execSql(pair.db.url, ['select install_key from slack_installations']);
    expect(rows).toEqual([{ install_key: 'T:T1' }]);
  });

  test('org-wide installs are looked up by enterprise, also for a workspace of that org', async () => {
    const org = inst({ teamId: null, teamName: null, enterpriseId: 'E1', isEnterpriseInstall: true });
    await repo().upsert(org, T0);
    expect(await repo().find({ enterpriseId: 'E1', isEnterpriseInstall: true }, T0)).toMatchObject(org);
    expect(
      await repo().find({ teamId: 'T9', enterpriseId: 'E1', isEnterpriseInstall: false }, T0),
    ).toMatchObject({ enterpriseId: 'E1', isEnterpriseInstall: true });
    expect(await repo().find({ enterpriseId: 'E2', isEnterpriseInstall: true }, T0)).toBeNull();
  });

  test('rotation: an older token never replaces a newer one; a token without expiry always wins', async () => {
    const newer = inst({
      botToken: 'xoxe.xoxb-newer',
      botRefreshToken: 'r-newer',
      botExpiresAt: at(14 * HOUR),
    });
    const older = inst({
      botToken: 'xoxe.xoxb-older',
      botRefreshToken: 'r-older',
      botExpiresAt: at(13 * HOUR),
    });
    await repo().upsert(newer, T0);
    expect(await repo().upsert(older, at(1000))).toBe(false);
    expect(await repo().find({ teamId: 'T1', isEnterpriseInstall: false }, T0)).toMatchObject({
      botToken: 'xoxe.xoxb-newer',
      botRefreshToken: 'r-newer',
      version: 1,
    });
    const plain = inst({ botToken: 'xoxb-no-rotation', botRefreshToken: null, botExpiresAt: null });
    expect(await repo().upsert(plain, at(2000))).toBe(true);
    expect(await repo().upsert(older, at(3000))).toBe(true);
    expect((await repo().find({ teamId: 'T1', isEnterpriseInstall: false }, T0))?.botToken).toBe(
      'xoxe.xoxb-older',
    );
  });

  test(`two replicas storing refreshed tokens at once keep the newer one (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const team = `TR${i}`;
      await repo().upsert(inst({ teamId: team, botExpiresAt: at(HOUR) }), T0);
      const a = inst({ teamId: team, botToken: `xoxe.xoxb-a-${i}`, botExpiresAt: at(12 * HOUR + i) });
      const b = inst({ teamId: team, botToken: `xoxe.xoxb-b-${i}`, botExpiresAt: at(12 * HOUR + i + 1) });
      // Alternate who writes first.
      const writes =
        i % 2 === 0
          ? [store.installations(box).upsert(a, T0), other.installations(box).upsert(b, T0)]
          : [other.installations(box).upsert(b, T0), store.installations(box).upsert(a, T0)];
      await Promise.all(writes);
      const found = await repo().find({ teamId: team, isEnterpriseInstall: false }, T0);
      expect(found?.botToken).toBe(`xoxe.xoxb-b-${i}`);
    }
  });

  test('tokens_revoked for users forgets their user token only; the bot and the workspace stay', async () => {
    await repo().upsert(inst({ userToken: 'xoxp-user-token', userScopes: ['identify'] }), T0);
    const lookup = { teamId: 'T1', isEnterpriseInstall: false };
    expect(await repo().deleteUserTokens(lookup, ['USOMEONE'], T0)).toBe(false);
    expect(await repo().deleteUserTokens(lookup, ['UADMIN'], T0)).toBe(true);
    const found = await repo().find(lookup, T0);
    expect(found).toMatchObject({ botToken: inst().botToken, userToken: null, userScopes: [] });
    expect(await repo().deleteInstallation(lookup)).toBe(true);
    expect(await repo().find(lookup, T0)).toBeNull();
    expect(await repo().deleteInstallation(lookup)).toBe(false);
  });

  test('no token is stored in clear; a value copied to another row does not decrypt', async () => {
    await repo().upsert(inst({ userToken: 'xoxp-user-token-clear' }), T0);
    await repo().upsert(inst({ teamId: 'T2', botToken: 'xoxe.xoxb-T2-bot' }), T0);
    const rows = await execSql(pair.db.url, [
      "select bot_token, bot_refresh_token, user_token from slack_installations where install_key = 'T:T1'",
    ]);
    const text = JSON.stringify(rows);
    for (const secret of [inst().botToken, inst().botRefreshToken as string, 'xoxp-user-token-clear'])
      expect(text).not.toContain(secret);
    expect(String(rows[0]?.bot_token)).toMatch(/^mm1\./);
    await execSql(pair.db.url, [
      "update slack_installations set bot_token = (select bot_token from slack_installations where install_key = 'T:T2') where install_key = 'T:T1'",
    ]);
    await expect(repo().find({ teamId: 'T1', isEnterpriseInstall: false }, T0)).rejects.toMatchObject({
      code: 'secret_unreadable',
      reason: 'tampered',
    });
  });

  test('each token is sealed with what it is and whose (a stored value stays readable across versions)', async () => {
    const full = inst({
      userToken: 'xoxp-user-token',
      userRefreshToken: 'xoxe-1-user-refresh',
      userExpiresAt: at(11 * HOUR),
      userScopes: ['identify', 'users:read'],
    });
    await repo().upsert(full, T0);
    expect(await other.installations(box).find({ teamId: 'T1', isEnterpriseInstall: false }, T0)).toEqual({
      ...full,
      installedAt: T0,
      updatedAt: T0,
      version: 1,
    });
    const [row] = await execSql(pair.db.url, [
      'select bot_token, bot_refresh_token, user_token, user_refresh_token from slack_installations',
    ]);
    const open = (column: string, context: string) => box.decrypt(String(row?.[column]), context).plaintext;
    expect(open('bot_token', 'slack bot token of T:T1')).toBe(full.botToken);
    expect(open('bot_refresh_token', 'slack bot refresh token of T:T1')).toBe(full.botRefreshToken);
    expect(open('user_token', 'slack user token of T:T1')).toBe(full.userToken);
    expect(open('user_refresh_token', 'slack user refresh token of T:T1')).toBe(full.userRefreshToken);
  });

  test('an install without the id its kind needs is refused by name, and nothing is stored', async () => {
    await expect(repo().upsert(inst({ enterpriseId: null, isEnterpriseInstall: true }), T0)).rejects.toThrow(
      new Error('an org-wide installation needs its enterprise id'),
    );
    await expect(repo().upsert(inst({ teamId: null, enterpriseId: 'E1' }), T0)).rejects.toThrow(
      new Error('a workspace installation needs its team id'),
    );
    await expect(
      repo().deleteInstallation({ teamId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(new Error('a workspace installation needs its team id'));
    expect(await execSql(pair.db.url, ['select install_key from slack_installations'])).toEqual([]);
  });

  test('rotation: a token with the same expiry as the stored one replaces it', async () => {
    await repo().upsert(inst(), T0);
    expect(await repo().upsert(inst({ botToken: 'xoxe.xoxb-same-expiry' }), at(1000))).toBe(true);
    expect(await repo().find({ teamId: 'T1', isEnterpriseInstall: false }, T0)).toMatchObject({
      botToken: 'xoxe.xoxb-same-expiry',
      version: 2,
    });
  });

  test('forgetting user tokens: none for no users, once per token, counted as a change', async () => {
    await repo().upsert(
      inst({ userToken: 'xoxp-user-token', userRefreshToken: 'xoxe-1-u', userExpiresAt: at(HOUR) }),
      T0,
    );
    const lookup = { teamId: 'T1', isEnterpriseInstall: false };
    expect(await repo().deleteUserTokens(lookup, [], at(1))).toBe(false);
    expect(
      await repo().deleteUserTokens({ teamId: 'T2', isEnterpriseInstall: false }, ['UADMIN'], at(1)),
    ).toBe(false);
    expect(await repo().deleteUserTokens(lookup, ['UADMIN'], at(2))).toBe(true);
    expect(await repo().deleteUserTokens(lookup, ['UADMIN'], at(3))).toBe(false);
    expect(await repo().find(lookup, T0)).toMatchObject({
      userToken: null,
      userRefreshToken: null,
      userExpiresAt: null,
      updatedAt: at(2),
      version: 2,
    });
  });

  test('key rotation: values under the previous key are read and written back under the new one', async () => {
    await store.installations(new SecretBox(OLD_KEY)).upsert(inst(), T0);
    const rotated = new SecretBox(KEY, OLD_KEY);
    expect(await store.installations(rotated).countUnderPreviousKey()).toBe(1);
    const found = await store.installations(rotated).find({ teamId: 'T1', isEnterpriseInstall: false }, T0);
    expect(found?.botToken).toBe(inst().botToken);
    expect(await store.installations(rotated).countUnderPreviousKey()).toBe(0);
    const [row] = await execSql(pair.db.url, [
      'select bot_token, bot_refresh_token from slack_installations',
    ]);
    expect(SecretBox.keyIdIn(String(row?.bot_token))).toBe(box.keyId);
    expect(SecretBox.keyIdIn(String(row?.bot_refresh_token))).toBe(box.keyId);
    // Now the new key alone reads everything.
    expect((await repo().find({ teamId: 'T1', isEnterpriseInstall: false }, T0))?.botRefreshToken).toBe(
      inst().botRefreshToken,
    );
  });

  test('the key check: written once, accepted with the same key, refused with another in one line', async () => {
    await repo().verifyKey(T0);
    await other.installations(box).verifyKey(T0);
    await store.installations(new SecretBox(OTHER_KEY, KEY)).verifyKey(T0); // rotation: re-encrypted
    await store.installations(new SecretBox(OTHER_KEY)).verifyKey(T0);
    const err = await repo()
      .verifyKey(T0)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncryptionKeyMismatchError);
    expect((err as Error).message).toContain(new SecretBox(OTHER_KEY).keyId);
    expect((err as Error).message.split('\n')).toHaveLength(1);
  });
});

test('the SQLite file never holds a token in clear (its bytes, WAL included)', async () => {
  const { createTestSqliteDatabase } = await import('./helpers.js');
  const { openStore } = await import('../../src/store/index.js');
  const db = createTestSqliteDatabase();
  const s = await openStore(db.url);
  try {
    const box = new SecretBox(KEY);
    await s.installations(box).upsert(inst({ userToken: 'xoxp-user-token-in-file' }), T0);
    await s.installations(box).upsert(
      inst({
        botToken: 'xoxe.xoxb-refreshed-in-file',
        botRefreshToken: 'xoxe-1-r2',
        botExpiresAt: at(20 * HOUR),
      }),
      T0,
    );
    const file = db.url.slice('sqlite:'.length);
    const bytes = Buffer.concat(
      [file, `${file}-wal`].flatMap((f) => {
        try {
          return [readFileSync(f)];
        } catch {
          return [];
        }
      }),
    );
    // A control: what the store wrote (the ciphertexts) is in these bytes …
    const [row] = await execSql(db.url, ['select bot_token, user_token from slack_installations']);
    expect(bytes.includes(Buffer.from(String(row?.bot_token)))).toBe(true);
    expect(bytes.includes(Buffer.from(String(row?.user_token)))).toBe(true);
    // … and no token in clear.
    for (const secret of [
      inst().botToken,
      inst().botRefreshToken as string,
      'xoxp-user-token-in-file',
      'xoxe.xoxb-refreshed-in-file',
      'xoxe-1-r2',
    ])
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
  } finally {
    await s.close();
    await db.drop();
  }
});
