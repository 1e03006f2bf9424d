import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { boltLogger, createLogger, makeScrubber, scrubFromLogs } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  test('scrubs known secrets, Slack tokens and personal guest links from strings', () => {
    const scrub = makeScrubber(['SUPERSECRETTOKEN123']);
    expect(scrub('token SUPERSECRETTOKEN123 used')).toBe('token [redacted] used');
    expect(scrub('xoxb-1-2-abc and xapp-1-A-xyz')).toBe('xox?-[redacted] and xapp-[redacted]');
    expect(scrub('https://a.megameeting.com/meeting/?key=abcdef123456&go=1')).toBe(
      'https://a.megameeting.com/meeting/?key=[redacted]&go=1',
    );
    expect(scrub('https://a.megameeting.com/meeting/?id=1234567')).toBe(
      'https://a.megameeting.com/meeting/?id=1234567',
    );
  });

  test('scrubs a key= or token= query value wherever it sits in the query', () => {
    const scrub = makeScrubber([]);
    expect(scrub('https://a.megameeting.com/meeting/?id=1234567&key=abcdef123456')).toBe(
      'https://a.megameeting.com/meeting/?id=1234567&key=[redacted]',
    );
    expect(scrub('GET /cb?token=tok3n-value&x=1 and /cb?a=1&TOKEN=other-value')).toBe(
      'GET /cb?token=[redacted]&x=1 and /cb?a=1&TOKEN=[redacted]',
    );
    // A parameter that merely ends in "key" or "token" is not a secret.
    expect(scrub('/x?monkey=1&subtoken=2')).toBe('/x?monkey=1&subtoken=2');
  });

  test('redacts secret-named fields and secrets nested in objects and errors', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', secrets: ['SUPERSECRETTOKEN123'], destination });
    logger.info(
      {
        apiToken: 'anything',
        nested: { guestKey: 'abcdef123456', url: 'http://x/meeting/?key=abcdef123456' },
        err: new Error('failed with SUPERSECRETTOKEN123'),
      },
      'call with xoxb-123-secret',
    );
    const out = lines.join('');
    expect(out).not.toContain('anything');
    expect(out).not.toContain('abcdef123456');
    expect(out).not.toContain('SUPERSECRETTOKEN123');
    expect(out).not.toContain('xoxb-123-secret');
    expect(JSON.parse(out)).toMatchObject({ apiToken: '[redacted]', msg: 'call with xox?-[redacted]' });
  });

  test('an error logged without a message does not leak its text', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', secrets: ['SUPERSECRETTOKEN123'], destination });
    logger.error(new Error('boom SUPERSECRETTOKEN123 https://x/meeting/?key=abcdef123456'));
    logger.error({ err: new Error('again SUPERSECRETTOKEN123') });
    const out = lines.join('');
    expect(lines).toHaveLength(2);
    expect(out).not.toContain('SUPERSECRETTOKEN123');
    expect(out).not.toContain('abcdef123456');
    expect(JSON.parse(lines[0] ?? '{}').msg).toBe('boom [redacted] https://x/meeting/?key=[redacted]');
  });
});

describe('secrets learnt while running (scrubFromLogs)', () => {
  test('a secret added through a child is scrubbed from the root, that child and the Bolt logger', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'debug', secrets: [], destination });
    const child = logger.child({ component: 'people-admin' });
    logger.info('before: TOKENLEARNT7788');
    scrubFromLogs(child, 'TOKENLEARNT7788');
    logger.info('root: TOKENLEARNT7788');
    child.info({ view: { text: 'shown once: TOKENLEARNT7788' } }, 'child');
    boltLogger(logger).debug('http request body: {"view":"TOKENLEARNT7788"}');
    expect(lines[0]).toContain('TOKENLEARNT7788');
    const after = lines.slice(1).join('');
    expect(lines).toHaveLength(4);
    expect(after).not.toContain('TOKENLEARNT7788');
    expect(after).toContain('[redacted]');
  });

  test('short values are ignored and the list is bounded (the oldest forgotten first)', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', secrets: [], destination });
    scrubFromLogs(logger, 'abc');
    for (let i = 0; i < 250; i++) scrubFromLogs(logger, `SECRET-${String(i).padStart(4, '0')}`);
    logger.info('abc SECRET-0000 SECRET-0249');
    expect(JSON.parse(lines[0] ?? '{}').msg).toBe('abc SECRET-0000 [redacted]');
  });
});

