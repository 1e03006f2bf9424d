/**
 * The OAuth `state` (Bolt's StateStore): signed with SLACK_STATE_SECRET (HMAC-SHA256), valid 10 minutes, and
 * single-use across replicas: verifying it takes a lease named after its nonce in the store, so a replayed
 * state (the same link opened twice, or copied with its cookie) is refused even before it expires. A forged
 * or altered one fails the signature. Errors are @slack/oauth's InvalidStateError (its failure page).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { InstallURLOptions, StateStore } from '@slack/bolt';
import type { Store } from '../store/types.js';

export const STATE_TTL_SECONDS = 600;

/** Same code as @slack/oauth's InvalidStateError, so Bolt's flow and our failure page treat it as one. */
export class InvalidStateError extends Error {
  readonly code = 'slack_oauth_invalid_state';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateError';
  }
}

interface StatePayload {
  n: string;
  t: number;
  o: InstallURLOptions;
}

export class SingleUseStateStore implements StateStore {
  constructor(
    private readonly secret: string,
    private readonly store: Pick<Store, 'acquireLease'>,
  ) {}

  async generateStateParam(installOptions: InstallURLOptions, now: Date): Promise<string> {
    const payload: StatePayload = {
      n: randomBytes(16).toString('base64url'),
      t: now.getTime(),
      o: installOptions,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  async verifyStateParam(now: Date, state: string): Promise<InstallURLOptions> {
    const [body, mac, extra] = state.split('.');
    if (!body || !mac || extra !== undefined) throw new InvalidStateError('the state is malformed');
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new InvalidStateError('the state was not issued by this app');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as StatePayload;
    const age = now.getTime() - payload.t;
    if (!(age >= 0 && age <= STATE_TTL_SECONDS * 1000)) throw new InvalidStateError('the state has expired');
    // Single use: the first to verify takes the lease for longer than the state lives; later uses lose.
    const first = await this.store.acquireLease(
      `oauth-state:${payload.n}`,
      randomBytes(8).toString('hex'),
      (STATE_TTL_SECONDS + 60) * 1000,
      now,
    );
    if (!first) throw new InvalidStateError('the state was already used');
    return payload.o;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(`oauth-state.${body}`).digest('base64url');
  }
}
