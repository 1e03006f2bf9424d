/**
 * The claim rule shared by every table with `claimed_by` / `claim_expires_at` columns (recordings,
 * meeting_intents): a row is open to `holder` when nobody holds it, its claim has expired, or `holder` already
 * holds it (a re-claim extends the claim). Used inside one conditional UPDATE, so among different holders
 * exactly one wins on both engines.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';

/** Unclaimed or expired at `nowMs`; with `holder`, also a row that `holder` already holds. */
export function claimOpen(nowMs: number, holder?: string): RawBuilder<SqlBool> {
  const free = sql<SqlBool>`claimed_by is null or claim_expires_at is null or claim_expires_at <= ${nowMs}`;
  return holder === undefined ? sql<SqlBool>`(${free})` : sql<SqlBool>`(${free} or claimed_by = ${holder})`;
}

/** A claim's time to live: a positive number of milliseconds, rounded. */
export function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError(`store: ttlMs must be a positive number, got ${ttlMs}`);
  return Math.round(ttlMs);
}
