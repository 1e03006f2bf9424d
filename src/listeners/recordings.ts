import type { App } from '@slack/bolt';
import type { Services } from '../app.js';

/** Recording DM buttons (Download/Play links, Try again). */
export function registerRecordingListeners(_app: App, _services: Services): void {}
