import { randomBytes } from 'node:crypto';
import {
  EncryptionKeyMismatchError,
  encryptionKeySchema,
  keyIdOf,
  SecretBox,
  SecretUnreadableError,
  secretBoxFromEnv,
} from '../../src/secrets/index.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const KEY_C = Buffer.alloc(32, 0xc3);
const TOKEN = 'xoxb-1234-5678-SECRETSECRETSECRET';
const CTX = 'slack bot token of T0001';

/** Decrypts, but returns the error instead of throwing (for assertions on it). */
function decryptError(box: SecretBox, stored: string, ctx = CTX): SecretUnreadableError {
  try {
    box.decrypt(stored, ctx);
  } catch (err) {
    if (err instanceof SecretUnreadableError) return err;
    throw err;
  }
  throw new Error('expected decrypt to fail');
}

/** Flips one bit of the base64url part at `index` (1 key id, 2 iv, 3 ciphertext, 4 tag). */
function flipBit(stored: string, index: number): string {
  const parts = stored.split('.');
  const bytes = Buffer.from(parts[index] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('encryptionKeySchema', () => {
  test('reads 32 bytes of base64', () => {
    const key = randomBytes(32);
    const parsed = encryptionKeySchema.parse(` ${key.toString('base64')}\n`);
    expect(Buffer.compare(parsed, key)).toBe(0);
  });

  test.each([
    ['too short (16 bytes)', randomBytes(16).toString('base64')],
    ['too long (48 bytes)', randomBytes(48).toString('base64')],
    ['base64url alphabet', `${'_-'.repeat(21)}A=`],
    ['not base64', 'correct horse battery staple correct horse b'],
    ['empty', ''],
    ['a valid key with a character before it', `A${Buffer.alloc(32, 5).toString('base64')}`],
    ['a valid key with a character after it', `${Buffer.alloc(32, 5).toString('base64')}A`],
  ])('refuses a key that is %s, without echoing it', (_label, value) => {
    const result = encryptionKeySchema.safeParse(value);
    expect(result.success).toBe(false);
    const message = result.error?.issues.map((i) => i.message).join(' ') ?? '';
    expect(message).toMatch(/32 random bytes in base64/);
    if (value !== '') expect(message).not.toContain(value);
  });

  test('key ids are short, stable and differ between keys', () => {
    expect(keyIdOf(KEY_A)).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(keyIdOf(KEY_A)).toBe(keyIdOf(Buffer.from(KEY_A)));
    expect(keyIdOf(KEY_A)).not.toBe(keyIdOf(KEY_B));
  });
});

describe('SecretBox', () => {
  test('round-trips, with a fresh IV each time, in the versioned format tagged with the key id', () => {
    const box = new SecretBox(KEY_A);
    const one = box.encrypt(TOKEN, CTX);
    const two = box.encrypt(TOKEN, CTX);
    expect(one).toMatch(
      new RegExp(`^mm1\\.${keyIdOf(KEY_A)}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`),
    );
    expect(one).not.toBe(two);
    expect(one).not.toContain(TOKEN);
    expect(box.decrypt(one, CTX)).toEqual({ plaintext: TOKEN, needsReencrypt: false });
    expect(box.decrypt(two, CTX).plaintext).toBe(TOKEN);
    expect(box.decrypt(box.encrypt('', CTX), CTX).plaintext).toBe('');
    expect(box.decrypt(box.encrypt('ünïcødé ✓', CTX), CTX).plaintext).toBe('ünïcødé ✓');
  });

  test.each([
    ['the IV', 2],
    ['the ciphertext', 3],
    ['the tag', 4],
  ])('detects tampering with %s', (_label, index) => {
    const box = new SecretBox(KEY_A);
    const err = decryptError(box, flipBit(box.encrypt(TOKEN, CTX), index));
    expect(err.reason).toBe('tampered');
    expect(err.message).not.toContain(TOKEN);
  });

  test('a value moved to another record (another context) does not decrypt', () => {
    const box = new SecretBox(KEY_A);
    const stored = box.encrypt(TOKEN, CTX);
    expect(decryptError(box, stored, 'slack bot token of T0002').reason).toBe('tampered');
  });

  test('relabelling a value with another known key id does not decrypt', () => {
    const box = new SecretBox(KEY_A, KEY_B);
    const stored = box.encrypt(TOKEN, CTX).replace(keyIdOf(KEY_A), keyIdOf(KEY_B));
    expect(decryptError(box, stored).reason).toBe('tampered');
  });

  test('malformed values are refused as such', () => {
    const box = new SecretBox(KEY_A);
    for (const bad of ['', TOKEN, 'mm2.abcdefgh.x.y.z', box.encrypt(TOKEN, CTX).slice(0, -1)]) {
      const err = decryptError(box, bad);
      expect(err.reason).toBe('malformed');
      expect(err.message).toBe(
        `cannot decrypt the stored ${CTX}: it is not an encrypted value of a known format`,
      );
      expect(err.message).not.toContain(TOKEN);
    }
  });

  test('a wrong key: an unknown key id, named in the error, never the plaintext', () => {
    const stored = new SecretBox(KEY_A).encrypt(TOKEN, CTX);
    const err = decryptError(new SecretBox(KEY_B), stored);
    expect(err.reason).toBe('unknown_key');
    expect(err.keyId).toBe(keyIdOf(KEY_A));
    expect(err.message).toContain(keyIdOf(KEY_A));
    expect(err.message).not.toContain(TOKEN);
  });

  describe('key rotation', () => {
    test('the previous key still decrypts and asks for re-encryption; new values use the new key', () => {
      const before = new SecretBox(KEY_A).encrypt(TOKEN, CTX);
      const rotating = new SecretBox(KEY_B, KEY_A);
      expect(rotating.isCurrent(before)).toBe(false);
      expect(rotating.decrypt(before, CTX)).toEqual({ plaintext: TOKEN, needsReencrypt: true });

      const again = rotating.encrypt(TOKEN, CTX);
      expect(SecretBox.keyIdIn(again)).toBe(keyIdOf(KEY_B));
      expect(rotating.isCurrent(again)).toBe(true);
      expect(rotating.decrypt(again, CTX)).toEqual({ plaintext: TOKEN, needsReencrypt: false });

      // Once rotated, the new key alone reads what was re-encrypted, and not what was not.
      const after = new SecretBox(KEY_B);
      expect(after.decrypt(again, CTX).plaintext).toBe(TOKEN);
      expect(decryptError(after, before).reason).toBe('unknown_key');
    });
  });

  describe('key check', () => {
    test('the same key passes', () => {
      const box = new SecretBox(KEY_A);
      expect(box.verifyKeyCheck(box.createKeyCheck())).toEqual({ needsReencrypt: false });
    });

    test('during a rotation the previous key passes and asks for re-encryption', () => {
      const check = new SecretBox(KEY_A).createKeyCheck();
      expect(new SecretBox(KEY_B, KEY_A).verifyKeyCheck(check)).toEqual({ needsReencrypt: true });
    });

    test('a wrong key gives one clear line naming the key ids', () => {
      const check = new SecretBox(KEY_A).createKeyCheck();
      const wrong = new SecretBox(KEY_B, KEY_C);
      expect(() => wrong.verifyKeyCheck(check)).toThrow(EncryptionKeyMismatchError);
      expect(() => wrong.verifyKeyCheck(check)).toThrow(
        `the stored secrets were encrypted with key id ${keyIdOf(KEY_A)}, but ENCRYPTION_KEY has id ${keyIdOf(KEY_B)} ` +
          `and ENCRYPTION_KEY_PREVIOUS has id ${keyIdOf(KEY_C)}: set ENCRYPTION_KEY to the key this database was ` +
          'encrypted with (during a key rotation, the former key goes in ENCRYPTION_KEY_PREVIOUS)',
      );
    });

    test('an altered check value is reported as such', () => {
      const box = new SecretBox(KEY_A);
      expect(() => box.verifyKeyCheck(flipBit(box.createKeyCheck(), 3))).toThrow(
        /cannot be read with ENCRYPTION_KEY has id .* \(tampered\): the database was altered/,
      );
      // A valid value of another context is not a key check either.
      expect(() => box.verifyKeyCheck(box.encrypt('megameeting-slack key check v1', CTX))).toThrow(
        EncryptionKeyMismatchError,
      );
    });
  });

  test('secretBoxFromEnv reads base64 keys and names the bad variable without its value', () => {
    const a = KEY_A.toString('base64');
    const b = KEY_B.toString('base64');
    const box = secretBoxFromEnv(b, a);
    expect(box.keyId).toBe(keyIdOf(KEY_B));
    expect(box.previousKeyId).toBe(keyIdOf(KEY_A));
    expect(secretBoxFromEnv(a, '').previousKeyId).toBeNull();
    expect(() => secretBoxFromEnv('nope')).toThrow('ENCRYPTION_KEY must be 32 random bytes in base64');
    expect(() => secretBoxFromEnv(a, 'still-nope')).toThrow(
      'ENCRYPTION_KEY_PREVIOUS must be 32 random bytes in base64',
    );
  });
});

describe('stable across versions: what was stored before still reads', () => {
  // Written by this version (mm1) with KEY_A for CTX. The key id is HMAC-SHA256(key, "megameeting-slack/key-id/v1"),
  // its first 6 bytes in base64url, worked out independently (Python's hmac) for KEY_A and KEY_B.
  const STORED =
    'mm1.v16xC9Jz.pYBb8YrmWP9N6uov.POQ2T8QuVJpj0hCjqAHNR0qPnsLr6VauKMAAYFRKW4RS.mctyFYDPmLquZeMeJOeuEQ';

  test('the key ids', () => {
    expect(keyIdOf(KEY_A)).toBe('v16xC9Jz');
    expect(keyIdOf(KEY_B)).toBe('xUZRUPdB');
  });

  test('a stored value decrypts, and only in its own context', () => {
    const box = new SecretBox(KEY_A);
    expect(box.decrypt(STORED, CTX)).toEqual({ plaintext: TOKEN, needsReencrypt: false });
    expect(SecretBox.keyIdIn(STORED)).toBe('v16xC9Jz');
    expect(decryptError(box, STORED, `${CTX} `).reason).toBe('tampered');
  });

  test('anything before or after the stored form makes it malformed', () => {
    const box = new SecretBox(KEY_A);
    for (const bad of [`x${STORED}`, `${STORED}A`, ` ${STORED}`, `${STORED}\n`]) {
      expect(decryptError(box, bad).reason).toBe('malformed');
      expect(SecretBox.keyIdIn(bad)).toBeNull();
      expect(box.isCurrent(bad)).toBe(false);
    }
  });
});

describe('SecretBox: keys and errors', () => {
  test('a key of another length is refused', () => {
    expect(() => keyIdOf(Buffer.alloc(31, 1))).toThrow(new RangeError('an encryption key has 32 bytes'));
    expect(() => new SecretBox(Buffer.alloc(33, 1))).toThrow(RangeError);
    expect(() => new SecretBox(KEY_A, Buffer.alloc(16, 1))).toThrow(RangeError);
  });

  test("the box keeps its own copy of the keys: the caller's buffers may be wiped", () => {
    const current = Buffer.from(KEY_A);
    const previous = Buffer.from(KEY_B);
    const box = new SecretBox(current, previous);
    const older = new SecretBox(KEY_B).encrypt(TOKEN, CTX);
    current.fill(0);
    previous.fill(0);
    expect(box.decrypt(box.encrypt(TOKEN, CTX), CTX).plaintext).toBe(TOKEN);
    expect(box.decrypt(older, CTX)).toEqual({ plaintext: TOKEN, needsReencrypt: true });
  });

  test('the errors say exactly what happened, with their codes and names', () => {
    const box = new SecretBox(KEY_A);
    const stored = box.encrypt(TOKEN, CTX);
    const tampered = decryptError(box, flipBit(stored, 3));
    expect(tampered).toMatchObject({
      code: 'secret_unreadable',
      name: 'SecretUnreadableError',
      reason: 'tampered',
      context: CTX,
      keyId: keyIdOf(KEY_A),
      message: `cannot decrypt the stored ${CTX}: it was altered, or belongs to another record (authentication failed)`,
    });
    const unknown = decryptError(new SecretBox(KEY_B), stored);
    expect(unknown.message).toBe(
      `cannot decrypt the stored ${CTX}: it was encrypted with key id ${keyIdOf(KEY_A)}, which is neither ` +
        'ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS',
    );
    expect(decryptError(box, 'nonsense')).toMatchObject({ reason: 'malformed', keyId: null });
  });

  test('the key check: each way it fails is its own exact line', () => {
    const box = new SecretBox(KEY_A);
    const mismatch = (stored: string): EncryptionKeyMismatchError => {
      try {
        box.verifyKeyCheck(stored);
      } catch (err) {
        if (err instanceof EncryptionKeyMismatchError) return err;
        throw err;
      }
      throw new Error('expected the key check to fail');
    };
    const altered = mismatch(flipBit(box.createKeyCheck(), 3));
    expect(altered).toMatchObject({ code: 'encryption_key_mismatch', name: 'EncryptionKeyMismatchError' });
    expect(altered.message).toBe(
      `the stored encryption key check cannot be read with ENCRYPTION_KEY has id ${keyIdOf(KEY_A)} ` +
        '(ENCRYPTION_KEY_PREVIOUS is not set) (tampered): the database was altered',
    );
    expect(mismatch('garbage').message).toBe(
      `the stored encryption key check cannot be read with ENCRYPTION_KEY has id ${keyIdOf(KEY_A)} ` +
        '(ENCRYPTION_KEY_PREVIOUS is not set) (malformed): the database was altered',
    );
    expect(mismatch(box.encrypt('another value', 'encryption key check')).message).toBe(
      'the stored encryption key check holds an unexpected value',
    );
    expect(new SecretBox(KEY_A, KEY_B).describeKeys()).toBe(
      `ENCRYPTION_KEY has id ${keyIdOf(KEY_A)} and ENCRYPTION_KEY_PREVIOUS has id ${keyIdOf(KEY_B)}`,
    );
  });

  test('secretBoxFromEnv: a blank or missing previous key is no previous key', () => {
    const a = KEY_A.toString('base64');
    expect(secretBoxFromEnv(a).previousKeyId).toBeNull();
    expect(secretBoxFromEnv(a, '   ').previousKeyId).toBeNull();
    expect(secretBoxFromEnv(`  ${a}\n`).keyId).toBe(keyIdOf(KEY_A));
    expect(new SecretBox(KEY_A).previousKeyId).toBeNull();
  });
});
