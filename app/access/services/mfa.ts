import { randomInt } from 'node:crypto'
import { DateTime } from 'luxon'
import QRCode from 'qrcode'
import { authenticator } from 'otplib'
import hash from '@adonisjs/core/services/hash'
import redis from '@adonisjs/redis/services/main'
import env from '#start/env'
import User from '#access/models/user'
import MfaRecoveryCode from '#access/models/mfa_recovery_code'
import { rolesOf } from '#access/services/authorization'
import { MFA_MANDATORY_ROLES } from '#access/roles'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import { FieldInvalid, Forbidden } from '#core/errors'

const ISSUER = 'Conversera Privacy Hub'
export const RECOVERY_CODE_COUNT = 10
/** Base32 without look-alikes, so codes survive being read aloud or written down. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** One 30 s step either side absorbs clock drift on phones. */
const totp = authenticator.clone({ window: 1 })

function normalizeRecoveryCode(code: string) {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '')
}

function newRecoveryCode() {
  let code = ''
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  return `${code.slice(0, 5)}-${code.slice(5)}`
}

/** TOTP enrolment and verification, recovery codes, and switching MFA off. */
export class Mfa {
  newSecret() {
    return totp.generateSecret(20)
  }

  /** The otpauth URI and a PNG data URL of it, for the enrolment page. */
  async provisioning(user: User, secret: string) {
    const uri = totp.keyuri(user.email, ISSUER, secret)
    return { uri, qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1 }) }
  }

  currentCode(secret: string) {
    return totp.generate(secret)
  }

  /**
   * Checks a TOTP code and burns it: the same code cannot be replayed within its validity
   * window, even by someone who watched it being typed.
   */
  async verifyTotp(user: User, secret: string, code: string) {
    const token = code.replace(/\s+/g, '')
    if (!/^\d{6}$/.test(token) || !totp.check(token, secret)) return false
    const key = `${env.get('QUEUE_PREFIX')}:mfa-used:${user.id}:${token}`
    return (await redis.set(key, '1', 'EX', 120, 'NX')) === 'OK'
  }

  /** Confirms enrolment with a first code; returns the recovery codes, shown exactly once. */
  async enrol(user: User, secret: string, code: string) {
    if (!(await this.verifyTotp(user, secret, code))) {
      throw new FieldInvalid(
        'code',
        'That code is not valid. Check the time on your phone and try again.',
        'access_mfa_code_wrong'
      )
    }
    return auditedWrite(
      async (trx) => {
        user.useTransaction(trx)
        user.mfaSecret = secret
        user.mfaEnabledAt = DateTime.now()
        await user.save()
        return this.replaceRecoveryCodes(user, trx)
      },
      (codes) => ({
        action: 'mfa.enrolled',
        actor: { type: 'user', id: user.id },
        merchantId: user.merchantId,
        target: { type: 'user', id: user.id },
        meta: { recoveryCodes: codes.length },
      })
    )
  }

  private async replaceRecoveryCodes(user: User, trx: Parameters<typeof user.useTransaction>[0]) {
    await MfaRecoveryCode.query({ client: trx }).where('userId', user.id).delete()
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
    const hashes = await Promise.all(codes.map((code) => hash.make(normalizeRecoveryCode(code))))
    await MfaRecoveryCode.createMany(
      hashes.map((codeHash) => ({ userId: user.id, codeHash })),
      { client: trx }
    )
    return codes
  }

  /** A fresh set of recovery codes; the old ones stop working. */
  async regenerateRecoveryCodes(user: User) {
    return auditedWrite(
      (trx) => this.replaceRecoveryCodes(user, trx),
      (codes) => ({
        action: 'mfa.recovery_codes_regenerated',
        actor: { type: 'user', id: user.id },
        merchantId: user.merchantId,
        target: { type: 'user', id: user.id },
        meta: { recoveryCodes: codes.length },
      })
    )
  }

  /** Consumes one unused recovery code; false when none matches. */
  async useRecoveryCode(user: User, code: string) {
    const normalized = normalizeRecoveryCode(code)
    if (normalized.length !== 10) return false
    const unused = await MfaRecoveryCode.query().where('userId', user.id).whereNull('usedAt')
    for (const candidate of unused) {
      if (!(await hash.verify(candidate.codeHash, normalized))) continue
      // The conditional update makes a race between two requests with the same code harmless
      return auditedWrite(
        async (trx) => {
          const claimed = await MfaRecoveryCode.query({ client: trx })
            .where('id', candidate.id)
            .whereNull('usedAt')
            .update({ used_at: new Date() })
          return Number(claimed[0] ?? claimed) > 0
        },
        (won) =>
          won
            ? {
                action: 'mfa.recovery_used',
                actor: { type: 'user', id: user.id },
                merchantId: user.merchantId,
                target: { type: 'user', id: user.id },
                meta: { remaining: unused.length - 1 },
              }
            : null
      )
    }
    return false
  }

  async remainingRecoveryCodes(user: User) {
    const row = await MfaRecoveryCode.query()
      .where('userId', user.id)
      .whereNull('usedAt')
      .count('* as total')
      .first()
    return Number(row?.$extras.total ?? 0)
  }

  /**
   * Staff, and merchant users holding a role that can mint credentials or manage users
   * (merchant admins), must use MFA: they enrol at their next sign-in and cannot switch it off.
   */
  async isMandatoryFor(user: User, roles?: string[]) {
    if (user.kind === 'staff') return true
    const held = roles ?? (await rolesOf(user.id, user.domain))
    return held.some((role) => (MFA_MANDATORY_ROLES as readonly string[]).includes(role))
  }

  /** Whether this sign-in needs a second factor: mandatory, or the user opted in. */
  async isRequiredFor(user: User, roles?: string[]) {
    return user.mfaEnabled || this.isMandatoryFor(user, roles)
  }

  /** Merchant users may switch MFA off again, unless it is mandatory for them. */
  async disable(user: User, actorId: number) {
    if (await this.isMandatoryFor(user)) {
      throw new Forbidden('Two-factor authentication is mandatory for your account.')
    }
    user.mfaSecret = null
    user.mfaEnabledAt = null
    await saveAudited(
      user,
      {
        action: 'mfa.disabled',
        actor: { type: 'user', id: actorId },
        merchantId: user.merchantId,
        targetType: 'user',
      },
      {
        extra: async (trx) => {
          await MfaRecoveryCode.query({ client: trx }).where('userId', user.id).delete()
        },
      }
    )
  }
}

export default new Mfa()
