import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import TransferImpactAssessment from '#vendors/models/transfer_impact_assessment'
import objections from '#vendors/services/objections'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import { approvedTia, publishedSubprocessor } from '#tests/helpers/vendors'

/** The options of one select in a rendered page, with whether each is selected. */
function optionsOf(html: string, selectId: string) {
  const select = new RegExp(`<select id="${selectId}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? ''
  return [...select.matchAll(/<option value="([^"]*)"\s*(selected)?/g)].map((m) => ({
    value: m[1],
    selected: m[2] === 'selected',
  }))
}

test.group('TIA drafts and decisions without defaults', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a draft is saved with only its destination and title; approval names what is missing', async ({
    client,
    assert,
  }) => {
    const preparer = await staffUser('dpo')
    const approver = await staffUser('dpo')
    const title = `Draft for India ${Date.now()}`
    const saved = await client
      .post('/vendors/tias')
      .actingAs(preparer)
      .withCsrfToken()
      .header('referer', '/vendors/tias/new')
      .form({ countryCode: 'IN', title, step1Transfers: 'Support staff in Bangalore.' })
      .redirects(0)
    saved.assertStatus(302)
    const tia = await TransferImpactAssessment.findByOrFail('title', title)
    assert.equal(tia.status, 'draft')
    assert.equal(tia.step1Transfers, 'Support staff in Bangalore.')
    assert.isNull(tia.step2Tool)
    assert.isNull(tia.riskRating)
    assert.isNull(tia.nextReviewOn)

    const show = await client.get(`/vendors/tias/${tia.id}`).actingAs(preparer)
    show.assertStatus(200)
    assert.include(show.text(), 'data-step-missing="step2Tool"')
    assert.include(show.text(), 'Not decided yet')

    const refused = await client
      .post(`/vendors/tias/${tia.id}/approve`)
      .actingAs(approver)
      .withCsrfToken()
      .header('referer', `/vendors/tias/${tia.id}`)
      .redirects(0)
    refused.assertStatus(302)
    const message = String(refused.flashMessages().error)
    assert.match(message, /^Complete the assessment before approving it/)
    assert.include(message, 'Risk rating')
    assert.include(message, 'Next review')
    await tia.refresh()
    assert.equal(tia.status, 'draft')

    // Completed later, it is approved
    const today = DateTime.utc().startOf('day')
    await client
      .post(`/vendors/tias/${tia.id}`)
      .actingAs(preparer)
      .withCsrfToken()
      .header('referer', `/vendors/tias/${tia.id}/edit`)
      .form({
        countryCode: 'IN',
        title,
        step1Transfers: 'Support staff in Bangalore.',
        step2Tool: 'SCC Module 3 with the support vendor.',
        step3Assessment: 'Indian DPDP Act 2023 and surveillance law.',
        step4Measures: 'Pseudonymised tickets, no bulk export.',
        step5Procedural: 'SCCs incorporated without change.',
        step6Reevaluation: 'Yearly, and on any change in Indian law.',
        riskRating: 'medium',
        reviewedOn: today.toISODate(),
        nextReviewOn: today.plus({ years: 1 }).toISODate(),
      })
      .redirects(0)
    await client
      .post(`/vendors/tias/${tia.id}/approve`)
      .actingAs(approver)
      .withCsrfToken()
      .redirects(0)
    await tia.refresh()
    assert.equal(tia.status, 'approved')
  })

  test('the database refuses an approved assessment with a missing step', async ({ assert }) => {
    const tia = await approvedTia({ countryCode: 'IN' })
    await assert.rejects(
      () =>
        db
          .from('transfer_impact_assessments')
          .where('id', tia.id)
          .update({ step_3_assessment: null }),
      /tias_complete_unless_draft_check/
    )
  })

  test('risk and objection outcome have no pre-selected answer; the country is picked by name', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const fresh = await client.get('/vendors/tias/new').actingAs(dpo)
    fresh.assertStatus(200)
    const risks = optionsOf(fresh.text(), 'riskRating')
    assert.deepEqual(
      risks.map((o) => o.value),
      ['', 'low', 'medium', 'high']
    )
    assert.isFalse(risks.some((o) => o.selected))
    const countries = optionsOf(fresh.text(), 'countryCode')
    assert.isAbove(countries.length, 100, 'countries are chosen from a list')
    assert.include(fresh.text(), '>Egypt</option>')

    const earlier = await approvedTia({ countryCode: 'US', riskRating: 'high' })
    const reassessment = await client.get(`/vendors/tias/new?from=${earlier.id}`).actingAs(dpo)
    assert.isFalse(optionsOf(reassessment.text(), 'riskRating').some((o) => o.selected))

    const { subprocessor } = await publishedSubprocessor()
    const merchant = await createMerchant()
    const { objection } = await objections.raise({
      subprocessorId: subprocessor.id,
      merchantId: merchant.id,
      reason: 'Not in our contracts.',
      via: 'api',
    })
    const list = await client.get('/vendors/objections?status=open').actingAs(dpo)
    const outcomes = optionsOf(list.text(), `outcome-${objection.id}`)
    assert.isAbove(outcomes.length, 1)
    assert.deepEqual(
      outcomes.filter((o) => o.selected).map((o) => o.value),
      [''],
      'only the "choose" prompt is selected'
    )
  })
})
