/**
 * What the hub needs from a KMS. Every cryptographic call carries an encryption context: KMS binds
 * it as AAD, so a wrapped key only opens for the scope and purpose it was made for. Contexts hold
 * ids and purposes only, never personal data (AWS logs them in CloudTrail in the clear).
 */
export type EncryptionContext = Record<string, string>

export type KmsKeyState = 'Enabled' | 'PendingDeletion' | 'Disabled' | 'Destroyed'

export interface KmsKeyInfo {
  keyId: string
  arn: string
  state: KmsKeyState
  deletionDate: Date | null
}

export interface KmsProvider {
  readonly name: 'local' | 'aws'
  /** Creates a key for one scope (a merchant, or the platform) and points `alias` at it. */
  createKey(alias: string, description: string): Promise<KmsKeyInfo>
  describeKey(keyId: string): Promise<KmsKeyInfo>
  generateDataKey(
    keyId: string,
    context: EncryptionContext
  ): Promise<{ plaintext: Buffer; wrapped: Buffer }>
  encrypt(keyId: string, plaintext: Buffer, context: EncryptionContext): Promise<Buffer>
  decrypt(keyId: string, wrapped: Buffer, context: EncryptionContext): Promise<Buffer>
  /** Re-wraps without exposing the plaintext to the caller (AWS does it server-side). */
  reEncrypt(
    wrapped: Buffer,
    source: { keyId: string; context: EncryptionContext },
    destination: { keyId: string; context: EncryptionContext }
  ): Promise<Buffer>
  scheduleKeyDeletion(keyId: string, pendingWindowDays: number): Promise<KmsKeyInfo>
  /** A cheap liveness probe for /health. */
  ping(): Promise<Record<string, unknown>>
}

export type KmsFailure = 'unreachable' | 'refused' | 'key_unusable' | 'invalid_ciphertext'

/**
 * A provider failure, classified so callers can answer correctly: `unreachable`/`refused` mean
 * 503 and nothing stored; `key_unusable` means the key was scheduled for deletion or removed;
 * `invalid_ciphertext` means the blob or its context does not match.
 */
export class KmsError extends Error {
  constructor(
    readonly failure: KmsFailure,
    readonly kmsCode: string,
    message: string
  ) {
    super(message)
    this.name = 'KmsError'
  }
}
