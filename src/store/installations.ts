/**
 * Slack installations of multi-workspace mode (one row per workspace, or per enterprise for an org-wide install)
 * and the encryption key check. Every token is encrypted with the SecretBox before it reaches SQL, tagged with
 * its key id, and authenticated with what it is and whose (`slack bot token of T:T123`), so the database never
 * holds one in clear and a value moved to another row does not decrypt.
 *
 * Rotation (Slack's refresh tokens are single-use): `upsert` is one `INSERT … ON CONFLICT DO UPDATE … WHERE`,
 * a compare-and-set on the bot token's expiry, so a write carrying an older token than the stored one (a replica
 * that refreshed earlier, or read before another refreshed) changes nothing; a token without expiry (an
 * install without rotation) always wins. Reads under ENCRYPTION_KEY_PREVIOUS are written back under the current
 * key, only while the row still holds what was read (compare-and-set on the ciphertext). An upsert also clears the
 * team's uninstall record (workspace-retention.ts): a re-install keeps its data.
 */
import type { Kysely, Selectable } from 'kysely';
import { type SecretBox, SecretUnreadableError } from '../secrets/index.js';
import type { Database, SlackInstallationsTable } from './schema.js';
import type {
  InstallationLookup,
  InstallationRepository,
  NewSlackInstallation,
  SlackInstallation,
} from './types.js';
import type { WorkspaceRetentionTable } from './workspace-retention.js';

type Row = Selectable<SlackInstallationsTable>;

/** The row key: `T:<team>` for a workspace install, `E:<enterprise>` for an org-wide (Enterprise Grid) one. */
export function installationKeyOf(i: {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}): string {
  if (i.isEnterpriseInstall) {
    if (!i.enterpriseId) throw new Error('an org-wide installation needs its enterprise id');
    return `E:${i.enterpriseId}`;
  }
  if (!i.teamId) throw new Error('a workspace installation needs its team id');
  return `T:${i.teamId}`;
}

const SECRET_COLUMNS = ['bot_token', 'bot_refresh_token', 'user_token', 'user_refresh_token'] as const;
type SecretColumn = (typeof SECRET_COLUMNS)[number];
const CONTEXT: Record<SecretColumn, string> = {
  bot_token: 'slack bot token',
  bot_refresh_token: 'slack bot refresh token',
  user_token: 'slack user token',
  user_refresh_token: 'slack user refresh token',
};
const context = (column: SecretColumn, key: string) => `${CONTEXT[column]} of ${key}`;

const KEY_CHECK_NAME = 'encryption';

const ms = (d: Date | null) => (d ? d.getTime() : null);
const date = (v: number | null) => (v == null ? null : new Date(Number(v)));
const list = (v: string | null) => (v ? v.split(',').filter((s) => s !== '') : []);

