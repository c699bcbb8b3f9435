import { test } from '@japa/runner'
import { normalizeEmail } from '#access/models/user'
import { LoginLockedOut } from '#access/services/sign_in'
import { grantableScopes } from '#access/services/api_tokens'
import { ROLE_PERMISSIONS } from '#access/roles'

test.group('Sign-in rules', () => {
  test('e-mails are looked up trimmed and lower-cased', ({ assert }) => {
    assert.equal(normalizeEmail('  Mona.Adel@Nile-Fashion.TEST '), 'mona.adel@nile-fashion.test')
  })

  test('the lockout message rounds the wait up to whole minutes', ({ assert }) => {
    assert.equal(new LoginLockedOut(1).message, 'Too many failed attempts. Try again in 1 minute.')
    assert.equal(
      new LoginLockedOut(61).message,
      'Too many failed attempts. Try again in 2 minutes.'
    )
    const full = new LoginLockedOut(900)
    assert.equal(full.message, 'Too many failed attempts. Try again in 15 minutes.')
    assert.equal(full.status, 429)
    assert.deepEqual(full.details, [{ retryAfterSeconds: 900, retryAfterMinutes: 15 }])
  })

  test('tokens can only be granted what the merchant_api role may do', ({ assert }) => {
    const scopes = grantableScopes()
    assert.isNotEmpty(scopes)
    assert.sameMembers(scopes, ROLE_PERMISSIONS.merchant_api)
    for (const consoleOnly of [
      'tokens:manage',
      'account:manage',
      'users:manage',
      'dashboard:view',
    ]) {
      assert.notInclude(scopes, consoleOnly)
    }
  })
})
