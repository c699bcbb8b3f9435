import {
  KMSClient,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ListAliasesCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms'
import {
  KmsError,
  type EncryptionContext,
  type KmsKeyInfo,
  type KmsKeyState,
  type KmsProvider,
} from '#keys/kms/provider'

export interface AwsKmsOptions {
  region: string
  endpoint?: string
  timeoutMs: number
  maxAttempts: number
  /** Only for the loopback test endpoint; real deployments use the SDK's credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

const KEY_STATE_ERRORS = new Set([
  'KMSInvalidStateException',
  'DisabledException',
  'NotFoundException',
  'KeyUnavailableException',
])
const CIPHERTEXT_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException'])
const REFUSALS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ThrottlingException',
  'LimitExceededException',
  'KMSInternalException',
  'DependencyTimeoutException',
])

function classify(error: unknown): KmsError {
  const err = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }
  const name = err.name ?? 'Error'
  const message = err.message ?? name
  if (KEY_STATE_ERRORS.has(name)) return new KmsError('key_unusable', name, message)
  if (CIPHERTEXT_ERRORS.has(name)) return new KmsError('invalid_ciphertext', name, message)
  if (REFUSALS.has(name) || err.$metadata?.httpStatusCode)
    return new KmsError('refused', name, message)
  return new KmsError('unreachable', name, message)
}

function stateOf(metadata: KeyMetadata | undefined): KmsKeyState {
  switch (metadata?.KeyState) {
    case 'Enabled':
      return 'Enabled'
    case 'PendingDeletion':
      return 'PendingDeletion'
    case 'Disabled':
      return 'Disabled'
    default:
      return 'Disabled'
  }
}

/** AWS KMS (or LocalStack / local-kms / the test endpoint) through the official SDK. */
export class AwsKms implements KmsProvider {
  readonly name = 'aws' as const
  readonly client: KMSClient

  constructor(options: AwsKmsOptions) {
    this.client = new KMSClient({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
      requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs },
    })
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      throw classify(error)
    }
  }

  private info(metadata: KeyMetadata | undefined): KmsKeyInfo {
    return {
      keyId: metadata?.KeyId ?? '',
      arn: metadata?.Arn ?? metadata?.KeyId ?? '',
      state: stateOf(metadata),
      deletionDate: metadata?.DeletionDate ?? null,
    }
  }

  async createKey(alias: string, description: string) {
    // An alias left by an interrupted attempt is reused; one whose key is being deleted is repointed
    const existing = await this.describeKey(alias).catch((error: KmsError) => {
      if (error.kmsCode === 'NotFoundException') return null
      throw error
    })
    if (existing?.state === 'Enabled') return existing

    const created = await this.call(() =>
      this.client.send(
        new CreateKeyCommand({
          Description: description,
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeySpec: 'SYMMETRIC_DEFAULT',
          Tags: [{ TagKey: 'app', TagValue: 'conversera-privacy-hub' }],
        })
      )
    )
    const keyId = created.KeyMetadata!.KeyId!
    const pointAlias = existing
      ? new UpdateAliasCommand({ AliasName: alias, TargetKeyId: keyId })
      : new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId })
    await this.call(() => this.client.send(pointAlias))
    return this.info(created.KeyMetadata)
  }

  async describeKey(keyId: string) {
    const out = await this.call(() => this.client.send(new DescribeKeyCommand({ KeyId: keyId })))
    return this.info(out.KeyMetadata)
  }

  async generateDataKey(keyId: string, context: EncryptionContext) {
    const out = await this.call(() =>
      this.client.send(
        new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context })
      )
    )
    return { plaintext: Buffer.from(out.Plaintext!), wrapped: Buffer.from(out.CiphertextBlob!) }
  }

  async encrypt(keyId: string, plaintext: Buffer, context: EncryptionContext) {
    const out = await this.call(() =>
      this.client.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: context })
      )
    )
    return Buffer.from(out.CiphertextBlob!)
  }

  async decrypt(keyId: string, wrapped: Buffer, context: EncryptionContext) {
    const out = await this.call(() =>
      this.client.send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: wrapped, EncryptionContext: context })
      )
    )
    return Buffer.from(out.Plaintext!)
  }

  async reEncrypt(
    wrapped: Buffer,
    source: { keyId: string; context: EncryptionContext },
    destination: { keyId: string; context: EncryptionContext }
  ) {
    const out = await this.call(() =>
      this.client.send(
        new ReEncryptCommand({
          CiphertextBlob: wrapped,
          SourceKeyId: source.keyId,
          SourceEncryptionContext: source.context,
          DestinationKeyId: destination.keyId,
          DestinationEncryptionContext: destination.context,
        })
      )
    )
    return Buffer.from(out.CiphertextBlob!)
  }

  async scheduleKeyDeletion(keyId: string, pendingWindowDays: number) {
    await this.call(() =>
      this.client.send(
        new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: pendingWindowDays })
      )
    )
    return this.describeKey(keyId)
  }

  async ping() {
    const started = Date.now()
    await this.call(() => this.client.send(new ListAliasesCommand({ Limit: 1 })))
    return { latencyMs: Date.now() - started }
  }
}
