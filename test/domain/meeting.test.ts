/** The meeting vocabulary's one rule with logic: the title limit, counted in characters as people see them. */
import {
  DEFAULT_GUEST_PERMISSIONS,
  DEFAULT_WEBINAR_OPTIONS,
  MAX_TITLE_LENGTH,
  PRESET_TYPES,
  validateTitle,
} from '../../src/domain/meeting.js';
import { GUEST_PERMISSIONS } from '../../src/megameeting/types.js';

test('a title of up to 150 characters is fine; one more is refused, saying both numbers', () => {
  expect(MAX_TITLE_LENGTH).toBe(150);
  expect(validateTitle('')).toBeNull();
  expect(validateTitle('x'.repeat(150))).toBeNull();
  expect(validateTitle('x'.repeat(151))).toBe('Titles can be up to 150 characters; yours has 151.');
});

test('characters are counted as people see them: an emoji is one, not two UTF-16 units', () => {
  const emoji = '🎉';
  expect(emoji.length).toBe(2);
  expect(validateTitle(emoji.repeat(150))).toBeNull();
  expect(validateTitle(emoji.repeat(151))).toBe('Titles can be up to 150 characters; yours has 151.');
});

test('the defaults: guests get every permission but moderator; a webinar is a broadcast', () => {
  expect(DEFAULT_GUEST_PERMISSIONS).toEqual(GUEST_PERMISSIONS.filter((p) => p !== 'moderator'));
  expect(DEFAULT_GUEST_PERMISSIONS).not.toContain('moderator');
  expect(DEFAULT_GUEST_PERMISSIONS.length).toBe(GUEST_PERMISSIONS.length - 1);
  expect(DEFAULT_WEBINAR_OPTIONS).toEqual([
    'disableVideo',
    'disableAudio',
    'disableScreen',
    'disableFileUpload',
    'enableRestrictedUserList',
  ]);
  expect(PRESET_TYPES).toEqual({ meeting: 'scheduled', webinar: 'webinar', secure: 'secure' });
});
