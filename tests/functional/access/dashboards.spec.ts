import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import type User from '#access/models/user'
import { runJob } from '#core/queue'
import auditTrail from '#audit/services/audit_trail'
import auditCheckpoints from '#audit/services/audit_checkpoints'
import reportService from '#reports/services/report_service'
import objections from '#vendors/services/objections'
import retentionPolicy from '#data_map/services/retention_policy'
import DataCategory from '#data_map/models/data_category'
import { bearerToken, createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { approvedTia, publishedSubprocessor } from '#tests/helpers/vendors'
import { seedDataMap } from '#tests/helpers/data_map'
import { isolatedCheckpoints } from '#tests/helpers/checkpoints'

/** The dashboard's cards as shown: key → { value, href }. */
async function cardsOf(client: ApiClient, user: User) {
  const response = await client.get('/').actingAs(user)
  response.assertStatus(200)
  const html = response.text()
  const cards = new Map<string, { value: number; href: string | null }>()
  for (const match of html.matchAll(
    /data-card="([a-z_0-9]+)">\s*<div class="value">([\d,]+)<\/div>\s*<div class="label">\s*(?:<a href="([^"]+)">)?/g
  )) {
    const href = match[3] ? match[3].replace(/&amp;/g, '&') : null
    cards.set(match[1], { value: Number(match[2].replace(/,/g, '')), href })
  }
  return { html, cards }
}

/** Follows a card's link as the same user; the list must answer and apply its filter. */
async function follow(client: ApiClient, user: User, href: string | null | undefined) {
  if (!href) throw new Error('the card has no link')
  const response = await client.get(href).actingAs(user)
  response.assertStatus(200)
  return response.text()
}

async function count(query: any) {
  const row = await query.count('* as n').first()
  return Number(row.n)
}

