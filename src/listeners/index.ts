import type { App } from '@slack/bolt';
import type { Services } from '../app.js';
import { registerGuestListeners } from './guests.js';
import { registerMeetingActions } from './meeting-actions.js';
import { registerRecordingListeners } from './recordings.js';
import { registerSchedulingListeners } from './scheduling.js';

/** Block actions and view submissions, one file per feature. Slash commands live in src/commands/. */
export function registerListeners(app: App, services: Services): void {
  registerMeetingActions(app, services);
  registerSchedulingListeners(app, services);
  registerGuestListeners(app, services);
  registerRecordingListeners(app, services);
}
