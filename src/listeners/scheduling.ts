import type { App } from '@slack/bolt';
import type { Services } from '../app.js';

/** The scheduling modal's submission and the Edit button. */
export function registerSchedulingListeners(_app: App, _services: Services): void {}
