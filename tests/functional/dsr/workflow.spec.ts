import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import { Queue } from 'bullmq'
import env from '#start/env'
import { closeQueues, redisConnection, runJob } from '#core/queue'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import Customer from '#conversations/models/customer'
import CustomerRightsRequest from '#conversations/models/customer_rights_request'
import MerchantNotification from '#vendors/models/merchant_notification'
import type Merchant from '#merchants/models/merchant'
import DsrCase, { type DsrType } from '#dsr/models/dsr_case'
import intake from '#dsr/services/intake'
import workflow from '#dsr/services/workflow'
import legalHolds from '#dsr/services/legal_holds'
import reminders, { reminderJobId } from '#dsr/services/reminders'
import { today } from '#dsr/services/deadlines'

function submit(merchant: Merchant, type: DsrType, subject: Record<string, string>) {
  return intake.submit(
    {
      type,
      subject,
      receivedAt: today('EG').minus({ days: 2 }).toJSDate(),
      identityVerified: true,
    },
    { merchant, source: 'api' }
  )
}

function customer(merchant: Merchant, values: Partial<Customer>) {
  return Customer.create({
    merchantId: merchant.id,
    firstSeenAt: DateTime.utc(),
    lastSeenAt: DateTime.utc(),
    ...values,
  })
}

async function timelineKinds(caseId: number) {
  const rows = await db.from('dsr_case_events').where('dsr_case_id', caseId).orderBy('id')
  return rows.map((r) => r.kind)
}