export class InstallationTable implements InstallationRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly retention: Pick<WorkspaceRetentionTable, 'clearUninstalled'>,
  ) {}

  async upsert(inst: NewSlackInstallation, now: Date): Promise<boolean> {
    const key = installationKeyOf(inst);
    const enc = (column: SecretColumn, plain: string | null) =>
      plain == null ? null : this.box.encrypt(plain, context(column, key));
    const values = {
      install_key: key,
      team_id: inst.teamId,
      team_name: inst.teamName,
      enterprise_id: inst.enterpriseId,
      enterprise_name: inst.enterpriseName,
      is_enterprise_install: inst.isEnterpriseInstall ? 1 : 0,
      app_id: inst.appId,
      bot_id: inst.botId,
      bot_user_id: inst.botUserId,
      bot_scopes: inst.botScopes.join(','),
      bot_token: enc('bot_token', inst.botToken) as string,
      bot_refresh_token: enc('bot_refresh_token', inst.botRefreshToken),
      bot_expires_at: ms(inst.botExpiresAt),
      user_id: inst.userId,
      user_scopes: inst.userScopes.join(','),
      user_token: enc('user_token', inst.userToken),
      user_refresh_token: enc('user_refresh_token', inst.userRefreshToken),
      user_expires_at: ms(inst.userExpiresAt),
      details: JSON.stringify(inst.details),
      version: 1,
      installed_at: now.getTime(),
      updated_at: now.getTime(),
    };
    const { installed_at: _keepFirstInstall, version: _counted, ...update } = values;
    // A (re-)install ends the workspace's uninstalled period: its data is no longer due for purging. The record
    // goes first, so a purge running at that moment either has finished or finds nothing to claim; a failure
    // in between leaves the data kept (no record) and the install to be tried again.
    if (inst.teamId) await this.retention.clearUninstalled(inst.teamId);
    const row = await this.db
      .insertInto('slack_installations')
      .values(values)
      .onConflict((oc) =>
        oc
          .column('install_key')
          .doUpdateSet((eb) => ({ ...update, version: eb('slack_installations.version', '+', 1) }))
          .where((eb) =>
            eb.or([
              eb('excluded.bot_expires_at', 'is', null),
              eb('slack_installations.bot_expires_at', 'is', null),
              eb('excluded.bot_expires_at', '>=', eb.ref('slack_installations.bot_expires_at')),
            ]),
          ),
      )
      .returning('install_key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async find(lookup: InstallationLookup, now: Date): Promise<SlackInstallation | null> {
    const keys: string[] = [];
    if (lookup.isEnterpriseInstall && lookup.enterpriseId) keys.push(`E:${lookup.enterpriseId}`);
    else {
      if (lookup.teamId) keys.push(`T:${lookup.teamId}`);
      // A workspace of an org where the app was installed org-wide.
      if (lookup.enterpriseId) keys.push(`E:${lookup.enterpriseId}`);
    }
    for (const key of keys) {
      const row = await this.db
        .selectFrom('slack_installations')
        .selectAll()
        .where('install_key', '=', key)
        .executeTakeFirst();
      if (row) return this.decrypt(row, now);
    }
    return null;
  }

  async deleteInstallation(lookup: InstallationLookup): Promise<boolean> {
    const key = installationKeyOf({
      teamId: lookup.teamId ?? null,
      enterpriseId: lookup.enterpriseId ?? null,
      isEnterpriseInstall: lookup.isEnterpriseInstall,
    });
    const res = await this.db
      .deleteFrom('slack_installations')
      .where('install_key', '=', key)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async deleteUserTokens(lookup: InstallationLookup, userIds: string[], now: Date): Promise<boolean> {
    if (userIds.length === 0) return false;
    const key = installationKeyOf({
      teamId: lookup.teamId ?? null,
      enterpriseId: lookup.enterpriseId ?? null,
      isEnterpriseInstall: lookup.isEnterpriseInstall,
    });
    const res = await this.db
      .updateTable('slack_installations')
      .set((eb) => ({
        user_token: null,
        user_refresh_token: null,
        user_expires_at: null,
        user_scopes: '',
        updated_at: now.getTime(),
        version: eb('version', '+', 1),
      }))
      .where('install_key', '=', key)
      .where('user_id', 'in', userIds)
      .where('user_token', 'is not', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async verifyKey(now: Date): Promise<void> {
    const row = await this.db
      .selectFrom('key_checks')
      .select('value')
      .where('name', '=', KEY_CHECK_NAME)
      .executeTakeFirst();
    if (!row) {
      await this.db
        .insertInto('key_checks')
        .values({ name: KEY_CHECK_NAME, value: this.box.createKeyCheck(), updated_at: now.getTime() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      // Another replica may have written first, with other keys: check what is there now.
      return this.verifyKey(now);
    }
    if (this.box.verifyKeyCheck(row.value).needsReencrypt) {
      await this.db
        .updateTable('key_checks')
        .set({ value: this.box.createKeyCheck(), updated_at: now.getTime() })
        .where('name', '=', KEY_CHECK_NAME)
        .where('value', '=', row.value)
        .execute();
    }
  }

  async countUnderPreviousKey(): Promise<number> {
    const previous = this.box.previousKeyId;
    if (!previous) return 0;
    const rows = await this.db
      .selectFrom('slack_installations')
      .select([...SECRET_COLUMNS])
      .execute();
    return rows.filter((r) => SECRET_COLUMNS.some((c) => r[c] != null && !this.box.isCurrent(r[c] as string)))
      .length;
  }

  /** Decrypts a row; values under the previous key are written back under the current one. */
  private async decrypt(row: Row, now: Date): Promise<SlackInstallation> {
    const key = row.install_key;
    const plain: Record<SecretColumn, string | null> = {
      bot_token: null,
      bot_refresh_token: null,
      user_token: null,
      user_refresh_token: null,
    };
    const stale: Partial<Record<SecretColumn, string>> = {};
    for (const column of SECRET_COLUMNS) {
      const stored = row[column];
      if (stored == null) continue;
      const d = this.box.decrypt(stored, context(column, key));
      plain[column] = d.plaintext;
      if (d.needsReencrypt) stale[column] = stored;
    }
    if (Object.keys(stale).length > 0) await this.reencrypt(key, plain, stale, now);
    if (plain.bot_token == null) {
      throw new SecretUnreadableError('malformed', context('bot_token', key), null);
    }
    return {
      teamId: row.team_id,
      teamName: row.team_name,
      enterpriseId: row.enterprise_id,
      enterpriseName: row.enterprise_name,
      isEnterpriseInstall: Number(row.is_enterprise_install) === 1,
      appId: row.app_id,
      botId: row.bot_id,
      botUserId: row.bot_user_id,
      botScopes: list(row.bot_scopes),
      botToken: plain.bot_token,
      botRefreshToken: plain.bot_refresh_token,
      botExpiresAt: date(row.bot_expires_at),
      userId: row.user_id,
      userScopes: list(row.user_scopes),
      userToken: plain.user_token,
      userRefreshToken: plain.user_refresh_token,
      userExpiresAt: date(row.user_expires_at),
      details: JSON.parse(row.details) as SlackInstallation['details'],
      installedAt: new Date(Number(row.installed_at)),
      updatedAt: new Date(Number(row.updated_at)),
      version: Number(row.version),
    };
  }

  private async reencrypt(
    key: string,
    plain: Record<SecretColumn, string | null>,
    stale: Partial<Record<SecretColumn, string>>,
    now: Date,
  ): Promise<void> {
    const set: Partial<Record<SecretColumn, string>> = {};
    for (const column of Object.keys(stale) as SecretColumn[]) {
      set[column] = this.box.encrypt(plain[column] as string, context(column, key));
    }
    let q = this.db
      .updateTable('slack_installations')
      .set({ ...set, updated_at: now.getTime() })
      .where('install_key', '=', key);
    // Only if nobody changed those values since they were read (a refresh, another replica's re-encryption).
    for (const [column, stored] of Object.entries(stale) as Array<[SecretColumn, string]>)
      q = q.where(column, '=', stored);
    await q.execute();
  }
}
