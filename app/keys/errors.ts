import { DomainError, ServiceUnavailable } from '#core/errors'

/** The key was crypto-shredded (subject erasure or merchant termination): the data is gone for good. */
export class KeyDestroyed extends DomainError {
  constructor(what: string) {
    super('key_destroyed', `The ${what} key has been destroyed; this data can no longer be read.`, {
      status: 410,
    })
  }
}

/** An old data key version was retired after rotation; a ciphertext still naming it was missed. */
export class KeyRetired extends DomainError {
  constructor(scope: string, version: number) {
    super('key_retired', `Data key version ${version} of ${scope} was retired after rotation.`, {
      status: 409,
    })
  }
}

/**
 * Authentication failed: the ciphertext, IV or tag was altered, or the value was moved to another
 * merchant, subject, table or column. No partial plaintext is ever returned.
 */
export class CiphertextInvalid extends DomainError {
  constructor(reason = 'integrity check failed') {
    super('ciphertext_invalid', `The encrypted value cannot be opened: ${reason}.`, { status: 500 })
  }
}

/** The KMS did not answer or refused; nothing was written in its place. */
export class KmsUnavailable extends ServiceUnavailable {
  constructor(detail: string) {
    super(
      'kms_unavailable',
      `The key management service is unavailable (${detail}); nothing was stored. Try again shortly.`
    )
  }
}
