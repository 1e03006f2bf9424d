import {
  cardMessageKey,
  freshMessageKey,
  recordingMessageKey,
  withIdempotencyKey,
} from '../../src/slack/message-keys.js';

test('the stable keys name what they are for', () => {
  expect(cardMessageKey('T1', '1234567')).toBe('card:T1:1234567');
  expect(recordingMessageKey('ready', 'rec9')).toBe('recording-ready:rec9');
  expect(recordingMessageKey('failed', 'rec9', 3)).toBe('recording-failed:rec9:3');
  expect(recordingMessageKey('failed', 'rec9')).toBe('recording-failed:rec9:0');
});

test('a fresh key is new every time', () => {
  const a = freshMessageKey();
  expect(a).toMatch(/^msg:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(freshMessageKey()).not.toBe(a);
});

test('the key joins the metadata of the message, or a generic one', () => {
  expect(
    withIdempotencyKey({ event_type: 'megameeting_card', event_payload: { meet_id: '1234567' } }, 'k1'),
  ).toEqual({ event_type: 'megameeting_card', event_payload: { meet_id: '1234567', idempotency_key: 'k1' } });
  expect(withIdempotencyKey(undefined, 'k2')).toEqual({
    event_type: 'megameeting_message',
    event_payload: { idempotency_key: 'k2' },
  });
});
