/**
 * The fast path for flat list queries must answer exactly what graphql-js answers. A root `@include(if: true)`
 * sends the same query through graphql-js, so each query is compared with its slow twin.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { gql } from './helpers.js';

let emu: Emulator;
let hostToken: string;
beforeAll(async () => {
  emu = await startEmulator({ remuxDelayMs: 0 });
  const host = emu.state.addLogin({ email: 'h@example.com', fullName: 'H' });
  hostToken = host.apiToken;
  const m1 = emu.state.addMeeting({ name: 'One "quoted"', loginId: host.loginId });
  const m2 = emu.state.addMeeting({ name: 'Two' });
  emu.state.addRecordings(3, { meetId: m1.meetId });
  emu.state.addRecording({ meetId: m2.meetId, remuxStatus: 'completed' });
  emu.state.addRecording({ meetId: m2.meetId, remuxStatus: 'failed' });
});
afterAll(async () => {
  await emu.close();
});

const slow = (q: string) => q.replace(/^\{\s*(\w+(?:\s*:\s*\w+)?)/, '{ $1 @include(if: true)');

test.each([
  '{ recordings { accId alId recId meetId recPackage recPlay recCreateDateTime remuxStatus } }',
  '{ recordings { recPlay remuxStatus recId } }',
  '{ mine: recordings { id: recId status: remuxStatus } }',
  '{ meetings { edges { node { meetId name } } } }',
  '{ meetings { edges { node { name } } } logins { edges { node { roles active userName } } } }',
  '{ logins { edges { node { userName loginId email fullName active roles } } } }',
  '{ recordings { recId } meetings { edges { node { meetId } } } }',
])('%s answers as graphql-js does', async (query) => {
  for (const token of [emu.adminToken, hostToken]) {
    const fast = await gql(emu, query, { token });
    const reference = await gql(emu, slow(query), { token });
    expect(slow(query)).not.toBe(query);
    expect(fast.status).toBe(reference.status);
    if (reference.body.errors) {
      // The @include shifts error locations; everything else must be equal.
      const strip = (b: { errors: { locations?: unknown }[] }) => ({
        ...b,
        errors: b.errors.map(({ locations: _, ...e }) => e),
      });
      expect(strip(fast.body)).toEqual(strip(reference.body));
    } else {
      expect(fast.text).toBe(reference.text);
    }
  }
});

test('queries the fast path does not take still work', async () => {
  const merged = await gql(
    emu,
    '{ meetings { edges { node { meetId } } } meetings { edges { node { name } } } }',
  );
  expect(merged.body.data.meetings[0].edges[0].node).toEqual({
    meetId: expect.any(String),
    name: expect.any(String),
  });
  const typename = await gql(emu, '{ __typename recordings { __typename recId } }');
  expect(typename.body.data.__typename).toBe('Query');
  expect(typename.body.data.recordings[0].__typename).toBe('Recording');
  const fragment = await gql(emu, 'query Q { ...F } fragment F on Query { recordings { recId } }');
  expect(fragment.body.data.recordings).toHaveLength(5);
  const vars = await gql(emu, 'query ($yes: Boolean!) { recordings @include(if: $yes) { recId } }', {
    variables: { yes: false },
  });
  expect(vars.body).toEqual({ data: {} });
  const forbidden = await gql(emu, '{ logins { edges { node { loginId } } } }', { token: hostToken });
  expect(forbidden.body).toEqual({
    errors: [expect.objectContaining({ extensions: { code: 'FORBIDDEN' }, path: ['logins'] })],
    data: null,
  });
});
