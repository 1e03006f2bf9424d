import type { MegaMeetingErrorCode } from './types.js';

export type { MegaMeetingErrorCode } from './types.js';

/** A GraphQL error as kept on a MegaMeetingError: its message (secrets redacted) and `extensions.code`. */
export interface MegaMeetingGraphQLError {
  message: string;
  code?: string;
}

export interface MegaMeetingErrorInit {
  code: MegaMeetingErrorCode;
  /** The client method / GraphQL field, e.g. `createMeeting`. */
  operation: string;
  /** What went wrong, in our words (the server's message is added after it when there is one). */
  detail?: string;
  /** The server's `message` (failed status) or first GraphQL error message, secrets redacted. */
  serverMessage?: string;
  httpStatus?: number;
  graphqlErrors?: MegaMeetingGraphQLError[];
  /** How many HTTP attempts were made (1 = no retry). */
  attempts?: number;
}

const CODE_TEXT: Record<MegaMeetingErrorCode, string> = {
  unauthorized: 'the API token was not accepted',
  forbidden: 'the API token may not do this',
  not_found: 'not found',
  invalid_input: 'the request was refused',
  unavailable: 'MegaMeeting is unavailable',
  timeout: 'MegaMeeting did not answer in time',
  unexpected_response: 'MegaMeeting answered something unexpected',
};

/** `apiToken=…`, `"apiToken": "…"`, `apiToken: …` whatever the token is: masked even when we don't know it. */
const TOKEN_ASSIGNMENT_RE = /(api[-_]?token["']?\s*[:=]\s*["']?)[^\s"'&,;)}\]]+/gi;

/**
 * Masks every occurrence of the given secrets (verbatim and URL-encoded) and any `apiToken=…` assignment.
 * Empty or very short secrets are ignored (masking "1" everywhere would garble messages and hide nothing).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    const variants = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
    for (const v of variants) out = out.split(v).join('[redacted]');
  }
  return out.replace(TOKEN_ASSIGNMENT_RE, '$1[redacted]');
}

/** A failure of a MegaMeeting call. Its message names the operation and never contains the API token. */
export class MegaMeetingError extends Error {
  override readonly name = 'MegaMeetingError';
  readonly code: MegaMeetingErrorCode;
  readonly operation: string;
  readonly serverMessage?: string;
  readonly httpStatus?: number;
  readonly graphqlErrors?: MegaMeetingGraphQLError[];
  readonly attempts?: number;

  constructor(init: MegaMeetingErrorInit) {
    const serverMessage = init.serverMessage === undefined ? undefined : redactSecrets(init.serverMessage);
    const detail = redactSecrets(init.detail ?? CODE_TEXT[init.code]);
    const tail = serverMessage ? `: ${serverMessage}` : '';
    const http = init.httpStatus === undefined ? '' : ` (HTTP ${init.httpStatus})`;
    super(`MegaMeeting ${init.operation} failed [${init.code}]: ${detail}${http}${tail}`);
    this.code = init.code;
    this.operation = init.operation;
    if (serverMessage !== undefined) this.serverMessage = serverMessage;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.graphqlErrors !== undefined) {
      this.graphqlErrors = init.graphqlErrors.map((e) => ({
        message: redactSecrets(e.message),
        ...(e.code === undefined ? {} : { code: e.code }),
      }));
    }
    if (init.attempts !== undefined) this.attempts = init.attempts;
  }

  /** Plain fields for structured logs (pino): no stack, nothing secret. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      operation: this.operation,
      serverMessage: this.serverMessage,
      httpStatus: this.httpStatus,
      graphqlErrors: this.graphqlErrors,
      attempts: this.attempts,
    };
  }
}

export function isMegaMeetingError(e: unknown): e is MegaMeetingError {
  return e instanceof MegaMeetingError;
}

/** `extensions.code` of a GraphQL error → our code; undefined for codes that say nothing useful. */
export function codeFromGraphQLCode(code: string | undefined): MegaMeetingErrorCode | undefined {
  switch (code?.toUpperCase()) {
    case 'UNAUTHENTICATED':
    case 'UNAUTHORIZED':
      return 'unauthorized';
    case 'FORBIDDEN':
      return 'forbidden';
    case 'NOT_FOUND':
      return 'not_found';
    case 'BAD_USER_INPUT':
    case 'BAD_REQUEST':
    case 'GRAPHQL_VALIDATION_FAILED':
    case 'GRAPHQL_PARSE_FAILED':
    case 'PERSISTED_QUERY_NOT_SUPPORTED':
    case 'OPERATION_RESOLUTION_FAILURE':
      return 'invalid_input';
    case 'SERVICE_UNAVAILABLE':
      return 'unavailable';
    default:
      return undefined;
  }
}

/** HTTP status → code, for statuses that say something on their own; undefined otherwise. */
export function codeFromHttpStatus(status: number): MegaMeetingErrorCode | undefined {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 408) return 'timeout';
  if (status === 429 || status >= 500) return 'unavailable';
  return undefined;
}

const NOT_FOUND_RE =
  /not\s*found|does\s*not\s*exist|doesn't\s*exist|no\s+such|unknown\s+(meeting|login|recording|guest|key|id)\b/i;
const UNAUTHENTICATED_RE =
  /^\s*unauthori[sz]ed\b|unauthenticated|not\s+authenticated|(invalid|missing|unknown|expired|revoked)\s+(api\s*)?token/i;
const FORBIDDEN_RE =
  /forbidden|not\s+allowed|permission|admin\s+only|only\s+(an?\s+)?admins?\b|access\s+denied|not\s+authori[sz]ed|not\s+your/i;
const INVALID_RE =
  /invalid|required|must\s+be|cannot\s+query|unknown\s+argument|syntax|expected|too\s+long|bad\s+request/i;

/** Fallback reading of a server message. Order matters: "not authorized to see meeting" is forbidden. */
export function codeFromMessage(message: string | undefined): MegaMeetingErrorCode | undefined {
  if (!message) return undefined;
  if (NOT_FOUND_RE.test(message)) return 'not_found';
  if (UNAUTHENTICATED_RE.test(message)) return 'unauthorized';
  if (FORBIDDEN_RE.test(message)) return 'forbidden';
  if (/token|auth/i.test(message)) return 'unauthorized';
  if (INVALID_RE.test(message)) return 'invalid_input';
  return undefined;
}

/**
 * A documented mutation/remux result whose `status` is not a success: `invalid_input` unless the message says
 * not found or forbidden (the server understood the token, or it would not have answered a status).
 */
export function codeForFailedStatus(message: string | undefined): MegaMeetingErrorCode {
  if (!message) return 'invalid_input';
  if (NOT_FOUND_RE.test(message)) return 'not_found';
  if (FORBIDDEN_RE.test(message)) return 'forbidden';
  return 'invalid_input';
}
