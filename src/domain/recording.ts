/**
 * Recording constants the delivery of recording DMs depends on. The message-metadata event types are how the
 * poller finds, after a crash, a DM it sent but did not record (exactly-once delivery): renaming one breaks
 * the recovery of every DM sent before the rename.
 */
export const RECORDING_READY_EVENT = 'megameeting_recording_ready';
export const RECORDING_FAILED_EVENT = 'megameeting_recording_failed';
