/**
 * The megameeting_connections part of the store (`store.megameetingConnections(box)`), on both engines: each
 * workspace's MegaMeeting account with its API token encrypted at rest (src/secrets SecretBox), read back in clear
 * by any replica, re-encrypted under the new key during a key rotation, and never present in clear in the database.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { jest } from '@jest/globals';
import { SecretBox, SecretUnreadableError } from '../../src/secrets/index.js';
import { openStore, type StoreLogger } from '../../src/store/index.js';
import type { ConnectionRepository, MegaMeetingConnection } from '../../src/store/types.js';
import { execSql, type StorePair, testDialects, useStorePair } from './helpers.js';

const DIALECTS = testDialects();
const KEY_OLD = Buffer.alloc(32, 1);
const KEY_NEW = Buffer.alloc(32, 2);
const T0 = new Date('2026-03-01T10:00:00Z');
/** Distinctive, so a search of the raw database bytes cannot miss it. */
const TOKEN = 'ZQXJ7TOKEN4CONNECTIONS9SECRET01';

function conn(over: Partial<MegaMeetingConnection> = {}): MegaMeetingConnection {
  return {
    teamId: 'T1',
    accountUrl: 'https://acme.megameeting.com',
    apiToken: TOKEN,
    loginId: 'L-owner-1',
    loginEmail: 'owner@acme.example',
    connectedBy: 'UADMIN',
    connectedAt: T0,
    ...over,
  };
}

async function rawToken(url: string, teamId: string): Promise<string> {
  const rows = await execSql(url, [
    `SELECT api_token FROM megameeting_connections WHERE team_id = '${teamId}'`,
  ]);
  return String(rows[0]?.api_token);
}

