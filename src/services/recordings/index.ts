/** Recordings: the poll pass and its DMs (service.ts), the poller (poller.ts), "Try again" and `/meet recordings`. */
export { listRecordings } from './list.js';
export {
  POLLER_LEASE,
  type PollerDeps,
  RecordingsPoller,
  type TickReport,
  type TickStatus,
} from './poller.js';
export { retryRemux } from './retry.js';
export {
  DEFAULT_CLAIM_TTL_MS,
  defaultInstanceId,
  type ProcessReport,
  REMUX_STALL_MS,
  type RecordingsDeps,
  RecordingsService,
  UNMAPPED_GIVE_UP_MS,
  UNMAPPED_RECHECK_MS,
} from './service.js';
