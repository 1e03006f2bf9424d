/** Telling a new verified guest's key apart (MegaMeeting's add returns none): the diff alone, no app. */
import type { VerifiedGuest } from '../../src/megameeting/types.js';
import { pickNewGuest } from '../../src/services/guests/key-diff.js';

const g = (key: string, guestName: string) => ({ key, guestName }) as VerifiedGuest;
const before = new Set(['k1', 'k2']);

test('the one key listed after the add and not before', () => {
  expect(pickNewGuest(before, [g('k1', 'Ann'), g('k2', 'Bob'), g('k3', 'Cy')], 'Cy')).toEqual({
    chosen: g('k3', 'Cy'),
    fresh: 1,
  });
});

test('a single new key is taken even when MegaMeeting spells the name its own way', () => {
  expect(pickNewGuest(before, [g('k1', 'Ann'), g('k3', 'CY')], 'Cy').chosen?.key).toBe('k3');
});

test('several new keys: only a single one with the name counts', () => {
  expect(pickNewGuest(before, [g('k3', 'Cy'), g('k4', 'Dee')], 'Dee')).toEqual({
    chosen: g('k4', 'Dee'),
    fresh: 2,
  });
  expect(pickNewGuest(before, [g('k3', 'Cy'), g('k4', 'Cy')], 'Cy')).toEqual({ chosen: undefined, fresh: 2 });
  expect(pickNewGuest(before, [g('k3', 'Cy'), g('k4', 'Dee')], 'Eve').chosen).toBeUndefined();
});

test('no new key: nothing chosen', () => {
  expect(pickNewGuest(before, [g('k1', 'Ann'), g('k2', 'Bob')], 'Ann')).toEqual({
    chosen: undefined,
    fresh: 0,
  });
});
