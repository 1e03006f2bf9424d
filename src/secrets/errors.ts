/** Errors of the secrets module. Messages name contexts and key ids, never a plaintext or a key. */

export type SecretUnreadableReason = 'malformed' | 'unknown_key' | 'tampered';

/** A stored value could not be decrypted. */
export class SecretUnreadableError extends Error {
  readonly code = 'secret_unreadable';
  constructor(
    readonly reason: SecretUnreadableReason,
    readonly context: string,
    readonly keyId: string | null,
  ) {
    super(
      `cannot decrypt the stored ${context}: ${
        reason === 'malformed'
          ? 'it is not an encrypted value of a known format'
          : reason === 'unknown_key'
            ? `it was encrypted with key id ${keyId}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS`
            : 'it was altered, or belongs to another record (authentication failed)'
      }`,
    );
    this.name = 'SecretUnreadableError';
  }
}

/**
 * The configured keys cannot read what the database holds: detected once at start (key check, census of key
 * ids), so the operator gets one clear line instead of a failure per request.
 */
export class EncryptionKeyMismatchError extends Error {
  readonly code = 'encryption_key_mismatch';
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyMismatchError';
  }
}
