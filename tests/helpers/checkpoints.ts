import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import testUtils from '@adonisjs/core/services/test_utils'
import auditCheckpoints from '#audit/services/audit_checkpoints'

/**
 * A `group.each.setup` for tests that sign checkpoints: the rows roll back with the global
 * transaction, and the copies outside the database go to a scratch directory removed after each
 * test, so no other test meets a checkpoint of rows that never committed.
 */
export async function isolatedCheckpoints() {
  const original = auditCheckpoints.directory
  auditCheckpoints.directory = await mkdtemp(join(tmpdir(), 'hub-checkpoints-'))
  const rollback = await testUtils.db().withGlobalTransaction()
  return async () => {
    await rollback()
    await rm(auditCheckpoints.directory, { recursive: true, force: true })
    auditCheckpoints.directory = original
  }
}
