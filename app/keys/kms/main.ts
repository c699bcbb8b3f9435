import keysConfig from '#config/keys'
import { AwsKms } from '#keys/kms/aws_kms'
import app from '@adonisjs/core/services/app'
import { LocalKms, parseMasterKeys, type LocalKmsOptions } from '#keys/kms/local_kms'
import type { KmsProvider } from '#keys/kms/provider'

type ProviderName = KmsProvider['name']

const providers = new Map<ProviderName, KmsProvider>()
let active: ProviderName | undefined

function build(name: ProviderName): KmsProvider {
  if (name === 'aws') {
    return new AwsKms({
      region: keysConfig.aws.region,
      endpoint: keysConfig.aws.endpoint,
      timeoutMs: keysConfig.timeoutMs,
      maxAttempts: 2,
    })
  }
  return new LocalKms(localKmsOptions(app.inProduction))
}

/** Production never generates or reads a master key file: env keys or an external KMS only. */
export function localKmsOptions(production: boolean): LocalKmsOptions {
  return {
    directory: keysConfig.local.directory,
    masterKeys: parseMasterKeys(keysConfig.local.masterKeys),
    allowGeneratedMaster: !production,
  }
}

/**
 * The provider of a scope. Each scope remembers which provider made its key, so switching
 * `KMS_PROVIDER` (configuration only) sends new scopes to the new KMS while existing ones keep
 * opening with the one that wraps them.
 */
export function kmsFor(name: ProviderName): KmsProvider {
  let provider = providers.get(name)
  if (!provider) {
    provider = build(name)
    providers.set(name, provider)
  }
  return provider
}

/** The provider named by `KMS_PROVIDER`: new scopes get their keys there. */
export function kms(): KmsProvider {
  return kmsFor(active ?? keysConfig.provider)
}

/** Swaps in a provider and makes it the active one (tests point it at the loopback endpoint); undefined = back to config. */
export function useKms(next: KmsProvider | undefined) {
  if (!next) {
    providers.clear()
    active = undefined
    return
  }
  providers.set(next.name, next)
  active = next.name
}
