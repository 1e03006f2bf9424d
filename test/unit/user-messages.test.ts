import { AppError } from '../../src/errors.js';
import { MegaMeetingError } from '../../src/megameeting/errors.js';
import { userMessageFor } from '../../src/services/user-messages.js';
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
