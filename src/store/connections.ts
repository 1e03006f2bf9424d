/**
 * The megameeting_connections table: each workspace's own MegaMeeting account (multi-workspace mode). The API
 * token is encrypted here, with the SecretBox the repository was made with (`store.megameetingConnections(box)`,
 * as for installations.ts), so the rest of the app sees plain records and the database (file, dump, backup) never
 * holds the token in clear.
 *
 * - The authenticated data names the team AND the account URL: a ciphertext copied into another team's row, or
 *   a row whose URL was changed to another server, does not decrypt (the token is never sent to a URL it was not
 *   saved for).
 * - A value written under ENCRYPTION_KEY_PREVIOUS is written again under ENCRYPTION_KEY when read, with a
 *   compare-and-set on the old ciphertext, so a concurrent upsert (a newer token) is never overwritten.
 */
import type { Kysely, Selectable } from 'kysely';
import { type SecretBox, SecretUnreadableError } from '../secrets/index.js';
import type { StoreLogger } from './errors.js';
import type { Database, MegaMeetingConnectionsTable } from './schema.js';
import type { ConnectionRepository, MegaMeetingConnection } from './types.js';

type Row = Selectable<MegaMeetingConnectionsTable>;

/** The SecretBox context of a team's token: binds the ciphertext to its team and account URL. */
export function tokenContext(teamId: string, accountUrl: string): string {
  return `megameeting api token of T:${teamId} at ${accountUrl}`;
}

export class ConnectionTable implements ConnectionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly logger: StoreLogger | undefined,
  ) {}

  async get(teamId: string): Promise<MegaMeetingConnection | null> {
    const row = await this.db
      .selectFrom('megameeting_connections')
      .selectAll()
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    return row ? this.read(row) : null;
  }

  async upsert(c: MegaMeetingConnection): Promise<void> {
    const values = {
      team_id: c.teamId,
      account_url: c.accountUrl,
      api_token: this.box.encrypt(c.apiToken, tokenContext(c.teamId, c.accountUrl)),
      login_id: c.loginId,
      login_email: c.loginEmail,
      connected_by: c.connectedBy,
      connected_at: c.connectedAt.getTime(),
    };
    const { team_id: _key, ...rest } = values;
    await this.db
      .insertInto('megameeting_connections')
      .values(values)
      .onConflict((oc) => oc.column('team_id').doUpdateSet(rest))
      .execute();
  }

  async delete(teamId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('megameeting_connections')
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async list(): Promise<MegaMeetingConnection[]> {
    const rows = await this.db.selectFrom('megameeting_connections').selectAll().orderBy('team_id').execute();
    const out: MegaMeetingConnection[] = [];
    for (const row of rows) {
      try {
        out.push(await this.read(row));
      } catch (err) {
        if (!(err instanceof SecretUnreadableError)) throw err;
        // The message names the team and key id, never a value.
        this.logger?.error(
          { teamId: row.team_id, reason: err.reason, keyId: err.keyId },
          'store: a MegaMeeting connection cannot be decrypted; skipped',
        );
      }
    }
    return out;
  }

  async countUnderPreviousKey(): Promise<number> {
    if (!this.box.previousKeyId) return 0;
    const rows = await this.db.selectFrom('megameeting_connections').select('api_token').execute();
    return rows.filter((r) => !this.box.isCurrent(r.api_token)).length;
  }

  private async read(row: Row): Promise<MegaMeetingConnection> {
    const box = this.box;
    const { plaintext, needsReencrypt } = box.decrypt(
      row.api_token,
      tokenContext(row.team_id, row.account_url),
    );
    if (needsReencrypt) {
      // Only if nobody changed it since we read it: a concurrent upsert carries a newer token.
      await this.db
        .updateTable('megameeting_connections')
        .set({ api_token: box.encrypt(plaintext, tokenContext(row.team_id, row.account_url)) })
        .where('team_id', '=', row.team_id)
        .where('api_token', '=', row.api_token)
        .execute();
    }
    return {
      teamId: row.team_id,
      accountUrl: row.account_url,
      apiToken: plaintext,
      loginId: row.login_id,
      loginEmail: row.login_email,
      connectedBy: row.connected_by,
      connectedAt: new Date(Number(row.connected_at)),
    };
  }
}
