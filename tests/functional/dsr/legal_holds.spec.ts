import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { runJob } from '#core/queue'
import { registerExtraInventory } from '#data_map/inventory/collector'
import { seedDataMap } from '#tests/helpers/data_map'
import legalHolds from '#dsr/services/legal_holds'
import LegalHold from '#dsr/models/legal_hold'
import { createMerchant, staffUser } from '#tests/helpers/actors'

async function auditActions(holdId: number) {
  const rows = await db
    .from('audit_events')
    .where('target_type', 'legal_hold')
    .where('target_id', String(holdId))
    .orderBy('id')
  return rows.map((r) => `${r.action}:${r.actor_id}`)
}

test.group('dsr / legal holds', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('legal counsel places a hold on a subject; it is active and audited', async ({ assert }) => {
    const merchant = await createMerchant()
    const counsel = await staffUser('legal_counsel')
    const hold = await legalHolds.place(
      {
        scope: 'subject',
        merchantId: merchant.id,
        customerId: 4242,
        reason: 'Preservation order 17/2026 of the Cairo Economic Court',
        source: 'government_request',
        sourceRef: 'gov-17',
      },
      counsel.id
    )
    assert.equal(hold.status, 'active')
    assert.isTrue(await legalHolds.isHeld(merchant.id, 4242))
    assert.isFalse(await legalHolds.isHeld(merchant.id, 4243))
    assert.deepEqual(await auditActions(hold.id), [`dsr.legal_hold.place:${counsel.id}`])

    const raw = await db.from('legal_holds').where('id', hold.id).firstOrFail()
    assert.match(raw.reason, /^e1\./, 'the reason is sealed at rest')
    const reloaded = await LegalHold.findOrFail(hold.id)
    assert.equal(reloaded.reason, 'Preservation order 17/2026 of the Cairo Economic Court')
  })

  test('a merchant-wide hold covers every subject of that merchant only', async ({ assert }) => {
    const held = await createMerchant()
    const other = await createMerchant()
    const dpo = await staffUser('dpo')
    await legalHolds.place(
      { scope: 'merchant', merchantId: held.id, reason: 'Litigation', source: 'litigation' },
      dpo.id
    )
    assert.isTrue(await legalHolds.isHeld(held.id))
    assert.isTrue(await legalHolds.isHeld(held.id, 99))
    assert.isFalse(await legalHolds.isHeld(other.id, 99))
    await assert.rejects(() => legalHolds.assertNotHeld(held.id, 99), /legal hold/)
    const error = await legalHolds.assertNotHeld(held.id, 99).catch((e) => e)
    assert.equal(error.code, 'legal_hold')
    assert.equal(error.status, 409)
  })

  test('only legal counsel and the DPO may place or lift holds', async ({ assert }) => {
    const merchant = await createMerchant()
    for (const role of ['privacy_analyst', 'admin', 'auditor'] as const) {
      const user = await staffUser(role)
      const error = await legalHolds
        .place(
          { scope: 'merchant', merchantId: merchant.id, reason: 'x', source: 'manual' },
          user.id
        )
        .catch((e) => e)
      assert.equal(error.code, 'forbidden', role)
    }
    assert.lengthOf(await LegalHold.query().where('merchant_id', merchant.id), 0)
  })

  test('lifting needs a second person: the requester cannot lift it', async ({ assert }) => {
    const merchant = await createMerchant()
    const counsel = await staffUser('legal_counsel')
    const dpo = await staffUser('dpo')
    const hold = await legalHolds.place(
      {
        scope: 'merchant',
        merchantId: merchant.id,
        reason: 'Regulator inquiry',
        source: 'regulator',
      },
      counsel.id
    )
    const early = await legalHolds.lift(hold, dpo.id).catch((e) => e)
    assert.equal(early.code, 'lift_not_requested')

    await legalHolds.requestLift(hold, 'Inquiry closed', counsel.id)
    const same = await legalHolds.lift(hold, counsel.id).catch((e) => e)
    assert.equal(same.code, 'segregation_of_duties')
    assert.isTrue(await legalHolds.isHeld(merchant.id))

    await legalHolds.lift(hold, dpo.id)
    assert.isFalse(await legalHolds.isHeld(merchant.id))
    const lifted = await LegalHold.findOrFail(hold.id)
    assert.equal(lifted.status, 'lifted')
    assert.deepEqual(await auditActions(hold.id), [
      `dsr.legal_hold.place:${counsel.id}`,
      `dsr.legal_hold.lift_requested:${counsel.id}`,
      `access.denied:${counsel.id}`,
      `dsr.legal_hold.lift:${dpo.id}`,
    ])
  })

  test('an expired hold no longer holds', async ({ assert }) => {
    const merchant = await createMerchant()
    const dpo = await staffUser('dpo')
    const hold = await legalHolds.place(
      {
        scope: 'subject',
        merchantId: merchant.id,
        customerId: 7,
        reason: 'Short preservation',
        source: 'manual',
        expiresAt: DateTime.now().plus({ days: 1 }),
      },
      dpo.id
    )
    assert.isTrue(await legalHolds.isHeld(merchant.id, 7))
    await db
      .from('legal_holds')
      .where('id', hold.id)
      .update({
        expires_at: DateTime.utc().minus({ minutes: 1 }).toJSDate(),
      })
    assert.isFalse(await legalHolds.isHeld(merchant.id, 7))
  })
})

