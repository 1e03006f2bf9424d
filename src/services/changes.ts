/**
 * What changed for whom: services that create, edit or end a meeting, or announce a recording, say so here; App
 * Home (src/services/home.ts) listens and republishes the affected users' Home tabs. A feed rather than a call to
 * the Home service, so those services neither know App Home nor wait on it: `notify` returns at once and a
 * listener's failure never reaches the service that notified.
 */
import type { AppLogger } from '../logger.js';

export interface Change {
  teamId: string;
  /** The Slack users whose view of the app changed (a meeting's host, a recording's host). */
  slackUserIds: string[];
  what:
    | 'meeting_created'
    | 'meeting_edited'
    | 'meeting_ended'
    | 'recording_ready'
    | 'recording_failed'
    | 'recording_deleted';
}

export type ChangeListener = (change: Change) => void;

export class ChangeFeed {
  private readonly listeners: ChangeListener[] = [];

  constructor(private readonly logger?: AppLogger) {}

  subscribe(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Synchronous and never throws: listeners are expected to queue their work, not do it here. */
  notify(change: Change): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger?.warn({ err, what: change.what }, 'a change listener failed');
      }
    }
  }
}
