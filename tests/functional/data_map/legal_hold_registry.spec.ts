import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { legalHoldFilter } from '#data_map/legal_holds'

/* Functional: the DSR module's holder, registered at start, reads the legal_holds table. */
test.group('data_map / legal hold registry', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('holders narrow a purge query and can be removed again', async ({ assert }) => {
    // The DSR module's holds register when the app starts (start/legal_holds.ts)
    assert.deepEqual(legalHoldFilter.holders(), ['dsr.legal_holds'])
    const remove = legalHoldFilter.register('test.holds', ({ query, table, merchantId }) => {
      if (table === 'messages' && merchantId === 7) query.whereNotIn('customer_id', [42])
    })
    assert.deepEqual(legalHoldFilter.holders(), ['dsr.legal_holds', 'test.holds'])

    const held = db.from('messages').where('merchant_id', 7)
    await legalHoldFilter.exclude({ table: 'messages', merchantId: 7, query: held })
    assert.include(held.toQuery(), 'not in (42)')

    const other = db.from('messages').where('merchant_id', 8)
    await legalHoldFilter.exclude({ table: 'messages', merchantId: 8, query: other })
    assert.notInclude(other.toQuery(), 'not in')

    remove()
    assert.deepEqual(legalHoldFilter.holders(), ['dsr.legal_holds'])
  })
})
