import { Writable } from 'node:stream';
import { createLogger, makeScrubber } from '../../src/logger.js';

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
