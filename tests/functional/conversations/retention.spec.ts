import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { runJob } from '#core/queue'
import { storagePath } from '#core/storage'
import { mediaPath } from '#conversations/media/media_store'
import RetentionRun from '#data_map/models/retention_run'
import Customer from '#conversations/models/customer'
import Conversation from '#conversations/models/conversation'
import Message from '#conversations/models/message'
import { createMerchant } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { customerWithMessages } from '#tests/helpers/dsr_subjects'

/*
 * The conversation tables declare their retention in the field inventory, so the existing
 * purge job deletes what has expired (messages: the 365-day message rule, from created_at) and
 * leaves its evidence: a retention run with counts per table, and an audit event.
 */

test.group('conversations / retention', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('a message past its retention is gone after the purge job; the evidence stays', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const now = DateTime.utc()
    const {
      customer,
      conversation,
      messages: made,
    } = await customerWithMessages(merchant, { phone: '+201001234567' }, [
      'from last year',
      'from today',
    ])
    const [old, fresh] = made
    await db
      .from('messages')
      .where('id', old.id)
      .update({ created_at: now.minus({ days: 366 }).toJSDate() })

    const result = (await runJob('data_map.purge_expired', { triggeredBy: 'test' })) as {
      runId: number
    }

    assert.isNull(await Message.find(old.id))
    const kept = await Message.findOrFail(fresh.id)
    assert.equal(kept.body, 'from today')
    assert.exists(await Customer.find(customer.id))
    assert.exists(await Conversation.find(conversation.id))

    const run = await RetentionRun.findOrFail(result.runId)
    assert.equal(run.status, 'succeeded')
    const messages = run.evidence.find((e) => e.table === 'messages')!
    assert.equal(messages.category, 'customer.content.message')
    assert.isAtLeast(messages.purged, 1)
    for (const table of [
      'webhook_events',
      'customers',
      'conversations',
      'customer_rights_requests',
    ]) {
      assert.exists(
        run.evidence.find((e) => e.table === table),
        `${table} is covered by the purge`
      )
    }
    const audit = await db
      .from('audit_events')
      .where('action', 'data_map.retention_purged')
      .where('target_id', String(run.id))
      .first()
    assert.exists(audit)
  })

  test('fetched media of a purged message, or of one gone by cascade, is removed with it', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { messages: made } = await customerWithMessages(merchant, { phone: '+201001234568' }, [
      'a photo, last year',
      'a photo, today',
      'deleted with its thread',
    ])
    const [old, fresh, gone] = made
    await db
      .from('messages')
      .where('id', old.id)
      .update({ created_at: DateTime.utc().minus({ days: 366 }).toJSDate() })
    // A third file whose message went with its conversation (no message row left)
    await db.from('messages').where('id', gone.id).delete()
    const files = [old, fresh, gone].map((m) => storagePath(mediaPath(merchant.id, m.id)))
    for (const file of files) {
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, 'e1.s1.sealed-bytes')
    }

    const result = (await runJob('data_map.purge_expired', { triggeredBy: 'test' })) as {
      runId: number
    }

    assert.isFalse(existsSync(files[0]), 'the purged message takes its file')
    assert.isTrue(existsSync(files[1]), 'a kept message keeps its file')
    assert.isFalse(existsSync(files[2]), 'a file without its message goes')
    const run = await RetentionRun.findOrFail(result.runId)
    const messages = run.evidence.find((e) => e.table === 'messages')!
    assert.isAtLeast(messages.filesRemoved!, 2)
    await rm(files[1])
  })
})
