import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { checkFieldInventory } from '#data_map/inventory/schema_check'
import { registerExtraInventory } from '#data_map/inventory/collector'

const scratch = (personal: Record<string, { encrypted: boolean }>) =>
  registerExtraInventory({
    module: 'scratch',
    tables: {
      dm_scratch_customers: {
        personal: Object.fromEntries(
          Object.entries(personal).map(([column, { encrypted }]) => [
            column,
            {
              category: 'customer.contact.phone',
              identifiesSubject: true,
              encrypted,
              retention: 'customer.contact.phone',
            },
          ])
        ),
        nonPersonal: ['id'],
      },
    },
  })

async function issuesFor(table: string) {
  const { issues } = await checkFieldInventory()
  return issues
    .filter((issue) => issue.table === table)
    .map((issue) => `${issue.kind}:${issue.column}`)
}

test.group('data_map / datamap:check against the live schema', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every table the migrations create is classified, and only known gaps remain', async ({
    assert,
  }) => {
    const { issues } = await checkFieldInventory()
    const unclassified = issues.filter((issue) => issue.kind !== 'unencrypted')
    assert.deepEqual(unclassified, [], 'unmapped, missing or conflicting columns')
    // Personal data still stored in plaintext is named, column by column
    for (const issue of issues) assert.match(`${issue.table}.${issue.column}`, /^\w+\.\w+$/)
  })

  test('a new table with personal data fails the check until it is mapped and encrypted', async ({
    assert,
  }) => {
    await db.rawQuery('CREATE TABLE dm_scratch_customers (id serial PRIMARY KEY, phone text)')
    assert.sameMembers(await issuesFor('dm_scratch_customers'), ['unmapped:id', 'unmapped:phone'])

    let unregister = scratch({ phone: { encrypted: false } })
    assert.deepEqual(await issuesFor('dm_scratch_customers'), ['unencrypted:phone'])
    unregister()

    unregister = scratch({ phone: { encrypted: true } })
    assert.deepEqual(await issuesFor('dm_scratch_customers'), ['not_ciphertext:phone'])

    await db.rawQuery(
      "ALTER TABLE dm_scratch_customers ALTER COLUMN phone TYPE bytea USING convert_to(phone, 'UTF8')"
    )
    assert.deepEqual(await issuesFor('dm_scratch_customers'), [])

    await db.rawQuery('ALTER TABLE dm_scratch_customers DROP COLUMN phone')
    assert.deepEqual(await issuesFor('dm_scratch_customers'), ['missing:phone'])
    unregister()
  })

  test('the ace command exits non-zero and names the unmapped columns', async ({ assert }) => {
    await db.rawQuery('CREATE TABLE dm_scratch_customers (id serial PRIMARY KEY, phone text)')
    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    const command = await ace.exec('datamap:check', [])
    assert.equal(command.exitCode, 1)
    const lines = command.logger
      .getLogs()
      .map((log: { message: string }) => log.message)
      .join('\n')
    assert.include(lines, 'dm_scratch_customers.phone')
    assert.include(lines, 'unmapped')
  })
})
