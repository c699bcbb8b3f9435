import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { KeyDestroyed } from '#keys/errors'
import keyring from '#keys/services/keyring'
import { locate, locateSubject } from '#dsr/execution/locator'
import { eraseSubject } from '#dsr/execution/erasure'
import { reapplyErasures } from '#dsr/execution/reapply'
import { SCRATCH_TABLE, ScratchOrder, createScratchOrders } from '#tests/helpers/dsr_scratch'
import { createMerchant } from '#tests/helpers/actors'

const run = promisify(execFile)

function pgArgs() {
  return ['-h', env.get('DB_HOST'), '-p', String(env.get('DB_PORT')), '-U', env.get('DB_USER')]
}

/*
 * Commits its rows (pg_dump sees only committed data), so it cannot use the global transaction:
 * every merchant is uniquely named (#tests/helpers/actors); its scratch table is dropped afterwards.
 */
test.group('DSR execution / erasure reaches backups', () => {
  test('a backup taken before an erasure, restored, brings back nothing readable', async ({
    assert,
  }) => {
    const unmap = await createScratchOrders()
    const directory = await mkdtemp(join(tmpdir(), 'dsr-backup-'))
    const dump = join(directory, 'before-erasure.sql')
    try {
      const merchant = await createMerchant()
      const phone = '+201005550001'
      const erased = await ScratchOrder.create({
        merchantId: merchant.id,
        customerId: 8801,
        phone,
        note: 'my address is 12 Tahrir St',
      })
      const kept = await ScratchOrder.create({
        merchantId: merchant.id,
        customerId: 8802,
        note: 'another customer',
      })

      // The backup: the scratch table and the subject keys, as pg_dump writes them
      await run(
        'pg_dump',
        [
          ...pgArgs(),
          '-d',
          env.get('DB_DATABASE'),
          '--data-only',
          '--inserts',
          '--on-conflict-do-nothing',
          '-t',
          SCRATCH_TABLE,
          '-t',
          'subject_keys',
          '-f',
          dump,
        ],
        { env: { ...process.env, PGPASSWORD: env.get('DB_PASSWORD') ?? '' } }
      )

      const located = await locate(merchant.id, { phone })
      assert.deepEqual(located.customers, [8801])
      await eraseSubject(merchant.id, located, { actor: { type: 'system' } })
      const afterErasure = await locateSubject(merchant.id, { phone })
      assert.equal(afterErasure.total, 0)

      // The restore: the database goes back to the backup (the destroyed key row with it)
      await db
        .from('subject_keys')
        .where('scope', `merchant:${merchant.id}`)
        .where('subject_ref', 'customer:8801')
        .delete()
      await run('psql', [...pgArgs(), '-d', env.get('DB_DATABASE'), '-q', '-f', dump], {
        env: { ...process.env, PGPASSWORD: env.get('DB_PASSWORD') ?? '' },
      })
      keyring.reset()
      const restoredKey = await db
        .from('subject_keys')
        .where('scope', `merchant:${merchant.id}`)
        .where('subject_ref', 'customer:8801')
        .first()
      assert.isNotNull(restoredKey?.wrapped, 'the backup brought the wrapped key back')
      assert.isNotNull(await db.from(SCRATCH_TABLE).where('id', erased.id).first())

      // Nothing of the person opens: the key is on the list kept outside the database
      await assert.rejects(() => ScratchOrder.findOrFail(erased.id), KeyDestroyed as any)
      const other = await ScratchOrder.findOrFail(kept.id)
      assert.equal(other.note, 'another customer')

      // Re-applying the erasures deletes what the restore brought back
      const reapplied = await reapplyErasures()
      assert.deepInclude(
        reapplied.map((r) => ({ customerId: r.customerId, keyRestored: r.keyRestored })),
        { customerId: 8801, keyRestored: true }
      )
      assert.isNull(await db.from(SCRATCH_TABLE).where('id', erased.id).first())
      const afterReapply = await locateSubject(merchant.id, { phone })
      assert.equal(afterReapply.total, 0)
      const key = await db
        .from('subject_keys')
        .where('scope', `merchant:${merchant.id}`)
        .where('subject_ref', 'customer:8801')
        .first()
      assert.isNull(key.wrapped)
    } finally {
      unmap()
      await db.rawQuery(`DROP TABLE IF EXISTS ${SCRATCH_TABLE}`)
      await rm(directory, { recursive: true, force: true })
    }
  }).timeout(60_000)
})
