import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { authenticator } from 'otplib'
import User from '#access/models/user'
import { rolesOf } from '#access/services/authorization'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { RawBrowser } from '#tests/helpers/raw_browser'
import { resetRateLimits } from '#tests/helpers/rate_limits'

const NEW_PASSWORD = 'my-own-secret-passphrase-42'

/** The link of the newest invitation e-mail queued for `userId`. */
async function invitationLink(userId: number) {
  const mail = await db
    .from('outbound_emails')
    .where('recipient_user_id', userId)
    .where('template', 'access.invitation')
    .orderBy('id', 'desc')
    .first()
  return new URL(/https?:\/\/\S+\/invitations\/[\w-]+/.exec(mail.body)![0]).pathname
}

test.group('Invitations: new users set their own password and MFA', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('a new user gets a single-use link, sets a password, must enrol MFA, then is signed in', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const email = `invitee-${Date.now()}@merchant.test`
    const created = await client.post('/users').actingAs(admin).withCsrfToken().redirects(0).form({
      fullName: 'Invited Agent',
      email,
      kind: 'merchant',
      merchantId: merchant.id,
      role: 'merchant_agent',
    })
    created.assertStatus(302)
    const user = (await User.findByEmail(email))!
    assert.isNull(user.password)

    // What the admin sees never holds the link
    const link = await invitationLink(user.id)
    const secret = link.split('/').pop()!
    const adminPage = await client.get(`/users/${user.id}`).actingAs(admin)
    assert.notInclude(adminPage.text(), secret)
    assert.notInclude(JSON.stringify(created.flashMessages()), secret)
    // Stored only as a hash
    const [row] = await db.from('user_invitations').where('user_id', user.id)
    assert.notInclude(JSON.stringify(row), secret)
    assert.lengthOf(row.token_hash, 64)

    // A user who has no password yet cannot sign in with any password
    const browser = new RawBrowser()
    const page = await browser.get(link)
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('cache-control'), 'no-store')
    const accepted = await browser.submit(link, link, {
      password: NEW_PASSWORD,
      passwordConfirmation: NEW_PASSWORD,
    })
    assert.equal(accepted.headers.get('location'), '/mfa/enrol')
    // Not signed in before MFA is enrolled
    const blocked = await browser.get('/account/security')
    assert.equal(blocked.headers.get('location'), '/mfa/enrol')

    const enrolPage = await browser.get('/mfa/enrol')
    const mfaSecret = /id="mfa-secret">([A-Z2-7]+)</.exec(await enrolPage.text())![1]
    const enrolled = await browser.submit('/mfa/enrol', '/mfa/enrol', {
      code: authenticator.generate(mfaSecret),
    })
    assert.equal(enrolled.status, 200)
    const signedIn = await browser.get('/account/security')
    assert.equal(signedIn.status, 200)
    await user.refresh()
    assert.isNotNull(user.mfaEnabledAt)
    assert.deepEqual(await rolesOf(user.id, merchant.domain), ['merchant_agent'])

    // Single use: the link is dead now
    const again = await new RawBrowser().get(link)
    assert.equal(again.status, 410)
    const actions = await db
      .from('audit_events')
      .where('target_id', String(user.id))
      .whereIn('action', ['user.created', 'user.invited', 'user.invitation_accepted'])
      .orderBy('id')
      .select('action', 'actor_id')
    assert.deepEqual(
      actions.map((a) => [a.action, a.actor_id]),
      [
        ['user.created', String(admin.id)],
        ['user.invited', String(admin.id)],
        ['user.invitation_accepted', String(user.id)],
      ]
    )
  })

  test('an expired, replaced or made-up link does not work', async ({ client, assert }) => {
    const admin = await staffUser('admin')
    const email = `late-${Date.now()}@staff.test`
    await client
      .post('/users')
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
      .form({ fullName: 'Late Analyst', email, kind: 'staff', role: 'privacy_analyst' })
    const user = (await User.findByEmail(email))!
    const first = await invitationLink(user.id)

    const resent = await client
      .post(`/users/${user.id}/invitation`)
      .actingAs(admin)
      .withCsrfToken()
      .redirects(0)
    resent.assertStatus(302)
    const second = await invitationLink(user.id)
    assert.notEqual(first, second)
    const [firstNow, secondNow] = [
      await new RawBrowser().get(first),
      await new RawBrowser().get(second),
    ]
    assert.equal(firstNow.status, 410)
    assert.equal(secondNow.status, 200)

    await db.from('user_invitations').where('user_id', user.id).update({ expires_at: new Date() })
    const expired = await new RawBrowser().get(second)
    assert.equal(expired.status, 410)
    assert.include(await expired.text(), 'Ask your administrator to send a new invitation')
    const madeUp = await new RawBrowser().get('/invitations/not-a-real-token')
    assert.equal(madeUp.status, 410)
    await user.refresh()
    assert.isNull(user.password)
  })

  test('creating a user does not reveal an e-mail registered under another tenant', async ({
    client,
    assert,
  }) => {
    const [a, b] = [await createMerchant(), await createMerchant()]
    const adminA = await merchantUser(a, 'merchant_admin')
    const elsewhere = await merchantUser(b, 'merchant_agent')
    const usersBefore = await db.from('users').count('* as total')

    async function create(email: string) {
      return client.post('/users').actingAs(adminA).withCsrfToken().redirects(0).form({
        fullName: 'Someone',
        email,
        kind: 'merchant',
        merchantId: a.id,
        role: 'merchant_agent',
      })
    }
    const freshEmail = `fresh-${Date.now()}@merchant.test`
    const fresh = await create(freshEmail)
    const taken = await create(elsewhere.email)
    for (const response of [fresh, taken]) {
      response.assertStatus(302)
      response.assertHeader('location', '/users')
      assert.notProperty(response.flashMessages(), 'errors')
    }
    const shape = (response: typeof fresh, email: string) =>
      String(response.flashMessage('success')).replace(email, '<e-mail>')
    assert.equal(shape(taken, elsewhere.email), shape(fresh, freshEmail))
    // Only the fresh address became a user; the other tenant's user is untouched
    const usersAfter = await db.from('users').count('* as total')
    assert.equal(Number(usersAfter[0].total), Number(usersBefore[0].total) + 1)
    const untouched = await User.findOrFail(elsewhere.id)
    assert.equal(untouched.merchantId, b.id)
    const mails = await db.from('outbound_emails').where('recipient_user_id', elsewhere.id)
    assert.lengthOf(mails, 0)
  })
})

