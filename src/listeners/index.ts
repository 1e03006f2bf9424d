import type { ListenerApp } from '../slack/listener-router.js';
import * as adminRequests from './admin-requests.js';
import * as guests from './guests.js';
import * as home from './home.js';
import * as meetingActions from './meeting-actions.js';
import * as peopleAdmin from './people-admin.js';
import * as recordings from './recordings.js';
import * as scheduling from './scheduling.js';
import * as shortcuts from './shortcuts.js';
import * as unfurls from './unfurls.js';

/** What the block actions and view submissions need: the union of each feature's own deps. */
export type ListenerDeps = adminRequests.AdminRequestListenersDeps &
  meetingActions.MeetingActionsDeps &
  scheduling.SchedulingListenersDeps &
  guests.GuestListenersDeps &
  recordings.RecordingListenersDeps &
  peopleAdmin.PeopleAdminListenersDeps &
  home.HomeListenersDeps &
  unfurls.UnfurlListenersDeps &
  shortcuts.ShortcutListenersDeps;

/** Block actions, view submissions and events, one file per feature, each handed only what it uses. Slash commands live in src/commands/. */
export function register(app: ListenerApp, deps: ListenerDeps): void {
  adminRequests.register(app, deps);
  meetingActions.register(app, deps);
  scheduling.register(app, deps);
  guests.register(app, deps);
  recordings.register(app, deps);
  peopleAdmin.register(app, deps);
  home.register(app, deps);
  unfurls.register(app, deps);
  shortcuts.register(app, deps);
}
