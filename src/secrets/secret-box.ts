/**
 * Encryption of secrets at rest (Slack bot/refresh/user tokens, MegaMeeting API tokens): AES-256-GCM with
 * node:crypto, a fresh 96-bit IV per value.
 *
 * Stored form (one ASCII string, versioned): `mm1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url parts.
 * - `keyId` names the key (encryption-key.ts), so ENCRYPTION_KEY_PREVIOUS can still read values written
 *   before a key rotation; such reads report `needsReencrypt` so the caller stores them again under the
 *   current key.
 * - The additional authenticated data is `mm1.<keyId>.<context>`: the caller names what the value is and whose
 *   (e.g. `slack bot token of T123`), so a ciphertext copied into another row or column does not decrypt.
 * - A wrong key is found at start, not per request: `createKeyCheck` / `verifyKeyCheck` keep one known value
 *   in the database (the store does this when it opens).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { encryptionKeySchema, keyIdOf } from './encryption-key.js';
import { EncryptionKeyMismatchError, SecretUnreadableError } from './errors.js';

const VERSION = 'mm1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = /^mm1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]*)\.([A-Za-z0-9_-]{22})$/;

/** The context of the key check value. */
export const KEY_CHECK_CONTEXT = 'encryption key check';
const KEY_CHECK_PLAINTEXT = 'megameeting-slack key check v1';

export interface Decrypted {
  plaintext: string;
  /** Written with ENCRYPTION_KEY_PREVIOUS: store it again, encrypted with the current key. */
  needsReencrypt: boolean;
}

interface Key {
  id: string;
  bytes: Buffer;
}

export class SecretBox {
  private readonly current: Key;
  private readonly previous: Key | null;

  /** Keys as raw 32-byte Buffers (see `secretBoxFromEnv` for base64 strings). */
  constructor(current: Buffer, previous?: Buffer | null) {
    this.current = { id: keyIdOf(current), bytes: Buffer.from(current) };
    this.previous = previous ? { id: keyIdOf(previous), bytes: Buffer.from(previous) } : null;
  }

  /** The id of ENCRYPTION_KEY: what every new value is tagged with. */
  get keyId(): string {
    return this.current.id;
  }

  /** The id of ENCRYPTION_KEY_PREVIOUS, if set. */
  get previousKeyId(): string | null {
    return this.previous?.id ?? null;
  }

  /** The key id a stored value names, or null when it is not in our format (read without decrypting). */
  static keyIdIn(stored: string): string | null {
    return FORMAT.exec(stored)?.[1] ?? null;
  }

  /** True when the value is written with the current key (no re-encryption due). */
  isCurrent(stored: string): boolean {
    return SecretBox.keyIdIn(stored) === this.current.id;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(this.current.id, context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, b64(iv), b64(body), b64(cipher.getAuthTag())].join('.');
  }

  /** Throws SecretUnreadableError (never with the plaintext) when the value cannot be read. */
  decrypt(stored: string, context: string): Decrypted {
    const m = FORMAT.exec(stored);
    if (!m) throw new SecretUnreadableError('malformed', context, null);
    const [, id, iv, body, tag] = m as unknown as [string, string, string, string, string];
    const key = id === this.current.id ? this.current : id === this.previous?.id ? this.previous : undefined;
    if (!key) throw new SecretUnreadableError('unknown_key', context, id);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(aad(id, context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
      return { plaintext: plain.toString('utf8'), needsReencrypt: key !== this.current };
    } catch {
      // node's message ("Unsupported state or unable to authenticate data") says nothing more useful.
      throw new SecretUnreadableError('tampered', context, id);
    }
  }

  /** The value to keep in the database so the next start can tell whether its keys are the right ones. */
  createKeyCheck(): string {
    return this.encrypt(KEY_CHECK_PLAINTEXT, KEY_CHECK_CONTEXT);
  }

  /**
   * Checks a stored key check value against the configured keys. Returns `needsReencrypt` when only
   * ENCRYPTION_KEY_PREVIOUS reads it; throws EncryptionKeyMismatchError, with one line for the operator,
   * when neither does.
   */
  verifyKeyCheck(stored: string): { needsReencrypt: boolean } {
    const keys = this.describeKeys();
    let result: Decrypted;
    try {
      result = this.decrypt(stored, KEY_CHECK_CONTEXT);
    } catch (err) {
      if (!(err instanceof SecretUnreadableError)) throw err;
      if (err.reason === 'unknown_key') {
        throw new EncryptionKeyMismatchError(
          `the stored secrets were encrypted with key id ${err.keyId}, but ${keys}: set ENCRYPTION_KEY to ` +
            'the key this database was encrypted with (during a key rotation, the former key goes in ' +
            'ENCRYPTION_KEY_PREVIOUS)',
        );
      }
      throw new EncryptionKeyMismatchError(
        `the stored encryption key check cannot be read with ${keys} (${err.reason}): the database was altered`,
      );
    }
    if (result.plaintext !== KEY_CHECK_PLAINTEXT) {
      throw new EncryptionKeyMismatchError('the stored encryption key check holds an unexpected value');
    }
    return { needsReencrypt: result.needsReencrypt };
  }

  /** "ENCRYPTION_KEY has id X (and ENCRYPTION_KEY_PREVIOUS has id Y)": for messages. */
  describeKeys(): string {
    return this.previous
      ? `ENCRYPTION_KEY has id ${this.current.id} and ENCRYPTION_KEY_PREVIOUS has id ${this.previous.id}`
      : `ENCRYPTION_KEY has id ${this.current.id} (ENCRYPTION_KEY_PREVIOUS is not set)`;
  }
}

/**
 * A SecretBox from the base64 variables. Throws a one-line Error naming the variable (never its value) when
 * one is malformed; config validation normally catches that first (src/config/multi-workspace.ts).
 */
export function secretBoxFromEnv(key: string, previousKey?: string | undefined): SecretBox {
  const current = encryptionKeySchema.safeParse(key);
  if (!current.success) throw new Error('ENCRYPTION_KEY must be 32 random bytes in base64');
  if (previousKey === undefined || previousKey.trim() === '') return new SecretBox(current.data);
  const previous = encryptionKeySchema.safeParse(previousKey);
  if (!previous.success) throw new Error('ENCRYPTION_KEY_PREVIOUS must be 32 random bytes in base64');
  return new SecretBox(current.data, previous.data);
}

function aad(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}
