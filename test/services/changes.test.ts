/**
 * The change feed App Home listens to: every listener hears each change, in order of subscription; one that
 * throws is logged and never reaches the service that notified nor the other listeners; unsubscribing removes
 * that listener only, once.
 */
import { type Change, ChangeFeed } from '../../src/services/changes.js';
import { capturingLogger } from '../support/log-lines.js';

const change: Change = { teamId: 'T0TEAM0001', slackUserIds: ['U0HOST0001'], what: 'meeting_created' };

test('every listener hears each change, in the order they subscribed', () => {
  const feed = new ChangeFeed();
  const heard: string[] = [];
  feed.subscribe((c) => heard.push(`a:${c.what}`));
  feed.subscribe((c) => heard.push(`b:${c.what}`));
  feed.notify(change);
  feed.notify({ ...change, what: 'recording_ready' });
  expect(heard).toEqual(['a:meeting_created', 'b:meeting_created', 'a:recording_ready', 'b:recording_ready']);
});

test('a listener that throws is logged with what changed; the others still hear it, the notifier never sees it', () => {
  const { logger, lines } = capturingLogger();
  const feed = new ChangeFeed(logger);
  const heard: Change[] = [];
  feed.subscribe(() => {
    throw new Error('Home is broken');
  });
  feed.subscribe((c) => heard.push(c));
  expect(() => feed.notify(change)).not.toThrow();
  expect(heard).toEqual([change]);
  expect(lines.map((l) => [l.msg, l.what, l.err?.message])).toEqual([
    ['a change listener failed', 'meeting_created', 'Home is broken'],
  ]);
});

test('a feed without a logger swallows a failing listener too', () => {
  const feed = new ChangeFeed();
  feed.subscribe(() => {
    throw new Error('boom');
  });
  expect(() => feed.notify(change)).not.toThrow();
});

test('unsubscribing removes that listener only, and a second call removes nothing more', () => {
  const feed = new ChangeFeed();
  const heard: string[] = [];
  const offFirst = feed.subscribe(() => heard.push('first'));
  feed.subscribe(() => heard.push('second'));
  const offThird = feed.subscribe(() => heard.push('third'));
  offFirst();
  offFirst();
  feed.notify(change);
  expect(heard).toEqual(['second', 'third']);
  heard.length = 0;
  offThird();
  feed.notify(change);
  expect(heard).toEqual(['second']);
});
