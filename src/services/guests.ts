import { AppError } from '../errors.js';
import type { AppLogger } from '../logger.js';
import type { MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { Store } from '../store/types.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';
import type { MeetingsService } from './meetings.js';

export interface GuestsDeps {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  meetings: MeetingsService;
  logger: AppLogger;
  clock: Clock;
  megameetingUrl: string;
}

/** Verified guests, access requests and webinar registration. */
export class GuestsService {
  constructor(private readonly deps: GuestsDeps) {}

  async openManageModal(req: { triggerId: string; teamId: string; userId: string; meetId: string }): Promise<void> {
    await this.deps.meetings.loadManageable(req.teamId, req.meetId, req.userId, 'manage its guests');
    throw new AppError('invalid_input', 'Guest management is not available yet.');
  }
}
