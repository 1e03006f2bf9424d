/**
 * zod schemas for the `data` of every MegaMeeting response, validated at the boundary and transformed into the
 * plain types of types.ts. Lenient where the documentation is loose (IDs as strings or numbers, `active` as
 * 1/0 or boolean, list-wrapped or plain connections, null lists), strict about what the app cannot do
 * without (IDs, a `status`).
 */
import { z } from 'zod';
import { parseMegaMeetingDate } from './dates.js';
import type {
  ApiTokenDetails,
  Login,
  Meeting,
  MutationResult,
  Recording,
  RemuxStatus,
  VerifiedGuest,
} from './types.js';

/** An ID: a non-empty string, or a number sent as one; always returned as a string. */
const id = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => v.trim() !== '', { message: 'empty ID' });

/** Text that may be missing: '' then. */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));

/** Optional text kept as null when missing or empty. */
const nullableText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v)));

/** `1`/`0`, `true`/`false`, `"1"`/`"0"`, `"true"`/`"false"`; anything else reads as not active. */
const active = z
  .union([z.boolean(), z.number(), z.string()])
  .nullish()
  .transform((v) => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string') return ['1', 'true', 'yes', 'active'].includes(v.trim().toLowerCase());
    return false;
  });

/** `"owner,admin,host"` (or a list) → `['owner', 'admin', 'host']`, lower-cased, blanks dropped. */
export function splitRoles(roles: string | readonly string[] | null | undefined): string[] {
  if (roles === null || roles === undefined) return [];
  const parts = typeof roles === 'string' ? roles.split(',') : roles.flatMap((r) => r.split(','));
  return parts.map((r) => r.trim().toLowerCase()).filter((r) => r !== '');
}

const roles = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((v) => splitRoles(v));

const REMUX_STATUSES: readonly RemuxStatus[] = ['waiting', 'processing', 'completed', 'failed'];

/** Compared without case; anything else (or nothing) is `'unknown'`. */
export function normalizeRemuxStatus(value: string | null | undefined): RemuxStatus {
  const v = (value ?? '').trim().toLowerCase();
  return (REMUX_STATUSES as readonly string[]).includes(v) ? (v as RemuxStatus) : 'unknown';
}

/** A documented connection `{ edges: [{ node }] }`, either plain or wrapped in a list as the examples show. */
function connectionOf<T extends z.ZodType>(node: T) {
  const conn = z.object({
    edges: z
      .array(z.object({ node: node.nullish() }).nullish())
      .nullish()
      .transform((edges) => edges ?? []),
  });
  return z
    .union([z.array(conn.nullish()), conn])
    .nullish()
    .transform((value): z.output<T>[] => {
      const connections = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
      const nodes: z.output<T>[] = [];
      for (const c of connections) {
        for (const edge of c?.edges ?? []) {
          if (edge?.node !== null && edge?.node !== undefined) nodes.push(edge.node as z.output<T>);
        }
      }
      return nodes;
    });
}

const meetingNode = z
  .object({ meetId: id, name: text })
  .transform((m): Meeting => ({ meetId: m.meetId, name: m.name }));

const loginNode = z
  .object({
    loginId: id,
    userName: text,
    email: text,
    fullName: text,
    active,
    roles,
  })
  .transform(
    (l): Login => ({
      loginId: l.loginId,
      userName: l.userName,
      email: l.email,
      fullName: l.fullName,
      active: l.active,
      roles: l.roles,
    }),
  );

const recording = z
  .object({
    accId: text,
    alId: text,
    recId: id,
    meetId: text,
    recPackage: text,
    recPlay: nullableText,
    recCreateDateTime: nullableText,
    remuxStatus: z.string().nullish(),
  })
  .transform(
    (r): Recording => ({
      accId: r.accId,
      alId: r.alId,
      recId: r.recId,
      meetId: r.meetId,
      recPackage: r.recPackage,
      recPlay: r.recPlay,
      recCreateDateTime: r.recCreateDateTime === null ? null : parseMegaMeetingDate(r.recCreateDateTime),
      recCreateDateTimeRaw: r.recCreateDateTime,
      remuxStatus: normalizeRemuxStatus(r.remuxStatus),
    }),
  );

const verifiedGuest = z
  .object({ guestName: text, key: id, meetingLink: text })
  .transform((g): VerifiedGuest => ({ guestName: g.guestName, key: g.key, meetingLink: g.meetingLink }));

