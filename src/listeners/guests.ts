import type { App } from '@slack/bolt';
import type { Services } from '../app.js';

/** Guest management, access requests and webinar registration. */
export function registerGuestListeners(_app: App, _services: Services): void {}
