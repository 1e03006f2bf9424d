import { z } from 'zod';
import type { GuestPermission } from '../megameeting/types.js';
import { DEFAULT_GUEST_PERMISSIONS } from './meeting.js';

/**
 * Who to add as a verified guest, as chosen in the scheduling form or the guest manager. Shared by the
 * scheduling flow (which collects them) and the guests service (which adds them to MegaMeeting).
 */
export interface GuestSpec {
  /** Set for members of the workspace: they get their personal link by DM. */
  slackUserId: string | null;
  name: string;
  /** Required by MegaMeeting's addVerifiedGuest; for Slack users, their profile email. */
  email: string | null;
  permissions: GuestPermission[];
}

export const MAX_EXTERNAL_GUESTS = 50;

const email = z.email();

/**
 * External guests typed one per line as `Name <email>`, `Name, email`, `Name email` or just `email`.
 * Returns the guests and one readable problem per bad line (for inline form errors).
 */
export function parseExternalGuests(
  text: string,
  permissions: GuestPermission[] = DEFAULT_GUEST_PERMISSIONS,
): { guests: GuestSpec[]; problems: string[] } {
  const guests: GuestSpec[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  lines.forEach((line, i) => {
    const m = /^(.*?)[\s,;]*<?\s*([^\s<>,;]+@[^\s<>,;]+?)\s*>?$/.exec(line);
    const address = m?.[2]?.toLowerCase();
    if (!m || !address || !email.safeParse(address).success) {
      problems.push(
        `Line ${i + 1} ("${line.slice(0, 60)}") needs a valid email, like: Jane Doe <jane@example.com>`,
      );
      return;
    }
    if (seen.has(address)) {
      problems.push(`Line ${i + 1}: ${address} is listed twice`);
      return;
    }
    seen.add(address);
    const name = (m[1] ?? '')
      .replace(/[\s,;"]+$/g, '')
      .replace(/^"|"$/g, '')
      .trim();
    guests.push({
      slackUserId: null,
      name: name || address.split('@')[0] || address,
      email: address,
      permissions,
    });
  });
  if (guests.length > MAX_EXTERNAL_GUESTS)
    problems.push(`At most ${MAX_EXTERNAL_GUESTS} external guests at a time`);
  return { guests, problems };
}