test.group('Dashboards per role', (group) => {
  // Checkpoint files live outside the transaction: each test signs into its own directory
  group.each.setup(isolatedCheckpoints)

  test('the DPO sees due and overdue TIAs, open objections and pending notices, each linked to its filtered list', async ({
    client,
    assert,
  }) => {
    const today = DateTime.utc().startOf('day')
    const tag = Date.now().toString(36)
    await approvedTia({
      countryCode: 'EG',
      title: `Due soon ${tag}`,
      reviewedOn: today.minus({ days: 300 }).toJSDate(),
      nextReviewOn: today.plus({ days: 5 }).toJSDate(),
    })
    await approvedTia({
      countryCode: 'IN',
      title: `Overdue ${tag}`,
      reviewedOn: today.minus({ days: 400 }).toJSDate(),
      nextReviewOn: today.minus({ days: 3 }).toJSDate(),
    })
    await runJob('vendors.flag_due_tias', {})
    const { subprocessor } = await publishedSubprocessor({ name: `Announced ${tag}` })
    const merchant = await createMerchant()
    await objections.raise({
      subprocessorId: subprocessor.id,
      merchantId: merchant.id,
      reason: 'Processing outside Egypt is not in our contracts.',
      via: 'api',
    })

    const dpo = await staffUser('dpo')
    const { html, cards } = await cardsOf(client, dpo)
    assert.notInclude(html, 'roles-chart', 'no chart of users by role')

    const tiaCount = (state: string) =>
      count(
        db.from('transfer_impact_assessments').where('status', 'approved').where('due_state', state)
      )
    assert.equal(cards.get('tias_due')!.value, await tiaCount('due_soon'))
    assert.equal(cards.get('tias_overdue')!.value, await tiaCount('overdue'))
    assert.equal(
      cards.get('objections_open')!.value,
      await count(db.from('subprocessor_objections').where('status', 'open'))
    )
    assert.equal(
      cards.get('notices_pending')!.value,
      await count(db.from('subprocessors').where('status', 'notice_published'))
    )
    for (const key of ['tias_due', 'tias_overdue', 'objections_open', 'notices_pending'])
      assert.isAtLeast(cards.get(key)!.value, 1, key)

    // The filtered list follows the filter bar (above it, the page's own due panel lists both)
    const listed = (page: string) => page.slice(page.indexOf('data-filter-bar'))
    const due = listed(await follow(client, dpo, cards.get('tias_due')!.href))
    assert.include(due, `Due soon ${tag}`)
    assert.notInclude(due, `Overdue ${tag}`)
    const overdue = listed(await follow(client, dpo, cards.get('tias_overdue')!.href))
    assert.include(overdue, `Overdue ${tag}`)
    assert.notInclude(overdue, `Due soon ${tag}`)
    const pending = await follow(client, dpo, cards.get('notices_pending')!.href)
    assert.include(pending, `Announced ${tag}`)
    const open = await follow(client, dpo, cards.get('objections_open')!.href)
    assert.include(open, 'Processing outside Egypt is not in our contracts.')

    // The DPO reviews the trail too: chain status and recent reports
    assert.include(html, 'id="chain-status"')
    assert.include(html, 'id="recent-reports"')

    // Every card reads in the page's language
    assert.include(html, 'TIAs due for review within 30 days')
    const arabic = await client.get('/').actingAs(dpo).header('accept-language', 'ar')
    assert.include(arabic.text(), 'تقييمات أثر النقل المستحقة للمراجعة خلال ٣٠ يومًا')
    assert.notInclude(arabic.text(), 'TIAs due for review')
  })

  test('the auditor sees the chain status, events since the last checkpoint, the latest checkpoints and recent reports', async ({
    client,
    assert,
  }) => {
    const auditor = await staffUser('auditor')
    const before = await cardsOf(client, auditor)
    assert.notInclude(before.html, 'data-card="tias_due"', 'no work cards for an auditor')
    assert.notInclude(before.html, 'data-card="objections_open"')

    const verdict = await auditTrail.verifyAndRecord()
    const checkpoint = await auditCheckpoints.take()
    await auditTrail.record({ action: 'dashboard.test_event', actor: { type: 'system' } })
    await auditTrail.record({ action: 'dashboard.test_event', actor: { type: 'system' } })
    const report = await reportService.generate({ kind: 'access-review', generatedBy: 'test' })

    const { html } = await cardsOf(client, auditor)
    assert.include(html, `data-chain-verdict="${verdict.valid ? 'intact' : 'broken'}"`)
    const since = Number(/data-since-checkpoint="(\d+)"/.exec(html)?.[1])
    assert.equal(
      since,
      await count(db.from('audit_events').where('id', '>', checkpoint!.eventId)),
      'events appended since the checkpoint'
    )
    assert.isAtLeast(since, 2)
    assert.include(html, `data-checkpoint="${checkpoint!.id}"`)
    assert.include(html, `data-document-id="${report.documentId}"`)
    assert.include(html, '/audit?action=audit.chain_verified')
    const verifications = await follow(client, auditor, '/audit?action=audit.chain_verified')
    assert.include(verifications, 'data-action="audit.chain_verified"')
    assert.notInclude(verifications, 'data-action="dashboard.test_event"')
  })

  test('a broken verification shows as broken', async ({ client, assert }) => {
    await auditTrail.record({
      action: 'audit.chain_verified',
      outcome: 'failure',
      actor: { type: 'system' },
      meta: { checked: 10, brokenAt: 7 },
    })
    const { html } = await cardsOf(client, await staffUser('auditor'))
    assert.match(html, /data-chain-verdict="broken"/)
    assert.include(html, 'event #7')
  })

  test('the admin sees staff without MFA and recent denials, linked to the filtered lists', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const noMfa = await staffUser('privacy_analyst')
    noMfa.mfaEnabledAt = null
    noMfa.fullName = `No Second Factor ${Date.now()}`
    await noMfa.save()
    const withMfa = await staffUser('legal_counsel')
    await auditTrail.record({
      action: 'access.denied',
      outcome: 'denied',
      actor: { type: 'user', id: String(noMfa.id) },
      meta: { route: '/keys', method: 'GET' },
    })

    const { html, cards } = await cardsOf(client, admin)
    assert.notInclude(html, 'roles-chart')
    assert.equal(
      cards.get('staff_without_mfa')!.value,
      await count(
        db.from('users').where('kind', 'staff').whereNull('disabled_at').whereNull('mfa_enabled_at')
      )
    )
    const users = await follow(client, admin, cards.get('staff_without_mfa')!.href)
    assert.include(users, noMfa.fullName)
    assert.notInclude(users, withMfa.fullName)

    const weekAgo = DateTime.utc().startOf('day').minus({ days: 7 })
    assert.equal(
      cards.get('denials_7d')!.value,
      await count(
        db
          .from('audit_events')
          .where('action', 'access.denied')
          .where('occurred_at', '>=', weekAgo.toJSDate())
      )
    )
    assert.isAtLeast(cards.get('denials_7d')!.value, 1)
    const denials = await follow(client, admin, cards.get('denials_7d')!.href)
    assert.include(denials, 'data-action="access.denied"')
    assert.notInclude(denials, 'data-action="personal_data.read"')
    assert.isTrue(cards.has('expiring_tokens'), 'expiring tokens are counted for the admin')
  })

  test('the merchant admin sees its notices, objections, expiring tokens and retention, its own only', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const { subprocessor } = await publishedSubprocessor()
    await objections.raise({
      subprocessorId: subprocessor.id,
      merchantId: merchant.id,
      reason: 'We object.',
      via: 'api',
    })
    await objections.raise({
      subprocessorId: subprocessor.id,
      merchantId: other.id,
      reason: 'They object too.',
      via: 'api',
    })
    await bearerToken(merchant, {
      scopes: ['merchant:read'],
      name: 'expires soon',
      expiresAt: DateTime.now().plus({ days: 3 }),
    })
    await bearerToken(merchant, {
      scopes: ['merchant:read'],
      name: 'expires later',
      expiresAt: DateTime.now().plus({ days: 90 }),
    })
    await bearerToken(other, {
      scopes: ['merchant:read'],
      expiresAt: DateTime.now().plus({ days: 3 }),
    })
    await seedDataMap()
    const category = await DataCategory.query()
      .whereIn('id', db.from('retention_rules').select('data_category_id'))
      .orderBy('id')
      .firstOrFail()
    await retentionPolicy.setOverride(
      {
        merchantId: merchant.id,
        dataCategoryId: category.id,
        durationDays: 1,
        reason: 'Our policy is shorter.',
      },
      'merchant'
    )

    const { html, cards } = await cardsOf(client, admin)
    assert.notInclude(html, 'data-card="staff_without_mfa"')
    assert.notInclude(html, 'id="chain-status"')
    assert.equal(cards.get('my_objections_open')!.value, 1)
    assert.equal(cards.get('expiring_tokens')!.value, 1)
    assert.equal(cards.get('my_retention_overrides')!.value, 1)
    const openNotices = await count(
      db
        .from('subprocessor_change_notices')
        .whereIn(
          'id',
          db
            .from('subprocessor_notice_deliveries')
            .where('merchant_id', merchant.id)
            .select('notice_id')
        )
        .where('objection_deadline', '>=', new Date())
    )
    assert.equal(cards.get('my_notices_open')!.value, openNotices)
    assert.isAtLeast(openNotices, 1)

    const tokens = await follow(client, admin, cards.get('expiring_tokens')!.href)
    assert.include(tokens, 'expires soon')
    assert.notInclude(tokens, 'expires later')
    const notices = await follow(client, admin, cards.get('my_notices_open')!.href)
    assert.include(notices, subprocessor.name)
  })

  test('legal counsel has a navigation link to objections', async ({ client, assert }) => {
    const counsel = await staffUser('legal_counsel')
    const response = await client.get('/').actingAs(counsel)
    response.assertStatus(200)
    assert.match(response.text(), /<nav[^>]*>[\s\S]*href="\/vendors\/objections"[\s\S]*<\/nav>/)
  })
})
