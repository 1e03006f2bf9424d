/**
 * The OAuth state (src/workspaces/state-store.ts) on a real SQLite store, with the clock passed by hand: what a
 * state carries and how it is signed (checked with an HMAC computed here), its 10-minute life at both edges,
 * single use across the whole life, and each refusal with its sentence and @slack/oauth's code.
 */
import { createHmac } from 'node:crypto';
import type { InstallURLOptions } from '@slack/bolt';
import {
  InvalidStateError,
  SingleUseStateStore,
  STATE_TTL_SECONDS,
} from '../../src/workspaces/state-store.js';
import { openTestStore, type TestStore } from '../store/helpers.js';

const SECRET = 's'.repeat(32);
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const OPTIONS: InstallURLOptions = { scopes: ['commands', 'chat:write'], metadata: 'from-home' };

let t: TestStore;
let states: SingleUseStateStore;
beforeAll(async () => {
  t = await openTestStore('sqlite');
  states = new SingleUseStateStore(SECRET, t.store);
});
afterAll(async () => {
  await t?.cleanup();
});

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: unknown; name: unknown; message: unknown }> {
  const err = await promise.then(
    () => {
      throw new Error('expected the state to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidStateError);
  const { code, name, message } = err as InvalidStateError;
  return { code, name, message };
}

const refused = (message: string) => ({
  code: 'slack_oauth_invalid_state',
  name: 'InvalidStateError',
  message,
});

test('a state is its payload in base64url, a dot, and the HMAC-SHA256 of "oauth-state.<payload>"', async () => {
  const state = await states.generateStateParam(OPTIONS, T0);
  const [body, mac, ...rest] = state.split('.');
  expect(rest).toEqual([]);
  expect(mac).toBe(createHmac('sha256', SECRET).update(`oauth-state.${body}`).digest('base64url'));
  const payload = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8'));
  expect(payload).toEqual({ n: expect.stringMatching(/^[\w-]{22}$/), t: T0.getTime(), o: OPTIONS });
  const other = await states.generateStateParam(OPTIONS, T0);
  expect(other.split('.')[0]).not.toBe(body);
});

test('verified, a state gives back the install options it was made with', async () => {
  const state = await states.generateStateParam(OPTIONS, T0);
  expect(await states.verifyStateParam(at(1000), state)).toEqual(OPTIONS);
});

test('it lives exactly 10 minutes: at 600 s it is good, a millisecond later or before it was made it is expired', async () => {
  expect(STATE_TTL_SECONDS).toBe(600);
  const edge = await states.generateStateParam(OPTIONS, T0);
  expect(await states.verifyStateParam(at(600_000), edge)).toEqual(OPTIONS);
  const late = await states.generateStateParam(OPTIONS, T0);
  expect(await refusal(states.verifyStateParam(at(600_001), late))).toEqual(refused('the state has expired'));
  const early = await states.generateStateParam(OPTIONS, T0);
  expect(await refusal(states.verifyStateParam(at(-1), early))).toEqual(refused('the state has expired'));
  const now = await states.generateStateParam(OPTIONS, T0);
  expect(await states.verifyStateParam(T0, now)).toEqual(OPTIONS);
});

test('single use for its whole life: a second verification is refused, even at the last moment', async () => {
  const state = await states.generateStateParam(OPTIONS, T0);
  expect(await states.verifyStateParam(T0, state)).toEqual(OPTIONS);
  expect(await refusal(states.verifyStateParam(at(1), state))).toEqual(refused('the state was already used'));
  expect(await refusal(states.verifyStateParam(at(600_000), state))).toEqual(
    refused('the state was already used'),
  );
  // Another state of the same moment is its own.
  expect(await states.verifyStateParam(at(1), await states.generateStateParam(OPTIONS, T0))).toEqual(OPTIONS);
});

test('a state signed with another secret, or altered, is not ours', async () => {
  const theirs = await new SingleUseStateStore('x'.repeat(32), t.store).generateStateParam(OPTIONS, T0);
  expect(await refusal(states.verifyStateParam(T0, theirs))).toEqual(
    refused('the state was not issued by this app'),
  );
  const ours = await states.generateStateParam(OPTIONS, T0);
  const [body, mac] = ours.split('.') as [string, string];
  const altered = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString('utf8')), t: T0.getTime() + 1 }),
  ).toString('base64url');
  expect(await refusal(states.verifyStateParam(T0, `${altered}.${mac}`))).toEqual(
    refused('the state was not issued by this app'),
  );
  // A MAC cut short (a different length) is refused, not compared.
  expect(await refusal(states.verifyStateParam(T0, `${body}.${mac.slice(0, -1)}`))).toEqual(
    refused('the state was not issued by this app'),
  );
  // The refused ones were not spent: the genuine state still verifies once.
  expect(await states.verifyStateParam(T0, ours)).toEqual(OPTIONS);
});

test.each([
  ['no dot', 'abc'],
  ['nothing before the dot', '.abc'],
  ['nothing after the dot', 'abc.'],
  ['a third part', 'abc.def.ghi'],
  ['empty', ''],
])('a malformed state (%s) is refused as malformed', async (_case, state) => {
  expect(await refusal(states.verifyStateParam(T0, state))).toEqual(refused('the state is malformed'));
});

test('a state with a third part after a genuine one is malformed, not accepted', async () => {
  const state = await states.generateStateParam(OPTIONS, T0);
  expect(await refusal(states.verifyStateParam(T0, `${state}.x`))).toEqual(refused('the state is malformed'));
  expect(await states.verifyStateParam(T0, state)).toEqual(OPTIONS);
});
