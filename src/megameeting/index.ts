/** The MegaMeeting adapter: client, errors, URL helpers, date parsing and the plain types. */
export {
  DEFAULT_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  MegaMeetingClient,
  type MegaMeetingClientOptions,
  type MegaMeetingLogger,
} from './client.js';
export { parseMegaMeetingDate } from './dates.js';
export {
  codeFromGraphQLCode,
  codeFromHttpStatus,
  codeFromMessage,
  isMegaMeetingError,
  MegaMeetingError,
  type MegaMeetingErrorInit,
  type MegaMeetingGraphQLError,
  redactSecrets,
} from './errors.js';
export { type Operation, type OperationName, operations, printOperation } from './operations.js';
export { isSuccessStatus, normalizeRemuxStatus, splitRoles } from './schemas.js';
export * from './types.js';
export {
  apiUrl,
  downloadUrl,
  type JoinUrlOptions,
  joinUrlForGuestKey,
  joinUrlForMeeting,
  normalizeBaseUrl,
  playbackUrl,
} from './urls.js';
