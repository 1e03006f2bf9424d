/**
 * Telling a new verified guest's key apart: MegaMeeting's addVerifiedGuest returns no key, so the key is the one
 * getVerifiedGuest lists after the add and not before. Names need not be unique: among several new keys (another
 * change slipped in) only a single one with the guest's name counts. Pure; the caller holds the meeting's lock.
 */
import type { VerifiedGuest } from '../../megameeting/types.js';

export function pickNewGuest(
  before: ReadonlySet<string>,
  after: readonly VerifiedGuest[],
  name: string,
): { chosen: VerifiedGuest | undefined; fresh: number } {
  const fresh = after.filter((g) => !before.has(g.key));
  if (fresh.length === 1) return { chosen: fresh[0], fresh: 1 };
  const named = fresh.filter((g) => g.guestName === name);
  return { chosen: named.length === 1 ? named[0] : undefined, fresh: fresh.length };
}
