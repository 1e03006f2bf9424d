/** A claim's time to live (pure): a positive number of milliseconds, rounded; anything else is refused by name. */
import { checkTtl } from '../../src/store/claims.js';

test.each([
  [1, 1],
  [1.4, 1],
  [1.5, 2],
  [120_000, 120_000],
])('checkTtl(%p) is %p', (ttl, expected) => {
  expect(checkTtl(ttl)).toBe(expected);
});

test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('checkTtl(%p) is refused with the value', (ttl) => {
  expect(() => checkTtl(ttl)).toThrow(new RangeError(`store: ttlMs must be a positive number, got ${ttl}`));
});
