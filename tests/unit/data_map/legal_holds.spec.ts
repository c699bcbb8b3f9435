import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { legalHoldFilter } from '#data_map/legal_holds'

test.group('data_map / legal hold registry', () => {
  test('holders narrow a purge query and can be removed again', async ({ assert }) => {
    assert.deepEqual(legalHoldFilter.holders(), [], 'no module holds anything yet')
    const remove = legalHoldFilter.register('dsr.legal_holds', ({ query, table, merchantId }) => {
      if (table === 'messages' && merchantId === 7) query.whereNotIn('customer_id', [42])
    })
    assert.deepEqual(legalHoldFilter.holders(), ['dsr.legal_holds'])

    const held = db.from('messages').where('merchant_id', 7)
    await legalHoldFilter.exclude({ table: 'messages', merchantId: 7, query: held })
    assert.include(held.toQuery(), 'not in (42)')

    const other = db.from('messages').where('merchant_id', 8)
    await legalHoldFilter.exclude({ table: 'messages', merchantId: 8, query: other })
    assert.notInclude(other.toQuery(), 'not in')

    remove()
    assert.deepEqual(legalHoldFilter.holders(), [])
  })
})
