import {
  ACTIONS,
  actionPattern,
  actionSuffix,
  suffixedActionId,
  suffixedActionPattern,
} from '../../src/views/ids.js';

describe('action ids', () => {
  test('one encoder: the base, a colon and the suffix', () => {
    expect(suffixedActionId(ACTIONS.end, '1234567')).toBe('meeting_end:1234567');
    expect(actionSuffix(suffixedActionId(ACTIONS.removeGuest, 'ab:c'))).toBe('ab:c');
  });

  test('actionPattern matches the base and any suffixed variant, nothing else', () => {
    const p = actionPattern(ACTIONS.play);
    expect(p.test('recording_play')).toBe(true);
    expect(p.test(suffixedActionId(ACTIONS.play, 'rec-42'))).toBe(true);
    expect(p.test(suffixedActionId(ACTIONS.end, '1234567'))).toBe(false);
    expect(p.test('recording_playback')).toBe(false);
    expect(p.test('recording_play:')).toBe(false);
  });

  test('suffixedActionPattern needs the suffix', () => {
    const p = suffixedActionPattern(ACTIONS.removeGuest);
    expect(p.test('guest_remove')).toBe(false);
    expect(p.test(suffixedActionId(ACTIONS.removeGuest, 'r1'))).toBe(true);
  });
});
