import { test } from '@japa/runner'
import { compareInventory, type LiveColumn } from '#data_map/inventory/schema_check'
import type { InventoriedTable } from '#data_map/inventory/collector'

const live = (table: string, columns: Record<string, string>): LiveColumn[] =>
  Object.entries(columns).map(([column, dataType]) => ({ table, column, dataType }))

const customers: InventoriedTable = {
  table: 'customers',
  module: 'conversations',
  personal: {
    phone: {
      category: 'customer.contact.phone',
      identifiesSubject: true,
      encrypted: true,
      retention: 'customer.contact.phone',
    },
    phone_bidx: {
      category: 'customer.contact.phone',
      identifiesSubject: true,
      encrypted: true,
      form: 'keyed_hash',
      retention: 'customer.contact.phone',
    },
  },
  nonPersonal: ['id', 'merchant_id', 'created_at'],
  retention: {
    category: 'customer.contact.phone',
    from: 'created_at',
    merchantColumn: 'merchant_id',
  },
}
const customersLive = live('customers', {
  id: 'integer',
  merchant_id: 'integer',
  created_at: 'timestamp with time zone',
  phone: 'bytea',
  phone_bidx: 'character',
})

test.group('data_map / field inventory comparison', () => {
  test('an inventory that matches the schema has no issues', ({ assert }) => {
    const result = compareInventory([customers], customersLive)
    assert.deepEqual(result.issues, [])
    assert.equal(result.tables, 1)
    assert.equal(result.columns, 5)
  })

  test('a column the inventory does not know is reported as unmapped', ({ assert }) => {
    const result = compareInventory(
      [customers],
      [...customersLive, { table: 'customers', column: 'nickname', dataType: 'text' }]
    )
    assert.deepEqual(
      result.issues.map((i) => [i.kind, i.table, i.column]),
      [['unmapped', 'customers', 'nickname']]
    )
  })

  test('a whole table nobody classified is reported column by column', ({ assert }) => {
    const result = compareInventory(
      [customers],
      [...customersLive, ...live('notes', { id: 'integer', body: 'text' })]
    )
    assert.deepEqual(
      result.issues.map((i) => `${i.kind}:${i.table}.${i.column}`),
      ['unmapped:notes.id', 'unmapped:notes.body']
    )
  })

  test('a mapped column that is gone from the schema is reported as missing', ({ assert }) => {
    const result = compareInventory(
      [customers],
      customersLive.filter((c) => c.column !== 'phone')
    )
    assert.deepEqual(
      result.issues.map((i) => `${i.kind}:${i.column}`),
      ['missing:phone']
    )
  })

  test('personal data not marked encrypted fails, and so does "encrypted" plaintext storage', ({
    assert,
  }) => {
    const plain: InventoriedTable = {
      ...customers,
      personal: {
        ...customers.personal,
        phone: { ...customers.personal!.phone, encrypted: false },
      },
    }
    assert.deepEqual(
      compareInventory([plain], customersLive).issues.map((i) => `${i.kind}:${i.column}`),
      ['unencrypted:phone']
    )
    const textColumn = customersLive.map((c) =>
      c.column === 'phone' ? { ...c, dataType: 'text' } : c
    )
    const issues = compareInventory([customers], textColumn).issues
    assert.deepEqual(
      issues.map((i) => `${i.kind}:${i.column}`),
      ['not_ciphertext:phone']
    )
    assert.include(issues[0].message, 'stored as text')
  })

  test('a table claimed twice, or a column listed both ways, is a conflict', ({ assert }) => {
    const twice = compareInventory([customers, { ...customers, module: 'other' }], customersLive)
    assert.deepEqual(
      twice.issues.map((i) => i.kind),
      ['conflict']
    )
    const both = compareInventory(
      [{ ...customers, nonPersonal: [...customers.nonPersonal, 'phone'] }],
      customersLive
    )
    assert.deepEqual(
      both.issues.map((i) => `${i.kind}:${i.column}`),
      ['conflict:phone']
    )
  })

  test('retention must count from a timestamp column of the table', ({ assert }) => {
    const wrong: InventoriedTable = {
      ...customers,
      retention: { category: 'customer.contact.phone', from: 'id' },
    }
    assert.deepEqual(
      compareInventory([wrong], customersLive).issues.map((i) => `${i.kind}:${i.column}`),
      ['bad_retention:id']
    )
  })

  test('a category the taxonomy does not know is reported once the taxonomy is seeded', ({
    assert,
  }) => {
    const taxonomy = new Set(['customer.contact.email'])
    const issues = compareInventory([customers], customersLive, taxonomy).issues
    assert.deepEqual(
      issues.map((i) => `${i.kind}:${i.column}`),
      ['unknown_category:phone', 'unknown_category:phone_bidx', 'unknown_category:null']
    )
    assert.deepEqual(compareInventory([customers], customersLive, new Set()).issues, [])
  })
})
