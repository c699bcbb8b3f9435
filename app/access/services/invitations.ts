import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import User from '#access/models/user'
import UserInvitation from '#access/models/user_invitation'
import auditTrail, { type AuditActor } from '#audit/services/audit_trail'
import { auditedWrite } from '#audit/services/audited_write'
import { DomainError } from '#core/errors'

/** How long a link stays usable; a new one can be sent from the user's page at any time. */
export const INVITATION_TTL_HOURS = 72

export class InvitationInvalid extends DomainError {
  constructor() {
    super(
      'invitation_invalid',
      'This invitation link cannot be used: it was already used, replaced by a newer one, or has expired. Ask your administrator to send a new invitation.',
      { status: 410 }
    )
  }
}

function digest(secret: string) {
  return createHash('sha256').update(secret).digest('hex')
}

function userIdOf(actor: AuditActor) {
  return actor.type === 'user' && actor.id ? Number(actor.id) : null
}

/**
 * Invitations: a new account has no password until its owner sets one through a single-use,
 * expiring link, and enrols MFA right after. The link goes only to the person (the e-mail
 * outbox); the administrator who created the account never sees it, so they can neither know
 * the password nor enrol a device of their own in that account.
 */
export class Invitations {
  /** Sends a fresh link to a user who has not signed up yet; earlier links stop working. */
  async issue(user: User, actor: AuditActor, trx?: TransactionClientContract) {
    if (!user.invitationPending) return null
    const client = trx ?? db.connection()
    const secret = randomBytes(32).toString('base64url')
    const expiresAt = DateTime.now().plus({ hours: INVITATION_TTL_HOURS })
    await this.revokeFor(user.id, trx)
    const invitation = await UserInvitation.create(
      { userId: user.id, tokenHash: digest(secret), expiresAt, createdBy: userIdOf(actor) },
      { client }
    )
    await this.deliver(user, invitation, secret, client)
    await auditTrail.record(
      {
        action: 'user.invited',
        actor,
        merchantId: user.merchantId,
        target: { type: 'user', id: user.id },
        meta: { invitation: invitation.id, expiresAt: expiresAt.toUTC().toISO() },
      },
      trx
    )
    return invitation
  }

  /**
   * Queues the e-mail. The outbox resolves the address from the user id at delivery; the body
   * names no one and carries the link, which works once and only until it expires.
   */
  private async deliver(
    user: User,
    invitation: UserInvitation,
    secret: string,
    client: TransactionClientContract | ReturnType<typeof db.connection>
  ) {
    const link = `${env.get('APP_URL')}${router.makeUrl('access.invitation.show', { token: secret })}`
    const until = invitation.expiresAt.toUTC().toFormat('yyyy-LL-dd HH:mm')
    const now = new Date()
    await client.table('outbound_emails').insert({
      merchant_id: user.merchantId,
      recipient_user_id: user.id,
      template: 'access.invitation',
      subject: 'Your Conversera Privacy Hub account',
      body: [
        'An account on the Conversera Privacy Hub was created for you.',
        `Set your password and two-factor authentication here (single use, valid until ${until} UTC):`,
        link,
        'If you did not expect this, ignore this e-mail.',
      ].join('\n\n'),
      source_type: 'user_invitation',
      source_id: String(invitation.id),
      status: 'pending',
      created_at: now,
      updated_at: now,
    })
  }

  /** The open invitation this link names, with its user; null when it cannot be used. */
  async open(secret: string) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) return null
    const invitation = await UserInvitation.findBy('tokenHash', digest(secret))
    if (!invitation?.isOpen) return null
    const user = await User.find(invitation.userId)
    if (!user || user.disabledAt || !user.invitationPending) return null
    return { invitation, user }
  }

  /** Sets the person's own password and burns the link, in one transaction. */
  async accept(secret: string, password: string) {
    const found = await this.open(secret)
    if (!found) throw new InvitationInvalid()
    const { invitation, user } = found
    await auditedWrite(
      async (trx) => {
        // Conditional update: two tabs racing with the same link cannot both win
        const claimed = await UserInvitation.query({ client: trx })
          .where('id', invitation.id)
          .whereNull('acceptedAt')
          .whereNull('revokedAt')
          .update({ accepted_at: new Date() })
        if (Number(claimed[0] ?? claimed) === 0) throw new InvitationInvalid()
        user.useTransaction(trx)
        user.password = password
        await user.save()
      },
      {
        action: 'user.invitation_accepted',
        actor: { type: 'user', id: user.id },
        merchantId: user.merchantId,
        target: { type: 'user', id: user.id },
        meta: { invitation: invitation.id },
      }
    )
    return user
  }

  /** A disabled user's open links stop working too. */
  async revokeFor(userId: number, trx?: TransactionClientContract) {
    await UserInvitation.query(trx ? { client: trx } : {})
      .where('userId', userId)
      .whereNull('acceptedAt')
      .whereNull('revokedAt')
      .update({ revoked_at: new Date() })
  }
}

export default new Invitations()
