import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { Store } from '../store/types.js';
import type { ListItem } from '../views/messages.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import type { MeetingsService } from './meetings.js';
import type { RemindersService } from './reminders.js';

export type SchedulePreset = 'meeting' | 'webinar' | 'secure';

export interface OpenModalRequest {
  triggerId: string;
  teamId: string;
  userId: string;
  channelId: string;
  preset: SchedulePreset;
  title: string;
  /** Prefill (e.g. from a plain-English time that needs confirming). */
  start?: Date;
  /** A line shown at the top of the form (why it opened). */
  notice?: string;
}

export interface SchedulingDeps {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  meetings: MeetingsService;
  reminders: RemindersService;
  logger: AppLogger;
  clock: Clock;
  defaultTimeZone: string;
}

/** Scheduling: the modal, its submission, editing, and `/meet list`. */
export class SchedulingService {
  constructor(private readonly deps: SchedulingDeps) {}

  async openModal(_req: OpenModalRequest): Promise<void> {
    throw new AppError('invalid_input', 'Scheduling from a form is not available yet.');
  }

  /** The user's meetings that have not ended, soonest first. */
  async listForUser(teamId: string, userId: string): Promise<ListItem[]> {
    const records = await this.deps.meetings.listOpen(teamId, userId);
    return records.map((r) => ({
      meetId: r.meetId,
      title: r.title,
      kind: r.kind,
      status: r.status,
      start: r.startAt,
      end: r.endAt,
      joinUrl: this.deps.meetings.joinUrl(r),
    }));
  }
}