function silentLogger(): StoreLogger & { error: jest.Mock } {
  return { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

describe.each(DIALECTS)('MegaMeeting connections on %s', (dialect) => {
  /** The connections of two store instances on one database (two replicas), with ENCRYPTION_KEY = KEY_NEW. */
  let store: ConnectionRepository;
  let other: ConnectionRepository;
  let pair: StorePair;
  let url: string;
  const box = new SecretBox(KEY_NEW);
  useStorePair(dialect, (p: StorePair) => {
    pair = p;
    store = p.store.megameetingConnections(box);
    other = p.other.megameetingConnections(box);
    url = p.db.url;
  });

  /** The connections under other keys (a replica configured differently). */
  const withKeys = (keys: SecretBox) => pair.other.megameetingConnections(keys);

  /** A third store on the same database, with a logger; closed after `fn`. */
  async function withLoggedStore<R>(
    keys: SecretBox,
    logger: StoreLogger,
    fn: (c: ConnectionRepository) => Promise<R>,
  ): Promise<R> {
    const s = await openStore(url, { logger });
    try {
      return await fn(s.megameetingConnections(keys));
    } finally {
      await s.close();
    }
  }

  test('a connection is saved whole and read back in clear by another instance; unknown teams read null', async () => {
    await store.upsert(conn());
    expect(await other.get('T1')).toEqual(conn());
    expect(await other.get('T2')).toBeNull();
  });

  test('the token is stored encrypted, tagged with the key id, never in clear', async () => {
    await store.upsert(conn());
    const stored = await rawToken(url, 'T1');
    expect(stored).not.toContain(TOKEN);
    expect(stored.startsWith(`mm1.${box.keyId}.`)).toBe(true);
    // Two saves of the same token give different ciphertexts (a fresh IV each time).
    await store.upsert(conn());
    expect(await rawToken(url, 'T1')).not.toBe(stored);
  });

  if (dialect === 'sqlite') {
    test('no byte of the SQLite files (database, WAL) holds the token in clear', async () => {
      await store.upsert(conn());
      await store.upsert(conn({ teamId: 'T2', apiToken: `${TOKEN}B` }));
      await store.get('T1');
      const dir = dirname(url.slice('sqlite:'.length));
      const files = readdirSync(dir);
      expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
      for (const f of files) {
        const bytes = readFileSync(`${dir}/${f}`);
        expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
        expect(bytes.includes(Buffer.from('ZQXJ7TOKEN'))).toBe(false);
      }
      // The rest of the record is there in clear (the search above would have found the token if it were).
      const all = Buffer.concat(files.map((f) => readFileSync(`${dir}/${f}`)));
      expect(all.includes(Buffer.from('owner@acme.example'))).toBe(true);
    });
  }

  test('an upsert replaces the account, token and login of the team; other teams are untouched', async () => {
    await store.upsert(conn());
    await store.upsert(conn({ teamId: 'T2', accountUrl: 'https://other.megameeting.com' }));
    const replaced = conn({
      accountUrl: 'https://new.megameeting.com',
      apiToken: 'NEWTOKEN12345678',
      loginId: 'L-2',
      loginEmail: 'it@acme.example',
      connectedBy: 'UOWNER',
      connectedAt: new Date(T0.getTime() + 60_000),
    });
    await other.upsert(replaced);
    expect(await store.get('T1')).toEqual(replaced);
    expect((await store.get('T2'))?.accountUrl).toBe('https://other.megameeting.com');
  });

  test('delete removes only that team and says whether there was one', async () => {
    await store.upsert(conn());
    await store.upsert(conn({ teamId: 'T2' }));
    expect(await other.delete('T1')).toBe(true);
    expect(await store.delete('T1')).toBe(false);
    expect(await store.get('T1')).toBeNull();
    expect(await store.get('T2')).not.toBeNull();
  });

  test('list gives every connected team, tokens in clear, by team', async () => {
    expect(await store.list()).toEqual([]);
    await store.upsert(conn({ teamId: 'T2', apiToken: 'TOKEN-OF-T2-XYZ' }));
    await store.upsert(conn());
    expect(await other.list()).toEqual([conn(), conn({ teamId: 'T2', apiToken: 'TOKEN-OF-T2-XYZ' })]);
  });

  test('with ENCRYPTION_KEY_PREVIOUS, a token saved under the former key is read and stored again under the new one', async () => {
    await withKeys(new SecretBox(KEY_OLD)).upsert(conn());
    const before = await rawToken(url, 'T1');
    expect(SecretBox.keyIdIn(before)).toBe(new SecretBox(KEY_OLD).keyId);

    const rotating = new SecretBox(KEY_NEW, KEY_OLD);
    expect(await withKeys(rotating).countUnderPreviousKey()).toBe(1);
    expect(await withKeys(rotating).get('T1')).toEqual(conn());
    expect(await withKeys(rotating).countUnderPreviousKey()).toBe(0);
    const after = await rawToken(url, 'T1');
    expect(SecretBox.keyIdIn(after)).toBe(box.keyId);
    expect(after).not.toContain(TOKEN);
    // Re-encrypted: a store with only the new key (ENCRYPTION_KEY_PREVIOUS dropped) reads it.
    expect((await store.get('T1'))?.apiToken).toBe(TOKEN);
  });

  test('list re-encrypts too, and leaves out (and logs) a row no configured key reads, keeping the others', async () => {
    await withKeys(new SecretBox(KEY_OLD)).upsert(conn({ teamId: 'T9' }));
    await store.upsert(conn());
    const logger = silentLogger();
    // The new key alone cannot read T9's token: T9 is skipped, T1 listed.
    const listed = await withLoggedStore(box, logger, (c) => c.list());
    expect(listed.map((c) => c.teamId)).toEqual(['T1']);
    expect(logger.error).toHaveBeenCalledTimes(1);
    const [fields, message] = logger.error.mock.calls[0] as [Record<string, unknown>, string];
    expect(fields).toEqual({ teamId: 'T9', reason: 'unknown_key', keyId: new SecretBox(KEY_OLD).keyId });
    expect(message).toBe('store: a MegaMeeting connection cannot be decrypted; skipped');
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain(TOKEN);
    // get throws for it, without the token in the message.
    const err = await store.get('T9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretUnreadableError);
    expect(String((err as Error).message)).not.toContain(TOKEN);
    // With the former key as ENCRYPTION_KEY_PREVIOUS, list reads both and re-encrypts T9.
    const rotating = await withKeys(new SecretBox(KEY_NEW, KEY_OLD)).list();
    expect(rotating.map((c) => [c.teamId, c.apiToken])).toEqual([
      ['T1', TOKEN],
      ['T9', TOKEN],
    ]);
    expect(SecretBox.keyIdIn(await rawToken(url, 'T9'))).toBe(box.keyId);
  });

  test('a token moved to another team, or a row pointed at another URL, does not decrypt', async () => {
    await store.upsert(conn());
    await store.upsert(conn({ teamId: 'T2', apiToken: 'SOMETHING-ELSE-1' }));
    const stolen = await rawToken(url, 'T1');
    await execSql(url, [`UPDATE megameeting_connections SET api_token = '${stolen}' WHERE team_id = 'T2'`]);
    await expect(store.get('T2')).rejects.toMatchObject({ reason: 'tampered' });
    await execSql(url, [
      `UPDATE megameeting_connections SET account_url = 'https://evil.example' WHERE team_id = 'T1'`,
    ]);
    await expect(store.get('T1')).rejects.toMatchObject({ reason: 'tampered' });
  });

  test('delete works whatever key the token is under (disconnecting after a lost key)', async () => {
    await withKeys(new SecretBox(Buffer.alloc(32, 3))).upsert(conn());
    await expect(store.get('T1')).rejects.toBeInstanceOf(SecretUnreadableError);
    expect(await store.delete('T1')).toBe(true);
    expect(await execSql(url, ['SELECT team_id FROM megameeting_connections'])).toEqual([]);
  });
});