describe('logger fields', () => {
  function lineOf(log: (logger: ReturnType<typeof createLogger>) => void, secrets: string[] = []) {
    const { lines, destination } = capture();
    log(createLogger({ level: 'debug', secrets, destination }));
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  }

  test('every secret-named field is redacted; other fields and absent secrets are kept as they are', () => {
    const secretNames = [
      'token',
      'apiToken',
      'botToken',
      'appToken',
      'signingSecret',
      'authorization',
      'guestKey',
      'key',
      'meetingLink',
      'personalLink',
      'password',
    ];
    const fields = Object.fromEntries(secretNames.map((k) => [k, `value-of-${k}`]));
    const line = lineOf((l) => l.info({ ...fields, meetId: '1234567', absent: { token: null } }, 'x'));
    for (const k of secretNames) expect(line[k]).toBe('[redacted]');
    // A null secret says "none", which is not a secret; a plain field stays readable.
    expect(line).toMatchObject({ meetId: '1234567', absent: { token: null }, service: 'megameeting-slack' });
  });

  test('an error keeps only its type, scrubbed message and code, logged alone or as a field', () => {
    const err = Object.assign(new Error('failed SUPERSECRETTOKEN123'), { code: 'E_TEST' });
    const alone = lineOf((l) => l.error(err), ['SUPERSECRETTOKEN123']);
    expect(alone.err).toEqual({ type: 'Error', message: 'failed [redacted]', code: 'E_TEST' });
    expect(JSON.stringify(alone)).not.toContain('SUPERSECRETTOKEN123');
    expect(alone.msg).toBe('failed [redacted]');
    const field = lineOf((l) => l.warn({ err: new TypeError('bad'), meetId: '1' }, 'context'));
    expect(field).toMatchObject({ err: { type: 'TypeError', message: 'bad' }, meetId: '1', msg: 'context' });
    // Under any other name, too.
    const other = lineOf((l) => l.warn({ failure: err }, 'context'), ['SUPERSECRETTOKEN123']);
    expect(other.failure).toEqual({ type: 'Error', message: 'failed [redacted]', code: 'E_TEST' });
  });

  test('a date is logged as its ISO time, alone or nested (it was `{}`)', () => {
    const at = new Date('2026-12-08T01:02:03.000Z');
    const line = lineOf((l) => l.info({ absentSince: at, meeting: { endedAt: at }, at: [at] }, 'x'));
    expect(line).toMatchObject({
      absentSince: '2026-12-08T01:02:03.000Z',
      meeting: { endedAt: '2026-12-08T01:02:03.000Z' },
      at: ['2026-12-08T01:02:03.000Z'],
    });
  });

  test('secrets inside arrays are scrubbed too', () => {
    const line = lineOf((l) => l.info({ calls: ['xoxb-1-abc', { token: 't0ken', ok: true }, 3] }, 'batch'));
    expect(line.calls).toEqual(['xox?-[redacted]', { token: '[redacted]', ok: true }, 3]);
  });

  test('a self-referencing object is logged without overflowing the stack', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    const line = lineOf((l) => l.info({ loop }, 'cyclic'));
    expect(line.msg).toBe('cyclic');
    expect((line.loop as { name: string }).name).toBe('loop');
    const ring: unknown[] = ['xoxb-1-abc'];
    ring.push(ring);
    expect((lineOf((l) => l.info({ ring }, 'ring')).ring as unknown[])[0]).toBe('xox?-[redacted]');
  });

  test('only literal secrets of 6 characters or more are scrubbed (shorter ones would blank ordinary words)', () => {
    const scrub = makeScrubber(['abc', undefined, 'sixsix']);
    expect(scrub('abc sixsix abcd')).toBe('abc [redacted] abcd');
  });
});

describe('boltLogger', () => {
  test("Bolt's lines go through the app logger, tagged, with arguments joined and errors named", () => {
    const { lines, destination } = capture();
    const bolt = boltLogger(createLogger({ level: 'debug', secrets: ['SUPERSECRETTOKEN123'], destination }));
    bolt.debug('d', { n: 1 });
    bolt.info('i');
    bolt.warn('w', new TypeError('bad SUPERSECRETTOKEN123'));
    bolt.error('e', 2);
    const parsed = lines.map((l) => JSON.parse(l) as { level: number; msg: string; component: string });
    expect(parsed.map((p) => [p.level, p.component, p.msg])).toEqual([
      [20, 'bolt', 'd {"n":1}'],
      [30, 'bolt', 'i'],
      [40, 'bolt', 'w TypeError: bad [redacted]'],
      [50, 'bolt', 'e 2'],
    ]);
  });

  test('nothing is formatted for a level that is off (Bolt and its WebClient log every request at debug)', () => {
    const { lines, destination } = capture();
    const bolt = boltLogger(createLogger({ level: 'warn', secrets: [], destination }));
    let serialized = 0;
    const body = {
      toJSON() {
        serialized++;
        return { blocks: [] };
      },
    };
    bolt.debug('http request body:', body);
    bolt.info('answer', body);
    expect(serialized).toBe(0);
    bolt.warn('kept', body);
    expect(serialized).toBe(1);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['kept {"blocks":[]}']);
  });

  test("reports the app's level to Bolt and ignores Bolt's attempts to change it", () => {
    for (const [level, expected] of [
      ['debug', LogLevel.DEBUG],
      ['info', LogLevel.INFO],
      ['warn', LogLevel.WARN],
      ['error', LogLevel.ERROR],
      ['fatal', LogLevel.INFO],
    ] as const) {
      const bolt = boltLogger(createLogger({ level, secrets: [], destination: capture().destination }));
      expect(bolt.getLevel()).toBe(expected);
      bolt.setLevel(LogLevel.DEBUG);
      expect(bolt.getLevel()).toBe(expected);
    }
  });
});
