/**
 * The guests service's small pure pieces: the opaque guest reference, spec conversions, the Retry button's
 * value schema and the names and lifetimes of the access-request claims.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { GuestSpec } from '../../domain/guest-spec.js';
import { GUEST_PERMISSIONS, type GuestPermission } from '../../megameeting/types.js';
import { SlackCallError } from '../../slack/gateway.js';
import type { GuestRecord } from '../../store/types.js';
import type { ReportGuest } from '../../views/guests.js';

/** An access request waiting for the host; after this it may be sent again. */
export const PENDING_REQUEST_TTL_MS = 24 * 60 * 60_000;
/** The holder of pending requests stored before each request had its own ID (their buttons carry no `r`). */
export const LEGACY_PENDING_HOLDER = 'access-request';
export const pendingRequestLease = (teamId: string, meetId: string, userId: string) =>
  `access-request:${teamId}:${meetId}:${userId}`;
/**
 * Sending claims (request DM, decision DM): held this long while the DM is being sent, far above one Slack call
 * (and the guest add before an approval); a crashed sender's claim lapses after it, so pressing again works.
 */
export const SEND_CLAIM_TTL_MS = 2 * 60_000;
/** An answered request: its buttons do nothing more for this long (per request; legacy buttons: shorter). */
export const DECIDED_TTL_MS = 7 * 24 * 60 * 60_000;
export const LEGACY_DECIDED_TTL_MS = 10 * 60_000;
export const decisionLease = (teamId: string, meetId: string, userId: string, requestId: string | null) =>
  `access-decision:${teamId}:${meetId}:${userId}:${requestId ?? 'legacy'}`;

/** Slack refused for sure (the DM did not go out); a timeout or a lost answer may have delivered it. */
export function definitelyNotSent(err: unknown): boolean {
  return (
    err instanceof SlackCallError && !['request_error', 'http_error', 'unknown_error'].includes(err.code)
  );
}

/** Why a guest without an email address is not added (the subject is the guest, named by the caller). */
export const NO_EMAIL = 'has no email address (MegaMeeting needs one for a verified guest)';

/** Errors after which the next guests are not even tried: MegaMeeting is down or refuses the app. */
export const STOP_CODES = new Set(['unavailable', 'timeout', 'unauthorized']);

export const retrySchema = z.object({
  m: z.string().min(1).max(40),
  g: z
    .array(
      z.object({
        s: z
          .string()
          .regex(/^[UW][A-Z0-9]+$/)
          .nullable(),
        n: z.string().max(200),
        e: z.string().max(254).nullable(),
        p: z.array(z.enum(GUEST_PERMISSIONS)),
      }),
    )
    .min(1)
    .max(50),
});

/** Opaque reference to a guest for views and button values: never the key itself. */
export function guestRef(guest: Pick<GuestRecord, 'meetId' | 'guestKey'>): string {
  return createHash('sha256').update(`${guest.meetId}\u0000${guest.guestKey}`).digest('hex').slice(0, 20);
}

export function toPermissions(values: readonly string[]): GuestPermission[] {
  return GUEST_PERMISSIONS.filter((p) => values.includes(p));
}

export function specOf(g: GuestRecord): GuestSpec {
  return {
    slackUserId: g.slackUserId,
    name: g.name,
    email: g.email,
    permissions: toPermissions(g.permissions),
  };
}

export function reportGuest(g: GuestSpec): ReportGuest {
  return { name: g.name, slackUserId: g.slackUserId, email: g.email };
}
