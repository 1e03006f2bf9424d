/**
 * Domain errors with a string `code`. Services throw them; listeners turn them into a short message for the
 * user. `userMessage` is always safe to show (no secrets, no internals).
 */
export type AppErrorCode =
  | 'unmapped_user'
  | 'not_allowed'
  | 'not_found'
  | 'invalid_input'
  | 'already_ended'
  | 'megameeting_unavailable'
  | 'megameeting_rejected'
  | 'slack_failed';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'AppError';
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
