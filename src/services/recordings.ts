import type { AppLogger } from '../logger.js';
import type { MegaMeetingApi } from '../megameeting/types.js';
import type { SlackGateway } from '../slack/gateway.js';
import type { Store } from '../store/types.js';
import { plain } from '../views/messages.js';
import type { Clock } from './clock.js';
import type { IdentityService } from './identity.js';

export interface RecordingsDeps {
  store: Store;
  megameeting: MegaMeetingApi;
  slack: SlackGateway;
  identity: IdentityService;
  logger: AppLogger;
  clock: Clock;
  megameetingUrl: string;
  autoRemux: boolean;
}

/** Recordings: processing, ready DMs, `/meet recordings`. */
export class RecordingsService {
  constructor(private readonly deps: RecordingsDeps) {}

  async listForUser(_teamId: string, _userId: string) {
    return plain('Recordings are not available yet.');
  }
}

export class RecordingsPoller {
  constructor(
    private readonly deps: { recordings: RecordingsService; store: Store; logger: AppLogger; clock: Clock; intervalSeconds: number },
  ) {}

  start(): void {}

  async stop(): Promise<void> {}
}