test.group('Segregation of duties: own roles', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('nobody can grant or revoke their own roles, in the console or as JSON', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    await staffUser('admin')
    const grant = await client
      .post(`/users/${admin.id}/roles`)
      .actingAs(admin)
      .withCsrfToken()
      .accept('json')
      .json({ role: 'dpo' })
    grant.assertStatus(403)
    assert.equal(grant.body().error.code, 'segregation_of_duties')
    const revoke = await client
      .post(`/users/${admin.id}/roles/admin/revoke`)
      .actingAs(admin)
      .withCsrfToken()
      .accept('json')
    revoke.assertStatus(403)
    assert.deepEqual(await rolesOf(admin.id, 'platform'), ['admin'])

    const merchant = await createMerchant()
    const merchantAdmin = await merchantUser(merchant, 'merchant_admin')
    const selfGrant = await client
      .post(`/users/${merchantAdmin.id}/roles`)
      .actingAs(merchantAdmin)
      .withCsrfToken()
      .accept('json')
      .json({ role: 'merchant_agent' })
    selfGrant.assertStatus(403)
    assert.deepEqual(await rolesOf(merchantAdmin.id, merchant.domain), ['merchant_admin'])

    const denials = await db
      .from('audit_events')
      .where('action', 'access.denied')
      .whereIn('actor_id', [String(admin.id), String(merchantAdmin.id)])
      .where('target_type', 'user')
      .whereColumn('target_id', 'actor_id')
      .whereRaw(`meta->>'rule' = 'segregation_of_duties'`)
    assert.lengthOf(denials, 3)

    // The user page offers no role controls on one's own account
    const page = await client.get(`/users/${admin.id}`).actingAs(admin)
    assert.include(page.text(), 'id="own-roles-note"')
    assert.notInclude(page.text(), 'Assign a role')
  })
})
