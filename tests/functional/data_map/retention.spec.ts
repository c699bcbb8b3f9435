import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { FieldInvalid } from '#core/errors'
import { runJob } from '#core/queue'
import DataCategory from '#data_map/models/data_category'
import RetentionRun from '#data_map/models/retention_run'
import MerchantRetentionOverride from '#data_map/models/merchant_retention_override'
import retentionPolicy from '#data_map/services/retention_policy'
import { registerExtraInventory } from '#data_map/inventory/collector'
import { legalHoldFilter } from '#data_map/legal_holds'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import User from '#access/models/user'
import { seedDataMap } from '#tests/helpers/data_map'

/* A scratch table standing in for a module's message store: rows per merchant, by age. */
async function scratchMessages() {
  await db.rawQuery(`CREATE TABLE dm_scratch_messages (
    id serial PRIMARY KEY, merchant_id integer NOT NULL, body bytea, created_at timestamptz NOT NULL)`)
  return registerExtraInventory({
    module: 'scratch',
    tables: {
      dm_scratch_messages: {
        personal: {
          body: {
            category: 'customer.content.media',
            identifiesSubject: false,
            encrypted: true,
            retention: 'customer.content.media',
          },
        },
        nonPersonal: ['id', 'merchant_id', 'created_at'],
        retention: {
          category: 'customer.content.media',
          from: 'created_at',
          merchantColumn: 'merchant_id',
        },
      },
    },
  })
}

async function message(merchantId: number, ageDays: number) {
  const [row] = await db
    .table('dm_scratch_messages')
    .insert({
      merchant_id: merchantId,
      created_at: DateTime.utc().minus({ days: ageDays }).toJSDate(),
    })
    .returning('id')
  return row.id as number
}

async function remainingIds() {
  const rows = await db.from('dm_scratch_messages').select('id').orderBy('id')
  return rows.map((r) => r.id as number)
}