test.group('dsr / workflow: the case runs on the merchant’s instruction', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an access request runs by itself: located, packaged, completed, with reminders gone', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    await customer(merchant, { email: 'asker@example.com' })
    const { dsrCase } = await submit(merchant, 'access', { email: 'asker@example.com' })
    const outcome = await runJob('dsr.process_case', { caseId: dsrCase.id })
    assert.equal((outcome as { state: string }).state, 'completed')
    await dsrCase.refresh()
    assert.equal(dsrCase.status, 'completed')
    assert.isAbove(dsrCase.recordsFound!, 0)
    assert.isNotNull(dsrCase.closedAt)
    assert.includeMembers(await timelineKinds(dsrCase.id), [
      'received',
      'started',
      'located',
      'executed',
    ])
    const exported = await db.from('dsr_exports').where('dsr_case_id', dsrCase.id)
    assert.lengthOf(exported, 1, 'the package was made')
    assert.lengthOf(await reminders.pending(dsrCase), 0, 'reminders end with the case')
    const notice = await MerchantNotification.query()
      .where({ merchantId: merchant.id, kind: 'dsr.case.completed' })
      .first()
    assert.exists(notice)
  })

  test('no data found is a completed outcome, not an error', async ({ assert }) => {
    const merchant = await createMerchant()
    const { dsrCase } = await submit(merchant, 'erasure', { email: 'nobody@example.com' })
    const outcome = await workflow.process(dsrCase.id)
    assert.deepEqual(outcome, { state: 'completed', recordsFound: 0 })
    await dsrCase.refresh()
    assert.equal(dsrCase.status, 'completed')
    assert.equal(dsrCase.recordsFound, 0)
  })

  test('objections and automated-decision reviews wait for a staff decision', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const dpo = await staffUser('dpo')
    for (const type of ['objection', 'automated_decision_review'] as const) {
      const { dsrCase } = await submit(merchant, type, { wa_id: '201001112223' })
      assert.deepEqual(await workflow.process(dsrCase.id), {
        state: 'waiting',
        waitingOn: 'human_decision',
      })
      await dsrCase.refresh()
      assert.equal(dsrCase.waitingOn, 'human_decision')
      await workflow.proceed(dsrCase, dpo.id, {})
      await dsrCase.refresh()
      assert.isNotNull(dsrCase.staffApprovedAt)
      assert.equal(dsrCase.staffApprovedByUserId, dpo.id)
      assert.include(await workflow.process(dsrCase.id), { state: 'completed' })
    }
  })

  test('identifiers matching two customers wait until staff choose one', async ({ assert }) => {
    const merchant = await createMerchant()
    const analyst = await staffUser('privacy_analyst')
    const byPhone = await customer(merchant, { phone: '+201001234567' })
    const byEmail = await customer(merchant, { email: 'mona@example.com' })
    await customer(merchant, { email: 'someone.else@example.com' })
    const { dsrCase } = await submit(merchant, 'erasure', {
      phone: '+201001234567',
      email: 'mona@example.com',
    })
    assert.deepEqual(await workflow.process(dsrCase.id), {
      state: 'waiting',
      waitingOn: 'ambiguous_identity',
    })
    await dsrCase.refresh()
    assert.isNull(dsrCase.customerId)
    const event = await db
      .from('dsr_case_events')
      .where({ dsr_case_id: dsrCase.id, kind: 'waiting_for_staff' })
      .firstOrFail()
    assert.deepEqual(event.detail, { waiting_on: 'ambiguous_identity', matches: 2 })

    const wrong = await workflow
      .proceed(dsrCase, analyst.id, { customerId: 999999 })
      .catch((e) => e)
    assert.equal(wrong.code, 'validation_failed')
    await workflow.proceed(dsrCase, analyst.id, { customerId: byEmail.id })
    await dsrCase.refresh()
    assert.equal(dsrCase.customerId, byEmail.id)
    assert.notEqual(dsrCase.customerId, byPhone.id)
    assert.include(await workflow.process(dsrCase.id), { state: 'completed' })
  })

  test('an erasure under a legal hold waits with a visible reason until the hold is lifted', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const counsel = await staffUser('legal_counsel')
    const dpo = await staffUser('dpo')
    const held = await customer(merchant, { waId: '201005550000' })
    const hold = await legalHolds.place(
      {
        scope: 'subject',
        merchantId: merchant.id,
        customerId: held.id,
        reason: 'Preservation order',
        source: 'government_request',
      },
      counsel.id
    )
    const { dsrCase } = await submit(merchant, 'erasure', { wa_id: '201005550000' })
    assert.deepEqual(await workflow.process(dsrCase.id), {
      state: 'waiting',
      waitingOn: 'legal_hold',
    })
    await dsrCase.refresh()
    assert.equal(dsrCase.legalHoldId, hold.id)
    assert.equal(dsrCase.customerId, held.id)

    const early = await workflow.proceed(dsrCase, dpo.id, {}).catch((e) => e)
    assert.equal(early.code, 'legal_hold')

    await legalHolds.requestLift(hold, 'Order expired', counsel.id)
    await legalHolds.lift(hold, dpo.id)
    await workflow.proceed(dsrCase, dpo.id, {})
    await dsrCase.refresh()
    assert.isNull(dsrCase.legalHoldId)
    assert.include(await workflow.process(dsrCase.id), { state: 'completed' })

    // An access request is not stopped by a hold: holds keep data, access reads it
    const hold2 = await legalHolds.place(
      { scope: 'merchant', merchantId: merchant.id, reason: 'Litigation', source: 'litigation' },
      counsel.id
    )
    const access = await submit(merchant, 'access', { wa_id: '201005550000' })
    assert.include(await workflow.process(access.dsrCase.id), { state: 'completed' })
    assert.isTrue(hold2.isActive)
  })

  test('refusals carry a stable code; closed cases refuse further changes', async ({ assert }) => {
    const merchant = await createMerchant()
    const { dsrCase } = await submit(merchant, 'access', { email: 'x@example.com' })
    await workflow.refuse(dsrCase, 'manifestly_unfounded', 'Fifth identical request this week')
    await dsrCase.refresh()
    assert.equal(dsrCase.status, 'refused')
    assert.equal(dsrCase.refusalCode, 'manifestly_unfounded')
    const again = await workflow.cancel(dsrCase, 'Changed mind', null).catch((e) => e)
    assert.equal(again.code, 'dsr_invalid_transition')
    await dsrCase.refresh()
    assert.equal(dsrCase.status, 'refused')
  })
})

