/** Secrets at rest: import from here. See README.md. */
export { encryptionKeySchema, KEY_BYTES, keyIdOf } from './encryption-key.js';
export { EncryptionKeyMismatchError, SecretUnreadableError, type SecretUnreadableReason } from './errors.js';
export { type Decrypted, KEY_CHECK_CONTEXT, SecretBox, secretBoxFromEnv } from './secret-box.js';
