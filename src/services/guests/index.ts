/** Verified guests: the service (service.ts), the per-meeting change lock, the new-key diff and small helpers. */
export { guestRef } from './helpers.js';
export { pickNewGuest } from './key-diff.js';
export { type GuestsDeps, GuestsService, type InviteOptions, type InviteResult } from './service.js';
