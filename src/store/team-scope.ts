/**
 * The one narrowing a workspace's view of the store (Store.forTeam) adds to the queries that otherwise look
 * across every team: `team_id = <the view's team>`. Shared by kysely-store.ts, intents.ts and admin-requests.ts.
 */

/** A select, update or delete builder on a table with a `team_id` column (Kysely's `where` overload we use). */
export interface TeamFilterable<Q> {
  where(lhs: 'team_id', op: '=', rhs: string): Q;
}

/** `q` limited to `team`'s rows; unchanged when `team` is null (the unscoped store sees every team). */
export function inTeam<Q extends TeamFilterable<Q>>(q: Q, team: string | null): Q {
  return team === null ? q : q.where('team_id', '=', team);
}
