import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import {
  CLAIMED_MEASURES,
  claimNamed,
  isBacked,
  simulateAbsentModule,
  simulateModule,
  unbackedClaims,
} from '#data_map/claimed_measures'
import ropaService from '#data_map/services/ropa_service'
import reportService from '#reports/services/report_service'
import transferAssessments from '#vendors/services/transfer_assessments'
import VendorsSeeder from '#database/seeders/50_vendors_seeder'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { readPdf } from '#tests/helpers/pdf'
import { tiaInput } from '#tests/helpers/vendors'

/* Claims that state something as fact in `text`, among those not backed by a module today. */
function stated(text: string) {
  return unbackedClaims().filter((c) => c.patterns.some((p) => p.test(text)))
}

async function seedAll() {
  await new VendorsSeeder(db.connection()).run()
  await seedDataMap()
}

test.group('data_map / claimed measures are tied to the modules that implement them', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('each claim names its module; it is backed exactly when that module exists', ({
    assert,
  }) => {
    for (const claim of CLAIMED_MEASURES) {
      assert.match(claim.module, /^[a-z_]+(\/[a-z_]+)*(\.ts)?$/)
      assert.isNotEmpty(claim.patterns, claim.id)
      assert.equal(isBacked(claim.id), existsSync(app.makePath('app', claim.module)), claim.id)
      // A claim's own wording is recognised as that claim
      assert.isTrue(
        claim.patterns.some((p) => p.test(claim.text)),
        `${claim.id}: its patterns must match its text`
      )
    }
    // Today the breach features do not exist (the conversation, DSR and government-request
    // modules do)
    for (const id of [
      'minimisation',
      'webhook_signatures',
      'purpose_guard',
      'messaging_window',
      'agent_isolation',
      'dsr_location',
      'government_request_register',
      'transparency_reports',
    ]) {
      assert.isTrue(isBacked(id), id)
    }
    assert.includeMembers(
      unbackedClaims().map((c) => c.id),
      ['breach_notice']
    )
  })

  test('the RoPA, its CSV and Annex II state no unbacked measure; a module switches its claims on', async ({
    assert,
  }) => {
    await createMerchant()
    await seedAll()
    const record = await ropaService.build()
    const json = JSON.stringify(
      record.securityMeasures.concat(
        record.controllers.flatMap((c) => c.activities.flatMap((a) => a.securityMeasures))
      )
    )
    assert.deepEqual(
      stated(json).map((c) => c.id),
      []
    )
    assert.deepEqual(
      stated(ropaService.toCsv(record)).map((c) => c.id),
      []
    )

    const annexes = await readPdf(
      await reportService.read(
        await reportService.generate({ kind: 'scc-annexes', generatedBy: 'Claims test' })
      )
    )
    const annexII = annexes.text.split('ANNEX II')[1].split('ANNEX III')[0]
    assert.deepEqual(
      stated(annexII).map((c) => c.id),
      []
    )
    assert.include(annexes.compact, 'AES-256-GCM')
    // Annex II promised a register of authority requests: it now names it as a measure in place
    assert.include(annexII.replace(/\s+/g, ' '), 'every request recorded in a register (Cl. 15)')
    assert.include(record.securityMeasures, claimNamed('transparency_reports').text)

    const restore = [simulateModule('conversations'), simulateModule('breaches')]
    try {
      const later = await ropaService.build()
      assert.include(later.securityMeasures, 'Webhook signatures verified (X-Hub-Signature-256)')
      assert.include(
        later.securityMeasures,
        '24-hour window and opt-outs enforced before any reply'
      )
      assert.include(
        later.securityMeasures,
        'Breach notification to the exporter without undue delay (Cl. 8.6)'
      )
    } finally {
      restore.forEach((undo) => undo())
    }
  })

  test('a TIA cannot rely on a measure that is not in place; the seeded TIAs state none as fact', async ({
    assert,
  }) => {
    await createMerchant()
    await seedAll()
    const dpo = await staffUser('dpo')
    const restore = simulateAbsentModule('government_requests')
    try {
      const error = await transferAssessments
        .create(tiaInput({ supplementaryMeasures: ['transparency_reports'] }), dpo.id)
        .catch((e) => e)
      assert.equal(error.details[0].field, 'supplementaryMeasures')
      assert.match(error.message, /Not in place yet/)
    } finally {
      restore()
    }
    // With the module in place the same measure may be relied on
    const tiaRow = await transferAssessments.create(
      tiaInput({ supplementaryMeasures: ['transparency_reports', 'government_request_policy'] }),
      dpo.id
    )
    assert.includeMembers(tiaRow.supplementaryMeasures, ['transparency_reports'])

    const tia = await readPdf(
      await reportService.read(await reportService.generate({ kind: 'tia', generatedBy: 'T' }))
    )
    const found = stated(tia.text)
      .flatMap((c) =>
        c.patterns.map((p) => tia.text.match(new RegExp(`.{0,60}${p.source}.{0,30}`, 'i'))?.[0])
      )
      .filter(Boolean)
    assert.deepEqual(found, [], found.join(' | '))
    assert.notInclude(tia.text, 'Not in place yet')
    // The Egyptian TIA, which promised a register of authority requests, now names this module
    const compactTia = tia.text.replace(/\s+/g, ' ')
    assert.include(compactTia, 'government-request register (app/government_requests)')
    assert.include(compactTia, 'Government-request policy: challenge, minimise, notify')
  })

  test('ARCHITECTURE.md describes unbuilt features only as future work', async ({ assert }) => {
    const text = await readFile(app.makePath('ARCHITECTURE.md'), 'utf8')
    const sentences = text.replace(/\n(?!\n)/g, ' ').split(/(?<=[.!?])\s+|\n\n/)
    for (const sentence of sentences) {
      const claims = stated(sentence)
      if (!claims.length) continue
      assert.match(
        sentence,
        /\bwill\b|not built yet|not yet|next\)/,
        `states ${claims.map((c) => c.id).join(', ')} as fact: "${sentence.trim()}"`
      )
    }
  })
})
