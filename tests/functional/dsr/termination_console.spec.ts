import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import type Merchant from '#merchants/models/merchant'
import MerchantTermination from '#dsr/models/merchant_termination'
import terminations from '#dsr/termination/termination_service'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { customerWithMessages } from '#tests/helpers/dsr_subjects'

function requested(merchant: Merchant, choice: 'return' | 'delete' = 'delete') {
  return terminations.request(merchant, choice, { actor: { type: 'system' } })
}

/** The rows a list page shows, by their `termination-<id>` ids. */
function rowIds(html: string) {
  return [...html.matchAll(/<tr id="termination-(\d+)"/g)].map((match) => Number(match[1]))
}

test.group('DSR / terminations console', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the list filters by status and merchant, pages with its filters and links each request', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const [first, second, third] = [
      await createMerchant(),
      await createMerchant(),
      await createMerchant(),
    ]
    const earlier = await requested(first)
    await terminations.cancel(earlier, { type: 'system' })
    const again = await requested(first)
    const prepared = await terminations.prepare(await requested(second), dpo.id)
    const cancelled = await requested(third)
    await terminations.cancel(cancelled, { type: 'system' })

    // Untouched, the list shows what awaits staff, with labels and each row's link
    const list = await client.get('/dsr/terminations').actingAs(dpo)
    list.assertStatus(200)
    const shown = rowIds(list.text())
    assert.includeMembers(shown, [again.id, prepared.id])
    assert.notIncludeMembers(shown, [earlier.id, cancelled.id])
    assert.include(list.text(), second.legalName)
    assert.include(list.text(), 'Prepared, awaiting approval')
    assert.include(list.text(), 'Delete all data')
    assert.notInclude(list.text(), '>prepared<', 'labels, not codes')
    assert.include(list.text(), `href="/dsr/terminations/${prepared.id}"`)

    const byStatus = await client.get('/dsr/terminations?status=cancelled').actingAs(dpo)
    assert.includeMembers(rowIds(byStatus.text()), [earlier.id, cancelled.id])
    assert.notIncludeMembers(rowIds(byStatus.text()), [again.id, prepared.id])

    // A merchant picked by name, any status, one per page: the pager keeps the filters
    const paged = await client
      .get(`/dsr/terminations?status=any&merchantId=${first.id}&perPage=1`)
      .actingAs(dpo)
    paged.assertStatus(200)
    assert.deepEqual(rowIds(paged.text()), [again.id])
    assert.include(paged.text(), '2 termination requests')
    const next = /<a href="([^"]+)" rel="next">/.exec(paged.text())![1].replace(/&amp;/g, '&')
    assert.include(next, `merchantId=${first.id}`)
    assert.include(next, 'status=any')
    const page2 = await client.get(next).actingAs(dpo)
    assert.deepEqual(rowIds(page2.text()), [earlier.id])

    // The filter bar submitted with its fields empty filters by nothing
    const blank = await client.get('/dsr/terminations?status=any&merchantId=').actingAs(dpo)
    blank.assertStatus(200)
    assert.includeMembers(rowIds(blank.text()), [earlier.id, again.id, prepared.id, cancelled.id])
    // A status nobody offers is refused, back to where the filter came from
    const bad = await client.get('/dsr/terminations?status=gone').actingAs(dpo).redirects(0)
    bad.assertStatus(302)
    assert.property(bad.flashMessages().errors, 'status')

    // The DSR console links cases, legal holds and terminations to each other
    const cases = await client.get('/dsr/cases').actingAs(dpo)
    assert.include(cases.text(), 'href="/dsr/terminations"')
    assert.include(list.text(), 'href="/dsr/legal-holds"')
  })

  test('the page shows the merchant, the final export by table, and the actions of its state', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const merchant = await createMerchant()
    const requester = await merchantUser(merchant, 'merchant_admin')
    await customerWithMessages(merchant, { phone: '+201001234599' }, ['one', 'two', 'three'])
    const termination = await terminations.request(merchant, 'return', {
      actor: { type: 'user', id: requester.id },
      userId: requester.id,
    })

    const page = await client.get(`/dsr/terminations/${termination.id}`).actingAs(dpo)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, merchant.legalName)
    assert.include(html, 'Return all data to us, then delete it')
    assert.include(html, 'by Test merchant_admin', 'the requester by name for a DPO')
    // The final export: its tables with their row counts, not a dump
    const exported = /<table data-export>([\s\S]*?)<\/table>/.exec(html)![1]
    assert.match(exported, /Messages <code>messages<\/code><\/td>\s*<td>3<\/td>/)
    assert.notInclude(html, '"tables"')
    // Prepare is offered; approval says why it must wait
    assert.include(html, `action="/dsr/terminations/${termination.id}/prepare"`)
    assert.include(html, 'data-confirm="Prepare the deletion of all data of')
    assert.notInclude(html, `action="/dsr/terminations/${termination.id}/approve"`)
    assert.include(html, 'data-approve-unavailable="not_prepared"')

    // In Arabic, the same page with its counts in Arabic words
    const arabic = await client
      .get(`/dsr/terminations/${termination.id}`)
      .actingAs(dpo)
      .header('accept-language', 'ar')
    arabic.assertStatus(200)
    assert.include(arabic.text(), 'الحزمة النهائية')
    assert.include(arabic.text(), 'إعداد الحذف')
    assert.include(arabic.text(), 'dir="rtl"')

    const missing = await client.get('/dsr/terminations/99999999').actingAs(dpo)
    missing.assertStatus(404)
  })

  test('one staff member prepares through the form, the preparer may not approve, another approves', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const counsel = await staffUser('legal_counsel')
    const merchant = await createMerchant()
    const termination = await requested(merchant)
    const url = `/dsr/terminations/${termination.id}`

    const prepare = await client.post(`${url}/prepare`).actingAs(dpo).withCsrfToken().redirects(0)
    prepare.assertStatus(302)
    prepare.assertHeader('location', url)
    assert.match(String(prepare.flashMessages().success), /second staff member/)
    const row = await MerchantTermination.findOrFail(termination.id)
    assert.equal(row.status, 'prepared')
    assert.equal(row.preparedByUserId, dpo.id)

    // The preparer sees why there is no approval button; a forged post is refused all the same
    const own = await client.get(url).actingAs(dpo)
    assert.include(own.text(), 'data-approve-unavailable="own_preparation"')
    assert.include(own.text(), 'You prepared this deletion')
    assert.notInclude(own.text(), `action="${url}/approve"`)
    const selfApproval = await client
      .post(`${url}/approve`)
      .actingAs(dpo)
      .withCsrfToken()
      .redirects(0)
    selfApproval.assertStatus(403)
    const stillPrepared = await MerchantTermination.findOrFail(termination.id)
    assert.equal(stillPrepared.status, 'prepared')

    // A stale form (prepared twice) comes back with the reason
    const twice = await client
      .post(`${url}/prepare`)
      .actingAs(counsel)
      .withCsrfToken()
      .header('referer', url)
      .redirects(0)
    twice.assertStatus(302)
    twice.assertHeader('location', url)
    assert.match(String(twice.flashMessages().error), /already been prepared/)

    const second = await client.get(url).actingAs(counsel)
    assert.include(second.text(), `action="${url}/approve"`)
    assert.include(second.text(), 'The merchant loses access at once')
    const approve = await client
      .post(`${url}/approve`)
      .actingAs(counsel)
      .withCsrfToken()
      .redirects(0)
    approve.assertStatus(302)
    assert.match(String(approve.flashMessages().success), /no longer has access/)
    const approved = await MerchantTermination.findOrFail(termination.id)
    assert.equal(approved.status, 'approved')
    assert.equal(approved.approvedByUserId, counsel.id)
    const merchantRow = await db.from('merchants').where('id', merchant.id).first()
    assert.equal(merchantRow.status, 'terminating')

    // Both people by name for the DPO; no action is left to take
    const done = await client.get(url).actingAs(dpo)
    assert.include(done.text(), 'by Test dpo')
    assert.include(done.text(), 'by Test legal_counsel')
    assert.notInclude(done.text(), 'data-actions')
  })

  test('merchant users and staff without termination rights are refused', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const termination = await requested(merchant)
    const url = `/dsr/terminations/${termination.id}`
    const ownAdmin = await merchantUser(merchant, 'merchant_admin')
    const otherAdmin = await merchantUser(await createMerchant(), 'merchant_admin')
    const analyst = await staffUser('privacy_analyst')
    const auditor = await staffUser('auditor')
    for (const user of [ownAdmin, otherAdmin, analyst, auditor]) {
      const list = await client.get('/dsr/terminations').actingAs(user)
      list.assertStatus(403)
      const page = await client.get(url).actingAs(user)
      page.assertStatus(403)
      const post = await client.post(`${url}/prepare`).actingAs(user).withCsrfToken().redirects(0)
      post.assertStatus(403)
    }
    const untouched = await MerchantTermination.findOrFail(termination.id)
    assert.equal(untouched.status, 'requested')
  })

  test('the DPO dashboard counts terminations awaiting staff and links to exactly that list', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    await requested(await createMerchant())
    const analyst = await staffUser('privacy_analyst')
    const dashboard = await client.get('/').actingAs(dpo)
    const card =
      /data-card="terminations_awaiting_staff">\s*<div class="value">([\d,]+)<\/div>\s*<div class="label">\s*<a href="([^"]+)">/.exec(
        dashboard.text()
      )!
    const href = card[2].replace(/&amp;/g, '&')
    assert.equal(href, '/dsr/terminations?status=awaiting_staff')
    const list = await client.get(href).actingAs(dpo)
    assert.include(list.text(), `${card[1]} termination request`)
    const other = await client.get('/').actingAs(analyst)
    assert.notInclude(other.text(), 'terminations_awaiting_staff')
  })
})
