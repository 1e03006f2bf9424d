import { GraphQLError } from 'graphql';

/** Extension codes the emulator puts in `errors[].extensions.code` (Apollo-style names). */
export type EmulatorErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'INTERNAL_SERVER_ERROR';

/**
 * A domain or auth error. It is a GraphQLError so that graphql-js keeps `extensions` when it locates the
 * error in a response; the control API maps `code` to an HTTP status.
 */
export class EmulatorError extends GraphQLError {
  readonly code: EmulatorErrorCode;

  constructor(code: EmulatorErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'EmulatorError';
    this.code = code;
  }
}

export const unauthenticated = (message: string) => new EmulatorError('UNAUTHENTICATED', message);
export const forbidden = (message: string) => new EmulatorError('FORBIDDEN', message);
export const notFound = (message: string, extra?: Record<string, unknown>) =>
  new EmulatorError('NOT_FOUND', message, extra);
export const badInput = (message: string, extra?: Record<string, unknown>) =>
  new EmulatorError('BAD_USER_INPUT', message, extra);

/** HTTP status the control API answers for an error code. */
export function httpStatusFor(code: string): number {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'BAD_USER_INPUT':
    case 'BAD_REQUEST':
    case 'GRAPHQL_PARSE_FAILED':
    case 'GRAPHQL_VALIDATION_FAILED':
      return 400;
    default:
      return 500;
  }
}
