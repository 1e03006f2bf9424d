import { AppError } from '../../src/errors.js';
import { MegaMeetingError } from '../../src/megameeting/errors.js';
import { shortReasonFor, userMessageFor } from '../../src/services/user-messages.js';
import { SlackCallError } from '../../src/slack/gateway.js';

const mm = (code: ConstructorParameters<typeof MegaMeetingError>[0]['code'], serverMessage?: string) =>
  new MegaMeetingError({ code, operation: 'createMeeting', ...(serverMessage ? { serverMessage } : {}) });

describe('userMessageFor', () => {
  test('domain errors show their own message', () => {
    expect(userMessageFor(new AppError('not_allowed', 'Only the host can.'), 'end it')).toBe(
      'Only the host can.',
    );
  });

  test('MegaMeeting down asks to retry; a timeout warns that it may have gone through', () => {
    expect(userMessageFor(mm('unavailable'), 'create the meeting')).toContain("isn't answering");
    const timeout = userMessageFor(mm('timeout'), 'create the meeting');
    expect(timeout).toContain("can't tell whether");
    expect(timeout).not.toContain('Nothing was changed');
  });

  test('a refused token points the admin at the configuration; refusals quote MegaMeeting briefly', () => {
    expect(userMessageFor(mm('unauthorized'), 'create the meeting')).toContain('MEGAMEETING_API_TOKEN');
    const refused = userMessageFor(mm('invalid_input', 'x'.repeat(500)), 'add the guest');
    expect(refused.length).toBeLessThan(320);
  });

  test('Slack errors name the code; anything else stays generic', () => {
    expect(userMessageFor(new SlackCallError('chat.postMessage', 'is_archived'), 'post')).toContain(
      'is_archived',
    );
    expect(userMessageFor(new Error('secret internals'), 'post')).not.toContain('secret internals');
  });
});

describe('userMessageFor, word for word', () => {
  test.each<[string, ConstructorParameters<typeof MegaMeetingError>[0]['code'], string]>([
    [
      'down',
      'unavailable',
      "MegaMeeting isn't answering right now, so I couldn't add the guest. Please try again in a minute.",
    ],
    [
      'too slow',
      'timeout',
      "MegaMeeting didn't answer in time, so I can't tell whether I managed to add the guest. Please check in MegaMeeting before trying again.",
    ],
    [
      'refusing the token',
      'unauthorized',
      "MegaMeeting refused the app's API token, so I couldn't add the guest. Ask your Slack admin to check MEGAMEETING_API_TOKEN.",
    ],
    ['forbidding it', 'forbidden', "MegaMeeting doesn't allow that, so I couldn't add the guest."],
    ['not finding it', 'not_found', "MegaMeeting couldn't find that, so I couldn't add the guest."],
    [
      'refusing it without a reason',
      'invalid_input',
      "MegaMeeting refused the request, so I couldn't add the guest.",
    ],
    [
      'answering something else',
      'unexpected_response',
      'MegaMeeting answered something unexpected, so I may not have managed to add the guest. Please check in MegaMeeting before trying again.',
    ],
  ])('MegaMeeting %s', (_label, code, expected) => {
    expect(userMessageFor(mm(code), 'add the guest')).toBe(expected);
  });

  test("a refusal with MegaMeeting's reason quotes it, cut to 200 characters", () => {
    expect(userMessageFor(mm('invalid_input', 'Email is not valid'), 'add the guest')).toBe(
      "MegaMeeting refused the request, so I couldn't add the guest: Email is not valid",
    );
    const long = `${'a'.repeat(199)}bcd`;
    expect(userMessageFor(mm('invalid_input', long), 'add the guest')).toBe(
      `MegaMeeting refused the request, so I couldn't add the guest: ${'a'.repeat(199)}…`,
    );
  });

  test('Slack refusals and anything else', () => {
    expect(userMessageFor(new SlackCallError('views.open', 'expired_trigger_id'), 'open the form')).toBe(
      "Slack refused a request (expired_trigger_id), so I couldn't open the form.",
    );
    expect(userMessageFor(new TypeError('x is undefined'), 'open the form')).toBe(
      "Something went wrong and I couldn't open the form. Please try again; if it keeps happening, ask your admin to check the app's logs.",
    );
    expect(userMessageFor('a thrown string', 'open the form')).toMatch(
      /^Something went wrong and I couldn't open the form\./,
    );
  });
});

describe('shortReasonFor (the guests not added, word for word)', () => {
  test.each<[ConstructorParameters<typeof MegaMeetingError>[0]['code'], string]>([
    ['unavailable', "MegaMeeting didn't answer"],
    ['timeout', "MegaMeeting didn't answer"],
    ['unauthorized', "MegaMeeting refused the app's token"],
    ['forbidden', "MegaMeeting refused the app's token"],
    ['not_found', 'MegaMeeting no longer knows this meeting'],
    ['invalid_input', 'MegaMeeting refused it'],
    ['unexpected_response', 'MegaMeeting answered something unexpected'],
  ])('MegaMeeting %s', (code, expected) => {
    expect(shortReasonFor(mm(code))).toBe(expected);
  });

  test("a refusal quotes MegaMeeting's reason, cut to 150 characters", () => {
    expect(shortReasonFor(mm('invalid_input', 'Email is not valid'))).toBe(
      'MegaMeeting refused it: Email is not valid',
    );
    expect(shortReasonFor(mm('invalid_input', `${'a'.repeat(150)}bcd`))).toBe(
      `MegaMeeting refused it: ${'a'.repeat(150)}`,
    );
  });

  test('domain errors, Slack refusals and anything else', () => {
    expect(shortReasonFor(new AppError('not_allowed', 'Only the host can.'))).toBe('Only the host can.');
    expect(shortReasonFor(new SlackCallError('users.info', 'user_not_found'))).toBe(
      "Slack doesn't know this user",
    );
    expect(shortReasonFor(new SlackCallError('users.info', 'ratelimited'))).toBe(
      'Slack refused a request (ratelimited)',
    );
    expect(shortReasonFor(new Error('secret internals'))).toBe('something went wrong');
  });
});
