import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/* AES-256-GCM with a random 96-bit IV, packed as iv(12) | tag(16) | ciphertext. Used to wrap keys. */
export function sealGcm(key: Buffer, plaintext: Buffer, aad: Buffer) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad)
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body])
}

/** Throws on any mismatch of key, AAD, IV, tag or ciphertext. */
export function openGcm(key: Buffer, sealed: Buffer, aad: Buffer) {
  if (sealed.length < 28) throw new Error('sealed value too short')
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12)).setAAD(aad)
  decipher.setAuthTag(sealed.subarray(12, 28))
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()])
}
