/**
 * ENCRYPTION_KEY / ENCRYPTION_KEY_PREVIOUS: 32 random bytes in standard base64 (`openssl rand -base64 32`).
 * The zod schema reads one into a Buffer; `keyIdOf` names a key without revealing it.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';

export const KEY_BYTES = 32;

/** Trimmed, padded standard base64 of exactly 32 bytes (44 characters ending in `=`). */
const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

export const encryptionKeySchema = z
  .string()
  .trim()
  .refine((v) => BASE64_32.test(v), {
    message: 'must be 32 random bytes in base64 (44 characters, e.g. from `openssl rand -base64 32`)',
  })
  .transform((v) => Buffer.from(v, 'base64'));

/**
 * A short public name for a key: the first 6 bytes of HMAC-SHA256(key, label), base64url (8 characters).
 * Stored beside every ciphertext so the right key is picked and an unknown one is recognised at once; it
 * tells nothing about the key (a keyed hash of a 256-bit random value).
 */
export function keyIdOf(key: Buffer): string {
  if (key.length !== KEY_BYTES) throw new RangeError(`an encryption key has ${KEY_BYTES} bytes`);
  return createHmac('sha256', key)
    .update('megameeting-slack/key-id/v1')
    .digest()
    .subarray(0, 6)
    .toString('base64url');
}
