import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import auditTrail from '#audit/services/audit_trail'
import AuditEvent from '#audit/models/audit_event'

test.group('Audit meta is hashed as it is stored', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  test('an undefined member or a Date in meta leaves the chain verifiable', async ({ assert }) => {
    const event = await auditTrail.record({
      action: 'test.meta_shapes',
      actor: { type: 'system' },
      meta: { kept: 1, missing: undefined, at: new Date(Date.UTC(2026, 0, 2)) },
    })
    const stored = await AuditEvent.findOrFail(event.id)
    assert.deepEqual(stored.meta, { kept: 1, at: '2026-01-02T00:00:00.000Z' })
    const verdict = await auditTrail.verify()
    assert.isTrue(verdict.valid, JSON.stringify(verdict))
  })
})
