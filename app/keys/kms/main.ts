import keysConfig from '#config/keys'
import { AwsKms } from '#keys/kms/aws_kms'
import { LocalKms, parseMasterKeys } from '#keys/kms/local_kms'
import type { KmsProvider } from '#keys/kms/provider'

let provider: KmsProvider | undefined

/** Builds the provider named by `KMS_PROVIDER`: switching providers is configuration only. */
export function providerFromConfig(): KmsProvider {
  if (keysConfig.provider === 'aws') {
    return new AwsKms({
      region: keysConfig.aws.region,
      endpoint: keysConfig.aws.endpoint,
      timeoutMs: keysConfig.timeoutMs,
      maxAttempts: 2,
    })
  }
  return new LocalKms({
    directory: keysConfig.local.directory,
    masterKeys: parseMasterKeys(keysConfig.local.masterKeys),
  })
}

export function kms(): KmsProvider {
  provider ??= providerFromConfig()
  return provider
}

/** Swaps the provider (tests point it at the loopback endpoint; undefined = back to config). */
export function useKms(next: KmsProvider | undefined) {
  provider = next
}