test.group('dsr / workflow: reminders are delayed jobs', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('reminders survive a restart of the queue connections and go when the case closes', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { dsrCase } = await submit(merchant, 'portability', { email: 'r@example.com' })
    const times = reminders.firingTimes(dsrCase)
    assert.isAbove(times.reminder.toMillis(), Date.now())

    // A "restart": every queue connection of this process closes; Redis keeps the jobs
    await closeQueues()
    const fresh = new Queue('dsr', {
      connection: redisConnection(),
      prefix: env.get('QUEUE_PREFIX'),
    })
    try {
      for (const kind of ['reminder', 'escalation'] as const) {
        const job = await fresh.getJob(reminderJobId(dsrCase.id, kind))
        assert.exists(job, kind)
        assert.equal(await job!.getState(), 'delayed')
        assert.deepEqual(job!.data, {
          caseId: dsrCase.id,
          kind,
          dueAt: dsrCase.dueAt.toISODate(),
        })
        assert.approximately(job!.timestamp + (job!.opts.delay ?? 0), times[kind].toMillis(), 5000)
      }

      await workflow.cancel(dsrCase, 'The merchant withdrew the request', null)
      for (const kind of ['reminder', 'escalation'] as const) {
        assert.isUndefined(await fresh.getJob(reminderJobId(dsrCase.id, kind)), kind)
      }
    } finally {
      await fresh.close()
    }
  })

  test('an extension moves the reminders to the new deadline', async ({ assert }) => {
    const merchant = await createMerchant()
    const { dsrCase } = await submit(merchant, 'access', { email: 'e@example.com' })
    await workflow.extend(dsrCase, 2, 'Complex request across channels')
    const pending = await reminders.pending(dsrCase)
    assert.lengthOf(pending, 2)
    const fresh = new Queue('dsr', {
      connection: redisConnection(),
      prefix: env.get('QUEUE_PREFIX'),
    })
    try {
      const job = await fresh.getJob(reminderJobId(dsrCase.id, 'escalation'))
      assert.equal(job!.data.dueAt, dsrCase.dueAt.toISODate())
    } finally {
      await fresh.close()
      await reminders.cancel(dsrCase)
    }
  })

  test('the escalation job notes it on the open case, and does nothing for a closed one', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { dsrCase } = await submit(merchant, 'access', { email: 'late@example.com' })
    const payload = { caseId: dsrCase.id, kind: 'escalation', dueAt: dsrCase.dueAt.toISODate() }
    assert.deepEqual(await runJob('dsr.deadline_reminder', payload), {
      sent: true,
      kind: 'escalation',
    })
    assert.include(await timelineKinds(dsrCase.id), 'escalated')
    const stale = { ...payload, dueAt: '2000-01-01' }
    assert.deepEqual(await runJob('dsr.deadline_reminder', stale), { sent: false })
    await workflow.refuse(dsrCase, 'no_match')
    assert.deepEqual(await runJob('dsr.deadline_reminder', payload), { sent: false })
  })
})

test.group('dsr / customer-initiated requests', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a request from the chat becomes a case awaiting the merchant, who is notified; nothing runs until instructed', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const asking = await customer(merchant, { waId: '201007770000' })
    const request = await CustomerRightsRequest.create({
      merchantId: merchant.id,
      customerId: asking.id,
      requestType: 'erasure',
      source: 'chat',
      state: 'awaiting_merchant',
    })
    const result = (await runJob('dsr.convert_rights_requests', {})) as { converted: number[] }
    assert.lengthOf(result.converted, 1)
    const dsrCase = await DsrCase.findOrFail(result.converted[0])
    assert.equal(dsrCase.status, 'awaiting_merchant')
    assert.equal(dsrCase.source, 'chat')
    assert.equal(dsrCase.type, 'erasure')
    assert.equal(dsrCase.customerId, asking.id)
    assert.equal(dsrCase.subjectCustomerRef, asking.reference)
    assert.isFalse(dsrCase.identityVerified)
    await request.refresh()
    assert.equal(request.state, 'converted')
    assert.equal(request.dsrCaseId, dsrCase.id)
    const notice = await MerchantNotification.query()
      .where({ merchantId: merchant.id, kind: 'dsr.case.awaiting_merchant' })
      .firstOrFail()
    assert.equal(notice.link, `/portal/dsr/${dsrCase.id}`)

    // Running it again converts nothing twice; the automatic run leaves it alone
    const again = (await runJob('dsr.convert_rights_requests', {})) as { converted: number[] }
    assert.notInclude(again.converted, dsrCase.id)
    assert.deepEqual(await workflow.process(dsrCase.id), {
      state: 'skipped',
      status: 'awaiting_merchant',
    })

    await workflow.instruct(dsrCase, {})
    await dsrCase.refresh()
    assert.equal(dsrCase.status, 'in_progress')
    assert.isTrue(dsrCase.identityVerified)
    assert.include(await workflow.process(dsrCase.id), { state: 'completed' })
  })
})