/** `{ message, result, status }` of every mutation and of startRemux. Whether it succeeded is decided later. */
export const mutationResult = z
  .object({
    status: z.union([z.string(), z.number()]).transform((s) => String(s)),
    message: text,
    result: z
      .union([z.string(), z.number(), z.boolean()])
      .nullish()
      .transform((r) => (r === null || r === undefined ? null : String(r))),
  })
  .transform((m): MutationResult => ({ status: m.status, message: m.message, result: m.result }));

/** `completed` in any case, or `200` (as `login` returns): design.md, reading 6. */
export function isSuccessStatus(status: string): boolean {
  const s = status.trim().toLowerCase();
  return s === 'completed' || s === '200';
}

/** apiTokenDetails; null when the login has no token (the documentation: "if it exists"). */
const apiTokenDetails = z
  .object({
    domain: text,
    apiToken: nullableText,
    createdAt: nullableText,
    lastUsed: nullableText,
  })
  .nullable()
  .transform((d): ApiTokenDetails | null => {
    if (d === null || d.apiToken === null) return null;
    return {
      domain: d.domain,
      apiToken: d.apiToken,
      createdAt: d.createdAt === null ? null : parseMegaMeetingDate(d.createdAt),
      lastUsed: d.lastUsed === null ? null : parseMegaMeetingDate(d.lastUsed),
    };
  });

/** A plain list that may also come back null (no items). */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v): z.output<T>[] => (v ?? []) as z.output<T>[]);
}

/**
 * A list read item by item: a malformed item is dropped (and counted) instead of failing the whole list, so one
 * odd recording cannot stop every other recording from being announced.
 */
function tolerantListOf<T extends z.ZodType>(item: T) {
  return z
    .array(z.unknown())
    .nullish()
    .transform((v) => {
      const items: z.output<T>[] = [];
      let dropped = 0;
      for (const raw of v ?? []) {
        const parsed = item.safeParse(raw);
        if (parsed.success) items.push(parsed.data as z.output<T>);
        else dropped++;
      }
      return { items, dropped };
    });
}

/** Schemas of the `data` object, keyed by operation (root field). */
export const dataSchemas = {
  meetings: z.object({ meetings: connectionOf(meetingNode) }),
  logins: z.object({ logins: connectionOf(loginNode) }),
  recordings: z.object({ recordings: tolerantListOf(recording) }),
  startRemux: z.object({ startRemux: mutationResult }),
  apiTokenDetails: z.object({ apiTokenDetails: apiTokenDetails }),
  getVerifiedGuest: z.object({ getVerifiedGuest: listOf(verifiedGuest) }),
  createMeeting: z.object({ createMeeting: mutationResult }),
  updateMeeting: z.object({ updateMeeting: mutationResult }),
  endMeeting: z.object({ endMeeting: mutationResult }),
  addVerifiedGuest: z.object({ addVerifiedGuest: mutationResult }),
  updateVerifiedGuest: z.object({ updateVerifiedGuest: mutationResult }),
  removeVerifiedGuest: z.object({ removeVerifiedGuest: mutationResult }),
  createLogin: z.object({ createLogin: mutationResult }),
  updateLogin: z.object({ updateLogin: mutationResult }),
  deleteLogin: z.object({ deleteLogin: mutationResult }),
  createAPIToken: z.object({ createAPIToken: mutationResult }),
  revokeAPIToken: z.object({ revokeAPIToken: mutationResult }),
  userInvitation: z.object({ userInvitation: mutationResult }),
  login: z.object({ login: mutationResult }),
  deleteRecording: z.object({ deleteRecording: mutationResult }),
} as const;

/** One entry of a GraphQL `errors` array: only `message` and `extensions.code` are kept. */
export const graphqlErrorSchema = z.looseObject({
  message: z
    .unknown()
    .transform((m) => (typeof m === 'string' ? m : m === undefined ? '' : JSON.stringify(m))),
  extensions: z.looseObject({ code: z.unknown().optional() }).nullish(),
});

/** Describes a zod failure by paths and issue kinds only: no values (they may hold secrets). */
export function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((i) => {
    const path = i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
    return `${path}: ${i.code}`;
  });
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return `response did not match the expected shape (${issues.join('; ')}${more})`;
}