test.group('dsr / legal holds stop retention purges', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the purge skips rows of a held merchant and of a held customer', async ({ assert }) => {
    await seedDataMap()
    await db.rawQuery(`CREATE TABLE dsr_scratch_messages (
      id serial PRIMARY KEY, merchant_id integer NOT NULL, customer_id integer,
      body text, created_at timestamptz NOT NULL)`)
    const unregister = registerExtraInventory({
      module: 'scratch',
      tables: {
        dsr_scratch_messages: {
          personal: {
            body: {
              category: 'customer.content.media',
              identifiesSubject: false,
              encrypted: true,
              retention: 'customer.content.media',
            },
          },
          nonPersonal: ['id', 'merchant_id', 'customer_id', 'created_at'],
          retention: {
            category: 'customer.content.media',
            from: 'created_at',
            merchantColumn: 'merchant_id',
          },
        },
      },
    })
    try {
      const heldMerchant = await createMerchant()
      const subjectMerchant = await createMerchant()
      const counsel = await staffUser('legal_counsel')
      await legalHolds.place(
        {
          scope: 'merchant',
          merchantId: heldMerchant.id,
          reason: 'Litigation',
          source: 'litigation',
        },
        counsel.id
      )
      await legalHolds.place(
        {
          scope: 'subject',
          merchantId: subjectMerchant.id,
          customerId: 501,
          reason: 'Preservation order',
          source: 'government_request',
        },
        counsel.id
      )
      const old = DateTime.utc().minus({ days: 400 }).toJSDate()
      const insert = async (merchantId: number, customerId: number | null) => {
        const [row] = await db
          .table('dsr_scratch_messages')
          .insert({ merchant_id: merchantId, customer_id: customerId, created_at: old })
          .returning('id')
        return row.id as number
      }
      const keptMerchant = await insert(heldMerchant.id, 1)
      const keptSubject = await insert(subjectMerchant.id, 501)
      const purgedOther = await insert(subjectMerchant.id, 502)
      const purgedNoSubject = await insert(subjectMerchant.id, null)

      await runJob('data_map.purge_expired', { triggeredBy: 'test' })

      const rows = await db.from('dsr_scratch_messages').select('id')
      const left = rows.map((r) => r.id)
      assert.sameMembers(left, [keptMerchant, keptSubject])
      assert.notInclude(left, purgedOther)
      assert.notInclude(left, purgedNoSubject)
    } finally {
      unregister()
    }
  })
})
