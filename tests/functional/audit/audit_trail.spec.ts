import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import AuditEvent from '#audit/models/audit_event'
import auditTrail, { GENESIS_HASH } from '#audit/services/audit_trail'
import { staffUser } from '#tests/helpers/actors'
import { asDatabaseOwner, runAce } from '#tests/helpers/audit_tampering'

async function appendSome(count: number, action = 'test.event') {
  const events = []
  for (let i = 0; i < count; i++) {
    events.push(await auditTrail.record({ action, meta: { n: i } }))
  }
  return events
}

test.group('Audit trail chain', (group) => {
  // Each test runs in a transaction rolled back afterwards, so tampering never outlives it
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('each event links to the hash of the one before it', async ({ assert }) => {
    const [first, second] = await appendSome(2)
    assert.equal(second.prevHash, first.hash)
    assert.match(first.hash, /^[0-9a-f]{64}$/)
    const oldest = await AuditEvent.query().orderBy('id').firstOrFail()
    assert.equal(oldest.prevHash, GENESIS_HASH)
    const verdict = await auditTrail.verify()
    assert.isTrue(verdict.valid)
  })

  test('UPDATE and DELETE are refused by the trigger', async ({ assert }) => {
    const [event] = await appendSome(1)
    // Each attempt in its own (nested) transaction, so the refusal does not poison the test's
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('audit_events').where('id', event.id).update({ action: 'x' })
        ),
      /append-only \(UPDATE refused\)/
    )
    await assert.rejects(
      () => db.transaction((trx) => trx.from('audit_events').where('id', event.id).delete()),
      /append-only \(DELETE refused\)/
    )
    const still = await AuditEvent.findOrFail(event.id)
    assert.equal(still.action, 'test.event')
  })

  test('a row rewritten by the database owner is reported as the first broken link, by the service, the command and the endpoint', async ({
    assert,
    client,
  }) => {
    const events = await appendSome(4)
    const target = events[1]
    await asDatabaseOwner(() =>
      db
        .from('audit_events')
        .where('id', target.id)
        .update({ meta: JSON.stringify({ n: 999 }) })
    )

    const verdict = await auditTrail.verify()
    assert.deepInclude(verdict, {
      valid: false,
      brokenAt: target.id,
      reason: 'row content does not match its hash',
    })

    const command = await runAce('audit:verify')
    assert.equal(command.exitCode, 1)
    assert.include(command.output, `audit chain broken at event ${target.id}`)

    const auditor = await staffUser('auditor')
    const response = await client
      .post('/api/v1/audit/verify')
      .actingAs(auditor)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(200)
    assert.equal(response.body().valid, false)
    assert.equal(response.body().brokenAt, target.id)
  })

  test('a row deleted by the database owner breaks the link of the row after it', async ({
    assert,
  }) => {
    const events = await appendSome(3)
    await asDatabaseOwner(() => db.from('audit_events').where('id', events[1].id).delete())
    const verdict = await auditTrail.verify()
    assert.deepInclude(verdict, {
      valid: false,
      brokenAt: events[2].id,
      reason: 'prev_hash does not match the previous row',
    })
  })

  test('an intact chain verifies through the command and records who verified it', async ({
    assert,
    client,
  }) => {
    await appendSome(2)
    const command = await runAce('audit:verify')
    assert.equal(command.exitCode, 0)
    assert.include(command.output, 'audit chain intact')

    const auditor = await staffUser('auditor')
    const response = await client
      .post('/api/v1/audit/verify')
      .actingAs(auditor)
      .withCsrfToken()
      .accept('json')
    assert.isTrue(response.body().valid)
    const recorded = await AuditEvent.query()
      .where('action', 'audit.chain_verified')
      .where('actor_id', String(auditor.id))
      .firstOrFail()
    assert.equal(recorded.outcome, 'success')
  })

  test('the endpoint is for auditors only', async ({ client }) => {
    const dpo = await staffUser('dpo')
    const response = await client
      .post('/api/v1/audit/verify')
      .actingAs(dpo)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(403)
  })
})

test.group('Audit trail under concurrency', () => {
  test('concurrent appends keep one unforked chain', async ({ assert }) => {
    const before = await AuditEvent.query().max('id as max').firstOrFail()
    const startId = Number(before.$extras.max ?? 0)
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        auditTrail.record({ action: 'test.concurrent', meta: { i } })
      )
    )
    const rows = await AuditEvent.query().where('id', '>', startId).orderBy('id')
    assert.lengthOf(rows, 40)
    const prevHashes = new Set(rows.map((row) => row.prevHash))
    assert.equal(prevHashes.size, rows.length, 'two events share a predecessor: the chain forked')
    const verdict = await auditTrail.verify()
    assert.isTrue(verdict.valid)
  })
})
