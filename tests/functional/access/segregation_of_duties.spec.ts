import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import {
  assertNotSameActor,
  SegregationOfDutiesViolation,
} from '#access/services/segregation_of_duties'

async function denials(approverId: number) {
  return db
    .from('audit_events')
    .where('action', 'access.denied')
    .where('actor_id', String(approverId))
}

test.group('Segregation of duties', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a different approver passes and nothing is audited', async ({ assert }) => {
    await assertNotSameActor(900001, 900002, 'government disclosure')
    assert.lengthOf(await denials(900002), 0)
  })

  test('the preparer cannot approve: 403 segregation_of_duties, audited', async ({ assert }) => {
    const error = await assertNotSameActor(900011, 900011, {
      what: 'merchant-wide deletion',
      target: { type: 'deletion_request', id: 42 },
      merchantId: null,
    }).catch((caught) => caught)
    assert.instanceOf(error, SegregationOfDutiesViolation)
    assert.equal(error.code, 'segregation_of_duties')
    assert.equal(error.status, 403)
    assert.include(error.message, 'merchant-wide deletion')

    const [event] = await denials(900011)
    assert.equal(event.outcome, 'denied')
    assert.equal(event.target_type, 'deletion_request')
    assert.equal(event.target_id, '42')
    assert.deepEqual(event.meta, { rule: 'segregation_of_duties', what: 'merchant-wide deletion' })
  })

  test('an unknown preparer cannot be proven different, so it is refused', async ({ assert }) => {
    await assert.rejects(
      () => assertNotSameActor(null, 900021, 'government disclosure'),
      SegregationOfDutiesViolation
    )
    await assert.rejects(
      () => assertNotSameActor(undefined, 900021, 'government disclosure'),
      SegregationOfDutiesViolation
    )
    assert.lengthOf(await denials(900021), 2)
  })
})
