import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import keyring from '#keys/services/keyring'
import reportService from '#reports/services/report_service'
import ropaService from '#data_map/services/ropa_service'
import { createMerchant } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { readPdf } from '#tests/helpers/pdf'

/*
 * What the signed PDFs print, read back as text: table headers and dates are never broken
 * mid-word (a split word comes back as two tokens), counts agree with their nouns, and the RoPA
 * names the system behind each transfer and lists each measure once, without stray separators.
 */
test.group('PDF wording', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the key-management report keeps headers and dates whole and says "1 version"', async ({
    assert,
  }) => {
    const merchant = await createMerchant(`pdf-keys-${Date.now().toString(36)}`)
    await keyring.scope(merchant.id, true)
    const report = await reportService.generate({
      kind: 'key-management',
      merchant,
      generatedBy: 'test',
    })
    const { text } = await readPdf(await reportService.read(report))
    for (const header of [
      'Scope',
      'Provider / key',
      'Current',
      'Versions',
      'Subject keys active / destroyed',
      'Created',
      'Deletion',
    ]) {
      assert.include(text, header, `the header “${header}” is printed whole`)
    }
    const today = DateTime.utc().toISODate()!
    assert.match(text, new RegExp(`(^| )${today}( |$)`), 'the creation date is printed whole')
    assert.match(text, /\b1 version\b/)
    assert.notMatch(text, /\b1 versions\b/)
  })

  test('the RoPA names the system of each transfer and lists every measure once', async ({
    assert,
  }) => {
    await seedDataMap()
    const merchant = await createMerchant()
    const record = await ropaService.build(merchant)
    const transfers = record.controllers[0].transfers
    assert.isNotEmpty(transfers)
    const report = await reportService.generate({ kind: 'ropa', merchant, generatedBy: 'test' })
    const { text } = await readPdf(await reportService.read(report))
    assert.include(text, 'From system')
    for (const transfer of transfers) {
      assert.isNotEmpty(transfer.fromSystem)
      for (const system of transfer.fromSystem.split(', '))
        assert.include(text, system, `${transfer.recipient}: its system is named`)
    }
    const measures = text.slice(text.indexOf('Technical and organisational security measures'))
    for (const measure of record.securityMeasures) {
      const first = measures.indexOf(measure)
      assert.isAbove(first, -1, `printed: ${measure}`)
      assert.equal(measures.indexOf(measure, first + measure.length), -1, `once: ${measure}`)
    }
    assert.notMatch(text, /;\s*;|;\s*$|^\s*;|\s;\s/)
    assert.notInclude(measures, '?', 'every character has a glyph')
    // A platform measure is not restated in other words by a system or an activity
    assert.notInclude(measures, 'Login rate limiting')
    assert.notInclude(measures, 'Field-level AES-256-GCM')
  })
})
