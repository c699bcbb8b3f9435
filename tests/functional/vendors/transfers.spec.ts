import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import TransferImpactAssessment from '#vendors/models/transfer_impact_assessment'
import SccParty from '#vendors/models/scc_party'
import vendors from '#vendors/services/vendors'
import sccAgreements from '#vendors/services/scc_agreements'
import transferAssessments from '#vendors/services/transfer_assessments'
import { runJob } from '#core/queue'
import {
  approvedTia,
  effectiveSubprocessor,
  module3Agreement,
  tiaInput,
  isCompliant,
  recordPdplLicence,
} from '#tests/helpers/vendors'

test.group('vendors / transfers: SCCs, TIAs and compliance', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a transfer is compliant only with a binding mechanism and a current TIA', async ({
    assert,
  }) => {
    const openai = await effectiveSubprocessor({ name: 'OpenAI test' })

    let verdict = await vendors.isTransferCompliant(openai.id)
    assert.isFalse(verdict.compliant)
    assert.lengthOf(verdict.reasons, 3)
    assert.match(verdict.reasons.join(' '), /No PDPC transfer licence \(PDPL Art\. 14\)/)
    await recordPdplLicence(openai)
    verdict = await vendors.isTransferCompliant(openai.id)
    assert.lengthOf(verdict.reasons, 2)
    assert.match(verdict.reasons.join(' '), /no active Module 3 agreement/)
    assert.match(
      verdict.reasons.join(' '),
      /No current transfer impact assessment for United States/
    )

    await module3Agreement(openai)
    verdict = await vendors.isTransferCompliant(openai.id)
    assert.deepEqual(verdict.reasons, ['No current transfer impact assessment for United States.'])

    const tia = await approvedTia({ countryCode: 'US' })
    verdict = await vendors.isTransferCompliant(openai.id)
    assert.isTrue(verdict.compliant)
    assert.equal(verdict.countries[0].tiaId, tia.id)

    // A lapsed TIA is not current
    await TransferImpactAssessment.query()
      .where('id', tia.id)
      .update({
        reviewed_on: DateTime.utc().minus({ years: 2 }).toISODate(),
        next_review_on: DateTime.utc().minus({ days: 1 }).toISODate(),
      })
    assert.isFalse(await isCompliant(openai.id))
  })

  test('EEA processing needs no TIA; a draft TIA does not count', async ({ assert }) => {
    const eu = await effectiveSubprocessor({
      name: 'EU host',
      transferMechanism: 'none_eea',
      processingCountries: ['IE', 'DE'],
      aiProvider: false,
    })
    // GDPR needs nothing inside the EEA; PDPL still needs the licence for Egypt -> EEA
    const before = await vendors.isTransferCompliant(eu.id)
    assert.isTrue(before.countries.every((c) => c.gdpr.compliant))
    assert.isFalse(before.compliant)
    assert.isTrue(before.countries.every((c) => !c.pdpl.compliant))
    await recordPdplLicence(eu)
    assert.isTrue(await isCompliant(eu.id))

    await transferAssessments.create(tiaInput({ countryCode: 'EG' }), null)
    const egypt = await vendors.isTransferCompliant('EG')
    assert.isFalse(egypt.compliant)
    assert.include(egypt.reasons.join(' '), 'No current transfer impact assessment for Egypt')
  })

  test('the Module 2 SCCs with an Egyptian importer and a current TIA cover transfers to EG', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const agreement = await sccAgreements.create({
      reference: 'SCC-M2-TEST',
      title: 'Merchants to Conversera',
      module: 2,
      signedOn: new Date('2026-01-10'),
      governingLawCountry: 'IE',
      supervisoryAuthority: 'Data Protection Commission (Ireland)',
      transferFrequency: 'Continuous',
      processingNature: 'Conversation handling for merchants.',
    })
    await sccAgreements.addParty(agreement, {
      side: 'importer',
      role: 'processor',
      name: 'Conversera Technologies',
      address: 'Cairo, Egypt',
      countryCode: 'EG',
      contact: 'DPO, privacy@conversera.io',
      activities: 'Processing on behalf of merchants.',
    })
    await approvedTia({ countryCode: 'EG', title: 'Transfers to Egypt' })
    assert.isTrue(await isCompliant('EG'))

    const party = await sccAgreements.accede(agreement, merchant.id)
    assert.equal(party.joinedVia, 'accession')
    assert.equal(party.side, 'exporter')
    assert.equal(party.role, 'controller')
    await assert.rejects(() => sccAgreements.accede(agreement, merchant.id), /already a party/)
    assert.lengthOf(
      await SccParty.query().where({ agreementId: agreement.id, merchantId: merchant.id }),
      1
    )
  })

  test('Module 3 without a subprocessor and an unknown reference rules are refused', async ({
    assert,
  }) => {
    const error = await sccAgreements
      .create({
        reference: 'SCC-M3-NONE',
        title: 'Missing importer',
        module: 3,
        signedOn: new Date('2026-01-10'),
        governingLawCountry: 'IE',
        supervisoryAuthority: 'DPC',
        transferFrequency: 'Continuous',
        processingNature: 'x',
      })
      .catch((e) => e)
    assert.equal(error.code, 'validation_failed')
    assert.equal(error.details[0].field, 'subprocessorId')
  })

  test('approving a TIA supersedes the previous one; the flag job marks due and overdue', async ({
    assert,
  }) => {
    const today = DateTime.utc().startOf('day')
    const old = await approvedTia({ countryCode: 'US' })
    const renewed = await approvedTia({ countryCode: 'US', title: 'US, renewed' })
    await old.refresh()
    assert.equal(old.status, 'superseded')
    assert.equal(renewed.status, 'approved')

    const soon = await approvedTia({
      countryCode: 'EG',
      reviewedOn: today.minus({ days: 300 }).toJSDate(),
      nextReviewOn: today.plus({ days: 10 }).toJSDate(),
    })
    const late = await approvedTia({
      countryCode: 'IN',
      reviewedOn: today.minus({ days: 400 }).toJSDate(),
      nextReviewOn: today.plus({ days: 40 }).toJSDate(),
    })
    await TransferImpactAssessment.query()
      .where('id', late.id)
      .update({ next_review_on: today.minus({ days: 3 }).toISODate() })

    const result = await runJob('vendors.flag_due_tias', {})
    assert.deepEqual(result, { checked: 3, ok: 1, due_soon: 1, overdue: 1 })
    await soon.refresh()
    await late.refresh()
    assert.equal(soon.dueState, 'due_soon')
    assert.equal(late.dueState, 'overdue')
    const due = await transferAssessments.dueList()
    assert.deepEqual(
      due.map((t) => t.countryCode),
      ['IN', 'EG']
    )
  })

  test('an approved TIA cannot be edited', async ({ assert }) => {
    const tia = await approvedTia()
    const error = await transferAssessments
      .update(tia, tiaInput({ title: 'Changed' }))
      .catch((e) => e)
    assert.equal(error.code, 'tia_not_draft')
    await tia.refresh()
    assert.equal(tia.title, 'Transfers to the United States')
  })

  test('the dashboard shows the flagged TIAs to staff who may read them', async ({
    client,
    assert,
  }) => {
    const today = DateTime.utc().startOf('day')
    await approvedTia({
      countryCode: 'EG',
      reviewedOn: today.minus({ days: 300 }).toJSDate(),
      nextReviewOn: today.plus({ days: 5 }).toJSDate(),
    })
    await runJob('vendors.flag_due_tias', {})
    const dpo = await staffUser('dpo')
    const page = await client.get('/').actingAs(dpo)
    page.assertStatus(200)
    const card = page.text().match(/data-card="tias_due">\s*<div class="value">(\d+)<\/div>/)
    assert.isNotNull(card)
    assert.equal(card![1], '1')

    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const merchantPage = await client.get('/').actingAs(admin)
    assert.notInclude(merchantPage.text(), 'data-card="tias_due"')
  })

  test('dpf counts only with a recorded certification, and compliant means both regimes', async ({
    assert,
  }) => {
    const meta = await effectiveSubprocessor({
      name: 'Channel test',
      transferMechanism: 'dpf',
      processingCountries: ['US', 'IE'],
      aiProvider: false,
    })
    await approvedTia({ countryCode: 'US' })
    await recordPdplLicence(meta)
    let verdict = await vendors.isTransferCompliant(meta.id)
    assert.isFalse(verdict.compliant)
    assert.deepEqual(verdict.reasons, [
      'Channel test relies on the EU-US Data Privacy Framework but no certification (list entry and date) is recorded.',
    ])
    const us = verdict.countries.find((c) => c.country === 'US')!
    assert.isFalse(us.gdpr.compliant)
    assert.isTrue(us.pdpl.compliant)

    meta.merge({
      dpfCertificationEntry: 'https://www.dataprivacyframework.gov/list (Channel test, Inc.)',
      dpfCertifiedOn: DateTime.utc().minus({ days: 3 }).startOf('day'),
    })
    await meta.save()
    verdict = await vendors.isTransferCompliant(meta.id)
    assert.isTrue(verdict.compliant)
    assert.isTrue(verdict.countries.every((c) => c.gdpr.compliant && c.pdpl.compliant))

    // Without the PDPL licence the GDPR side alone is not enough
    meta.merge({ pdplLicenceReference: null, pdplLicenceIssuedOn: null })
    await meta.save()
    verdict = await vendors.isTransferCompliant(meta.id)
    assert.isFalse(verdict.compliant)
    assert.isTrue(verdict.countries.every((c) => c.gdpr.compliant && !c.pdpl.compliant))
  })

  test('a TIA is approved by a second person only: its preparer, or an unknown preparer, is refused', async ({
    assert,
  }) => {
    const [preparer, approver] = [await staffUser('dpo'), await staffUser('dpo')]
    const tia = await transferAssessments.create(tiaInput(), preparer.id)
    assert.equal(tia.preparedByUserId, preparer.id)
    const own = await transferAssessments.approve(tia, preparer.id).catch((e) => e)
    assert.equal(own.code, 'segregation_of_duties')
    assert.equal(own.status, 403)
    await tia.refresh()
    assert.equal(tia.status, 'draft')

    const anonymous = await transferAssessments.create(tiaInput(), null)
    const unknown = await transferAssessments.approve(anonymous, approver.id).catch((e) => e)
    assert.equal(unknown.code, 'segregation_of_duties')

    const approved = await transferAssessments.approve(tia, approver.id)
    assert.equal(approved.status, 'approved')
    assert.equal(approved.approvedByUserId, approver.id)
  })
})
