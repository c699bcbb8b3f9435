import hash from '@adonisjs/core/services/hash'
import type User from '#access/models/user'
import signIn from '#access/services/sign_in'
import { saveAudited } from '#audit/services/audited_write'
import { FieldInvalid } from '#core/errors'

/**
 * A user changing their own password: the current one proves it is really them (rate-limited
 * per user; a lockout throws `login_locked_out`).
 */
export async function changePassword(user: User, current: string, next: string) {
  const verified = await signIn.reauthenticate(
    user,
    async () => user.password !== null && hash.verify(user.password, current)
  )
  if (!verified) {
    throw new FieldInvalid(
      'currentPassword',
      'The current password is wrong.',
      'access_current_password_wrong'
    )
  }
  if (current === next) {
    throw new FieldInvalid(
      'newPassword',
      'Choose a password you have not used here before.',
      'access_password_reused'
    )
  }
  user.password = next
  await saveAudited(user, {
    action: 'auth.password_changed',
    actor: { type: 'user', id: user.id },
    merchantId: user.merchantId,
    targetType: 'user',
  })
}
