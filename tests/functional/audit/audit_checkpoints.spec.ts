import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditEvent from '#audit/models/audit_event'
import AuditCheckpoint from '#audit/models/audit_checkpoint'
import auditTrail, { chainFieldsOf, linkHash } from '#audit/services/audit_trail'
import auditCheckpoints from '#audit/services/audit_checkpoints'
import { jobRegistry } from '#start/jobs'
import { runJob } from '#core/queue'
import { staffUser } from '#tests/helpers/actors'
import { asDatabaseOwner, runAce } from '#tests/helpers/audit_tampering'
import { isolatedCheckpoints } from '#tests/helpers/checkpoints'

async function appendSome(count: number) {
  const events = []
  for (let i = 0; i < count; i++) {
    events.push(await auditTrail.record({ action: 'test.checkpointed', meta: { n: i } }))
  }
  return events
}

test.group('Audit checkpoints', (group) => {
  group.each.setup(isolatedCheckpoints)

  test('audit:checkpoint signs the chain head into the database and into storage', async ({
    assert,
  }) => {
    const [, head] = await appendSome(2)
    const run = await runAce('audit:checkpoint')
    assert.equal(run.exitCode, 0)
    assert.include(run.output, `event ${head.id}`)

    const row = await AuditCheckpoint.query().orderBy('id', 'desc').firstOrFail()
    assert.equal(row.eventId, head.id)
    assert.equal(row.eventHash, head.hash)
    assert.match(row.signature, /^[\w-]+\.\.[\w-]+$/)

    const files = await readdir(auditCheckpoints.directory)
    assert.lengthOf(files, 1)
    const copy = JSON.parse(await readFile(join(auditCheckpoints.directory, files[0]), 'utf8'))
    assert.equal(copy.eventId, head.id)
    assert.equal(copy.signature, row.signature)

    const [latest] = await auditCheckpoints.latest()
    assert.equal(latest.eventId, head.id)
    assert.isTrue(latest.storedCopy)
    const status = await auditCheckpoints.status()
    assert.equal(status.eventsSinceCheckpoint, 0)

    const verdict = await auditTrail.verify()
    assert.isTrue(verdict.valid)
    assert.equal(verdict.valid && verdict.checkpoint?.eventId, head.id)
  })

  test('rows deleted from the tail after a checkpoint fail verification, by the service, the command and the endpoint', async ({
    assert,
    client,
  }) => {
    const events = await appendSome(3)
    await auditCheckpoints.take()
    await asDatabaseOwner(() => db.from('audit_events').where('id', '>=', events[1].id).delete())

    const verdict = await auditTrail.verify()
    assert.isFalse(verdict.valid)
    assert.equal(!verdict.valid && verdict.brokenAt, events[2].id)
    assert.match(!verdict.valid ? verdict.reason : '', /missing: events were deleted after it/)

    const run = await runAce('audit:verify')
    assert.equal(run.exitCode, 1)
    assert.include(run.output, `audit chain broken at event ${events[2].id}`)

    const auditor = await staffUser('auditor')
    const response = await client
      .post('/api/v1/audit/verify')
      .actingAs(auditor)
      .withCsrfToken()
      .accept('json')
    response.assertStatus(200)
    assert.isFalse(response.body().valid)
    assert.equal(response.body().brokenAt, events[2].id)
  })

  test('deleting the checkpoint rows too is caught by the copy in storage', async ({ assert }) => {
    const events = await appendSome(2)
    await auditCheckpoints.take()
    await asDatabaseOwner(async () => {
      await db.from('audit_checkpoints').delete()
      await db.from('audit_events').where('id', events[1].id).delete()
    })
    const verdict = await auditTrail.verify()
    assert.isFalse(verdict.valid)
    assert.match(!verdict.valid ? verdict.reason : '', /\(storage\).*deleted/)
  })

  test('a chain rewritten with consistent links fails against the signed checkpoint', async ({
    assert,
  }) => {
    const events = await appendSome(3)
    await auditCheckpoints.take()
    // Rewrite the last three rows and recompute every link: the walk alone finds nothing wrong
    await asDatabaseOwner(async () => {
      let prevHash = events[0].prevHash
      for (const event of events) {
        const row = await AuditEvent.findOrFail(event.id)
        row.meta = { n: 'rewritten' }
        const hash = linkHash(prevHash, chainFieldsOf(row))
        await db
          .from('audit_events')
          .where('id', row.id)
          .update({ meta: JSON.stringify(row.meta), prev_hash: prevHash, hash })
        prevHash = hash
      }
    })
    const verdict = await auditTrail.verify()
    assert.isFalse(verdict.valid)
    assert.equal(!verdict.valid && verdict.brokenAt, events[2].id)
    assert.match(!verdict.valid ? verdict.reason : '', /the chain was rewritten/)
  })

  test('a checkpoint whose signature does not hold fails verification', async ({ assert }) => {
    const [head] = await appendSome(1)
    await auditCheckpoints.take()
    const [file] = await readdir(auditCheckpoints.directory)
    const path = join(auditCheckpoints.directory, file)
    const copy = JSON.parse(await readFile(path, 'utf8'))
    await writeFile(path, JSON.stringify({ ...copy, eventHash: 'f'.repeat(64) }))
    const verdict = await auditTrail.verify()
    assert.isFalse(verdict.valid)
    assert.equal(!verdict.valid && verdict.brokenAt, head.id)
    assert.match(!verdict.valid ? verdict.reason : '', /does not carry a valid signature/)
  })

  test('checkpoints cannot be changed or deleted, and neither table can be truncated', async ({
    assert,
  }) => {
    await appendSome(1)
    const checkpoint = await auditCheckpoints.take()
    const refused = (statement: string) =>
      assert.rejects(() => db.transaction((trx) => trx.rawQuery(statement)))
    await refused(`UPDATE audit_checkpoints SET event_id = 1 WHERE id = ${checkpoint!.id}`)
    await refused(`DELETE FROM audit_checkpoints WHERE id = ${checkpoint!.id}`)
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await assert.rejects(
        () => db.transaction((trx) => trx.rawQuery(`TRUNCATE ${table}`)),
        new RegExp(`${table} is append-only \\(TRUNCATE refused\\)`)
      )
    }
    const left = await db.from('audit_events').count('* as n').first()
    assert.isAbove(Number(left.n), 0)
  })

  test('the worker signs a checkpoint every few minutes, and none while the head stands still', async ({
    assert,
  }) => {
    assert.match(jobRegistry['audit.checkpoint'].every, /^\*\/\d+ \* \* \* \*$/)
    const [head] = await appendSome(1)
    const first = (await runJob('audit.checkpoint', {})) as { eventId: number }
    assert.equal(first.eventId, head.id)
    assert.isNull(await runJob('audit.checkpoint', {}))
    await appendSome(1)
    assert.isNotNull(await runJob('audit.checkpoint', {}))
    assert.lengthOf(await readdir(auditCheckpoints.directory), 2)
  })
})
