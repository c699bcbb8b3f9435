import type { LucidModel } from '@adonisjs/lucid/types/model'
import type { EncryptedColumn } from '#keys/encrypted_columns'

/*
 * Every model's encrypted columns. A module of its own, loaded before anything
 * `encrypted_columns` imports: a model reached through that import chain (Merchant, via the
 * keyring's KmsKey) declares its columns while `encrypted_columns` is still loading.
 */
export const registry = new Map<LucidModel, EncryptedColumn[]>()
