/**
 * What becomes of a workspace's data after it uninstalls the app (multi-workspace mode): the uninstall is
 * recorded (`uninstalled_workspaces`, first time kept), a re-install clears it (installations.ts `upsert`,
 * before storing the installation), and once the retention has passed `purge` deletes every team-scoped row in one
 * transaction. Also the pruning of expired leases (OAuth states, guest request locks, job leases), which
 * nothing else ever deletes.
 *
 * `purge` claims the workspace first: it deletes the uninstall record only while it is still older than the
 * cut-off and no installation of that team exists, and deletes the data only when it did. A re-install racing a
 * purge therefore sees either everything kept or everything purged, never half.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import type { MigrationTarget } from './migrations.js';
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
  'home_viewers',
  'megameeting_connections',
] as const satisfies ReadonlyArray<keyof Database>;

/**
 * Tables (among TEAM_SCOPED_TABLES) that also keep a workspace's rows by `scope` (a team's view of the store,
 * Store.forTeam), purged by `team_id` or `scope`. The same test checks the schema's `scope` columns against it.
 */
export const SCOPE_PURGED_TABLES = ['recordings'] as const satisfies ReadonlyArray<
  (typeof TEAM_SCOPED_TABLES)[number]
>;

/** Tables with a `team_id` the purge leaves alone, and why. */
export const NOT_PURGED: Readonly<Partial<Record<keyof Database, string>>> = {
  slack_installations: 'deleted at uninstall already; the purge only runs while the team has none',
  uninstalled_workspaces: 'the uninstall record itself: the purge deletes it first, as its claim',
};

export class WorkspaceRetentionTable {
  private readonly db: Kysely<Database>;

  constructor(private readonly target: MigrationTarget) {
    this.db = target.db;
  }

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
    const claim = this.db
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
      .compile();
    const byScope: readonly string[] = SCOPE_PURGED_TABLES;
    const deletes = TEAM_SCOPED_TABLES.map((table) => ({
      table,
      // Each table has a team_id column, those of SCOPE_PURGED_TABLES a scope too (the lists' test checks them);
      // Kysely cannot type a union of tables.
      query: byScope.includes(table)
        ? this.db
            .deleteFrom(table as 'recordings')
            .where((eb) => eb.or([eb('team_id', '=', teamId), eb('scope', '=', teamId)]))
            .compile()
        : this.db
            .deleteFrom(table as 'meetings')
            .where('team_id', '=', teamId)
            .compile(),
    }));
    const counts = (deleted: number[]) =>
      Object.fromEntries(
        deletes.map((d, i) => [d.table, deleted[i] ?? 0]),
      ) as unknown as WorkspacePurgeCounts;

    if (this.target.dialect === 'sqlite') {
      // Synchronous from BEGIN IMMEDIATE to COMMIT on the raw handle (as the migrations): no other statement of
      // this process can wait on the write lock while the transaction awaits.
      const { raw } = this.target;
      const run = (q: CompiledQuery) => raw.prepare(q.sql).run(q.parameters as unknown[]).changes;
      return raw
        .transaction((): WorkspacePurgeCounts | null =>
          run(claim) === 0 ? null : counts(deletes.map((d) => run(d.query))),
        )
        .immediate();
    }
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx.executeQuery(claim);
      if (Number(claimed.numAffectedRows ?? 0) === 0) return null;
      const deleted: number[] = [];
      for (const d of deletes) deleted.push(Number((await trx.executeQuery(d.query)).numAffectedRows ?? 0));
      return counts(deleted);
    });
  }

  async clearUninstalled(teamId: string): Promise<void> {
    await this.db.deleteFrom('uninstalled_workspaces').where('team_id', '=', teamId).execute();
  }

  async pruneExpiredLeases(now: Date): Promise<number> {
    const res = await this.db
      .deleteFrom('leases')
      .where('expires_at', '<=', now.getTime())
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
