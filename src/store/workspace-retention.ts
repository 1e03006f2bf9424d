/**
 * What becomes of a workspace's data after it uninstalls the app (multi-workspace mode): the uninstall is
 * recorded (`uninstalled_workspaces`, first time kept), a re-install clears it (installations.ts `upsert`, in
 * the same transaction), and once the retention has passed `purge` deletes every team-scoped row in one
 * transaction. Also the pruning of expired leases (OAuth states, guest request locks, job leases), which
 * nothing else ever deletes.
 *
 * `purge` claims the workspace first: it deletes the uninstall record only while it is still older than the
 * cut-off and no installation of that team exists, and deletes the data only when it did. A re-install racing a
 * purge therefore sees either everything kept or everything purged, never half.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { UninstalledWorkspace, WorkspacePurgeCounts } from './types.js';

/**
 * Every table holding a workspace's data by `team_id`, purged together. test/store/workspace-retention.test.ts
 * reads the schema and fails when a table with a `team_id` column is neither here nor in NOT_PURGED.
 */
export const TEAM_SCOPED_TABLES = [
  'user_links',
  'meetings',
  'guests',
  'recordings',
  'meeting_intents',
  'admin_requests',
] as const satisfies ReadonlyArray<keyof Database>;

/** Tables with a `team_id` the purge leaves alone, and why. */
export const NOT_PURGED: Readonly<Partial<Record<keyof Database, string>>> = {
  slack_installations: 'deleted at uninstall already; the purge only runs while the team has none',
  uninstalled_workspaces: 'the uninstall record itself: the purge deletes it first, as its claim',
};

export class WorkspaceRetentionTable {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records the uninstall; a repeat (retries, both events) keeps the first time. */
  async markUninstalled(teamId: string, now: Date): Promise<void> {
    await this.db
      .insertInto('uninstalled_workspaces')
      .values({ team_id: teamId, uninstalled_at: now.getTime() })
      .onConflict((oc) => oc.column('team_id').doNothing())
      .execute();
  }

  async get(teamId: string): Promise<UninstalledWorkspace | null> {
    const row = await this.db
      .selectFrom('uninstalled_workspaces')
      .selectAll()
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    return row ? { teamId: row.team_id, uninstalledAt: new Date(Number(row.uninstalled_at)) } : null;
  }

  async listBefore(before: Date, limit: number): Promise<UninstalledWorkspace[]> {
    const rows = await this.db
      .selectFrom('uninstalled_workspaces')
      .selectAll()
      .where('uninstalled_at', '<=', before.getTime())
      .orderBy('uninstalled_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ teamId: r.team_id, uninstalledAt: new Date(Number(r.uninstalled_at)) }));
  }

  async purge(teamId: string, uninstalledBefore: Date): Promise<WorkspacePurgeCounts | null> {
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .deleteFrom('uninstalled_workspaces')
        .where('team_id', '=', teamId)
        .where('uninstalled_at', '<=', uninstalledBefore.getTime())
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('slack_installations')
                .select('install_key')
                .where('slack_installations.team_id', '=', teamId),
            ),
          ),
        )
        .executeTakeFirst();
      if (Number(claimed.numDeletedRows) === 0) return null;
      const counts: Partial<WorkspacePurgeCounts> = {};
      for (const table of TEAM_SCOPED_TABLES) {
        // Each table has a team_id column (the list's test checks it); Kysely cannot type a union of tables.
        const res = await trx
          .deleteFrom(table as 'meetings')
          .where('team_id', '=', teamId)
          .executeTakeFirst();
        counts[table] = Number(res.numDeletedRows);
      }
      return counts as WorkspacePurgeCounts;
    });
  }

  async pruneExpiredLeases(now: Date): Promise<number> {
    const res = await this.db
      .deleteFrom('leases')
      .where('expires_at', '<=', now.getTime())
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
