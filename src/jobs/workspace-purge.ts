/**
 * The workspace purge (multi-workspace mode), hourly on one replica at a time (a lease): workspaces uninstalled
 * more than UNINSTALL_RETENTION_DAYS ago, and not re-installed since, lose every team-scoped row (meetings,
 * links, guests, recordings, intents, admin requests, Home viewers, MegaMeeting connection), one workspace per transaction; expired leases (OAuth
 * states, guest request locks, job leases) are deleted. Logs the team id and the row counts, nothing else.
 * Failures are logged; it runs again.
 */
import type { AppLogger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import type { Store } from '../store/types.js';

export const WORKSPACE_PURGE_MS = 60 * 60_000;
/** The first run after start: soon, so that a deployment restarted more often than hourly still purges. */
export const WORKSPACE_PURGE_FIRST_MS = 60_000;
const WORKSPACE_PURGE_LEASE = 'workspace-purge';
/** Workspaces purged per run at most; the rest wait for the next run. */
export const WORKSPACE_PURGE_BATCH = 50;
const DAY_MS = 24 * 60 * 60_000;

export interface WorkspacePurgeDeps {
  store: Pick<
    Store,
    'acquireLease' | 'listWorkspacesUninstalledBefore' | 'purgeWorkspace' | 'pruneExpiredLeases'
  >;
  /** UNINSTALL_RETENTION_DAYS. */
  retentionDays: number;
  clock: Clock;
  logger: AppLogger;
}

export interface WorkspacePurgeResult {
  purged: string[];
  leases: number;
}

/** One run: takes the lease (or leaves the run to the replica holding it), purges, prunes. Never throws. */
export function workspacePurgeRun(
  deps: WorkspacePurgeDeps,
  holder: string,
): () => Promise<WorkspacePurgeResult | null> {
  const { store, clock, logger, retentionDays } = deps;
  return async () => {
    try {
      const now = clock.now();
      if (!(await store.acquireLease(WORKSPACE_PURGE_LEASE, holder, WORKSPACE_PURGE_MS * 1.5, now)))
        return null;
      const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
      const purged: string[] = [];
      for (const due of await store.listWorkspacesUninstalledBefore(cutoff, WORKSPACE_PURGE_BATCH)) {
        try {
          const rows = await store.purgeWorkspace(due.teamId, cutoff);
          if (!rows) continue; // re-installed meanwhile
          purged.push(due.teamId);
          logger.info(
            { teamId: due.teamId, uninstalledAt: due.uninstalledAt.toISOString(), retentionDays, rows },
            'workspace data purged: uninstalled longer ago than UNINSTALL_RETENTION_DAYS',
          );
        } catch (err) {
          logger.warn(
            { err, teamId: due.teamId },
            'purging an uninstalled workspace failed; it is tried again',
          );
        }
      }
      const leases = await store.pruneExpiredLeases(now);
      if (leases > 0) logger.info({ leases }, 'expired leases deleted');
      return { purged, leases };
    } catch (err) {
      logger.warn({ err }, 'the workspace purge failed; it runs again in an hour');
      return null;
    }
  };
}

/** Starts the purge (a first run after a minute, then hourly; unref'd timers) and returns a stop function. */
export function startWorkspacePurge(deps: WorkspacePurgeDeps): () => void {
  const holder = `purge:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
  const run = workspacePurgeRun(deps, holder);
  const first = setTimeout(run, WORKSPACE_PURGE_FIRST_MS);
  first.unref();
  const timer = setInterval(run, WORKSPACE_PURGE_MS);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