test.group('data_map / retention', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('a merchant override may only shorten the category rule', async ({ assert }) => {
    const merchant = await createMerchant()
    const media = await DataCategory.findByOrFail('code', 'customer.content.media') // rule: 180 days
    const override = await retentionPolicy.setOverride(
      {
        merchantId: merchant.id,
        dataCategoryId: media.id,
        durationDays: 30,
      },
      'merchant'
    )
    assert.equal(override.durationDays, 30)

    for (const days of [180, 400]) {
      try {
        await retentionPolicy.setOverride(
          {
            merchantId: merchant.id,
            dataCategoryId: media.id,
            durationDays: days,
          },
          'merchant'
        )
        assert.fail('a longer override was accepted')
      } catch (error) {
        assert.instanceOf(error, FieldInvalid)
        assert.equal(
          (error as FieldInvalid).details[0] && (error as any).details[0].field,
          'durationDays'
        )
      }
    }
    await override.refresh()
    assert.equal(override.durationDays, 30, 'the refused change left the override as it was')
    // The database holds the same line
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx
            .from('merchant_retention_overrides')
            .where('id', override.id)
            .update({ duration_days: 500 })
        ),
      /shorter than the category rule/
    )
  })

  test('an instruction is never lengthened, by the merchant or by staff, nor removed by staff', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const media = await DataCategory.findByOrFail('code', 'customer.content.media') // rule: 180 days
    const input = { merchantId: merchant.id, dataCategoryId: media.id }
    const override = await retentionPolicy.setOverride({ ...input, durationDays: 30 }, 'merchant')

    // Still shorter than the rule, but longer than the merchant's own instruction
    for (const by of ['merchant', 'staff'] as const) {
      await assert.rejects(
        () => retentionPolicy.setOverride({ ...input, durationDays: 90 }, by),
        /only be shortened|cannot lengthen/
      )
    }
    const shorter = await retentionPolicy.setOverride({ ...input, durationDays: 20 }, 'staff')
    assert.equal(shorter.durationDays, 20)
    assert.equal(shorter.recordedBy, 'staff')

    // The database holds both lines: no lengthening, no delete outside the merchant's withdrawal
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx
            .from('merchant_retention_overrides')
            .where('id', override.id)
            .update({ duration_days: 25 })
        ),
      /may only be shortened/
    )
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('merchant_retention_overrides').where('id', override.id).delete()
        ),
      /only the merchant may withdraw/
    )
    await retentionPolicy.withdrawOverride(merchant.id, media.id)
    assert.isNull(await MerchantRetentionOverride.find(override.id))
  })

  test('a rule cannot be shortened below an existing merchant override', async ({ assert }) => {
    const merchant = await createMerchant()
    const media = await DataCategory.findByOrFail('code', 'customer.content.media')
    await retentionPolicy.setOverride(
      {
        merchantId: merchant.id,
        dataCategoryId: media.id,
        durationDays: 60,
      },
      'staff'
    )
    await assert.rejects(() =>
      retentionPolicy.setRule(media.id, { durationDays: 30, startsFrom: 'created_at' })
    )
    const rule = await retentionPolicy.setRule(media.id, {
      durationDays: 90,
      startsFrom: 'created_at',
    })
    assert.equal(rule.durationDays, 90)
  })

  test('the purge job deletes expired rows, honours stricter overrides and legal holds, and leaves evidence', async ({
    assert,
  }) => {
    const unregister = await scratchMessages()
    const holder = legalHoldFilter.register('test-hold', ({ query, table }) => {
      if (table === 'dm_scratch_messages') query.whereNot('id', heldId)
    })
    let heldId = 0
    try {
      const strict = await createMerchant()
      const normal = await createMerchant()
      const media = await DataCategory.findByOrFail('code', 'customer.content.media') // 180 days
      await retentionPolicy.setOverride(
        {
          merchantId: strict.id,
          dataCategoryId: media.id,
          durationDays: 30,
        },
        'merchant'
      )

      const normalOld = await message(normal.id, 200)
      heldId = await message(normal.id, 250)
      const normalRecent = await message(normal.id, 100)
      const strictOld = await message(strict.id, 45)
      const strictRecent = await message(strict.id, 10)

      const progress: number[] = []
      const result = (await runJob(
        'data_map.purge_expired',
        { triggeredBy: 'test' },
        {
          progress: async (percent) => {
            progress.push(percent)
          },
        }
      )) as { runId: number; rowsPurged: number; rowsHeld: number }

      assert.sameMembers(await remainingIds(), [heldId, normalRecent, strictRecent])
      assert.notInclude(await remainingIds(), normalOld)
      assert.notInclude(await remainingIds(), strictOld)
      assert.equal(result.rowsPurged, 2)
      assert.equal(result.rowsHeld, 1)
      assert.equal(progress.at(-1), 100)

      const run = await RetentionRun.findOrFail(result.runId)
      assert.equal(run.status, 'succeeded')
      assert.equal(run.triggeredBy, 'test')
      const evidence = run.evidence.find((e) => e.table === 'dm_scratch_messages')!
      assert.deepInclude(evidence, { category: 'customer.content.media', purged: 2, held: 1 })
      assert.properties(evidence.cutoffs, ['*', String(strict.id)])

      const audit = await db
        .from('audit_events')
        .where('action', 'data_map.retention_purged')
        .where('target_id', String(run.id))
        .firstOrFail()
      assert.equal(audit.meta.rowsPurged, 2)
      assert.equal(audit.meta.rowsHeld, 1)
    } finally {
      holder()
      unregister()
    }
  })

  test('a category without a retention rule is kept, not purged on a guess', async ({ assert }) => {
    const unregister = await scratchMessages()
    try {
      const merchant = await createMerchant()
      await MerchantRetentionOverride.query().delete()
      const media = await DataCategory.findByOrFail('code', 'customer.content.media')
      await db.from('retention_rules').where('data_category_id', media.id).delete()
      const id = await message(merchant.id, 5000)
      const result = (await runJob('data_map.purge_expired', {})) as { runId: number }
      assert.deepEqual(await remainingIds(), [id])
      const run = await RetentionRun.findOrFail(result.runId)
      assert.equal(run.triggeredBy, 'schedule')
      assert.equal(run.rowsPurged, 0)
    } finally {
      unregister()
    }
  })

  test('accounts are purged 90 days after they end, with an evidence row', async ({ assert }) => {
    const merchant = await createMerchant()
    const gone = await staffUser('privacy_analyst')
    const recent = await staffUser('privacy_analyst')
    const active = await staffUser('privacy_analyst')
    const agent = await merchantUser(merchant, 'merchant_agent')
    // Disabling ends the account: the trigger dates it, so back-dating the disable is enough
    await db
      .from('users')
      .where('id', gone.id)
      .update({ disabled_at: DateTime.utc().minus({ days: 120 }).toJSDate() })
    await db
      .from('users')
      .where('id', recent.id)
      .update({ disabled_at: DateTime.utc().minus({ days: 10 }).toJSDate() })
    const ended = await db.from('users').where('id', recent.id).firstOrFail()
    assert.isNotNull(ended.terminated_at)
    // A terminated merchant ends its users' accounts
    await db.from('merchants').where('id', merchant.id).update({ status: 'terminated' })
    const agentRow = await db.from('users').where('id', agent.id).firstOrFail()
    assert.isNotNull(agentRow.terminated_at)

    const result = (await runJob('data_map.purge_expired', { triggeredBy: 'test' })) as {
      runId: number
    }
    assert.isNull(await User.find(gone.id))
    assert.isNotNull(await User.find(recent.id))
    assert.isNotNull(await User.find(active.id))
    assert.isNotNull(await User.find(agent.id))

    const run = await RetentionRun.findOrFail(result.runId)
    const evidence = run.evidence.find((e) => e.table === 'users')!
    assert.deepInclude(evidence, { category: 'merchant.user.account', purged: 1, held: 0 })
  })
})
