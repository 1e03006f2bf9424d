import { truncate } from '../../src/util/text.js';

describe('truncate', () => {
  test('leaves short text alone', () => {
    expect(truncate('Board', 5)).toBe('Board');
  });

  test('cuts to max characters, the last one an ellipsis', () => {
    expect(truncate('Quarterly review', 8)).toBe('Quarter…');
  });

  test('counts code points, so an emoji is never split', () => {
    expect(truncate('🎉🎉🎉🎉', 3)).toBe('🎉🎉…');
  });
});
