import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import { publishNoticeValidator } from '#vendors/validators/subprocessor'
import { createMerchant, merchantUser } from '#tests/helpers/actors'
import Merchant from '#merchants/models/merchant'
import Subprocessor from '#vendors/models/subprocessor'
import NoticeDelivery from '#vendors/models/notice_delivery'
import MerchantNotification from '#vendors/models/merchant_notification'
import OutboundEmail from '#vendors/models/outbound_email'
import ChangeNotice from '#vendors/models/change_notice'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import { runJob } from '#core/queue'
import {
  closeObjectionWindow,
  effectiveSubprocessor,
  proposedSubprocessor,
  publishedSubprocessor,
  subprocessorInput,
  subprocessorStatus,
} from '#tests/helpers/vendors'

test.group('vendors / subprocessor lifecycle', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('publishing notifies every active merchant in the portal and by e-mail', async ({
    assert,
  }) => {
    const nile = await createMerchant()
    const delta = await createMerchant()
    const gone = await createMerchant()
    gone.status = 'terminated'
    await gone.save()
    const admin = await merchantUser(nile, 'merchant_admin')
    const agent = await merchantUser(nile, 'merchant_agent')
    await merchantUser(delta, 'merchant_admin')

    const { subprocessor, notice } = await publishedSubprocessor({}, 40)
    assert.equal(subprocessor.status, 'notice_published')
    assert.equal(notice.kind, 'addition')
    assert.equal(notice.objectionWindowDays, 40)
    assert.approximately(notice.objectionDeadline!.diff(notice.publishedAt, 'days').days, 40, 0.001)

    // Other tests may have left merchants behind: every non-terminated one is notified
    const active = await Merchant.query().whereNot('status', 'terminated')
    const deliveries = await NoticeDelivery.query().where('notice_id', notice.id)
    assert.sameMembers(
      deliveries.map((d) => d.merchantId),
      active.map((m) => m.id)
    )
    assert.includeMembers(
      deliveries.map((d) => d.merchantId),
      [nile.id, delta.id]
    )
    assert.notInclude(
      deliveries.map((d) => d.merchantId),
      gone.id
    )
    const notifications = await MerchantNotification.query()
      .where('source_id', String(notice.id))
      .whereIn('merchant_id', [nile.id, delta.id])
    assert.lengthOf(notifications, 2)
    assert.include(notifications[0].title, subprocessor.name)
    assert.equal(notifications[0].link, router.makeUrl('portal.subprocessors.index'))

    const result = await runJob('vendors.send_change_notice_emails', { noticeId: notice.id })
    assert.equal((result as { merchants: number }).merchants, active.length)
    const ours = () =>
      OutboundEmail.query()
        .where('source_id', String(notice.id))
        .whereIn('merchant_id', [nile.id, delta.id])
    const emails = await ours()
    assert.lengthOf(emails, 2)
    assert.include(
      emails.map((e) => e.recipientUserId),
      admin.id
    )
    assert.notInclude(
      emails.map((e) => e.recipientUserId),
      agent.id,
      'agents do not get contractual notices'
    )
    assert.include(emails[0].body, 'You may object until')
    const after = await NoticeDelivery.query()
      .where('notice_id', notice.id)
      .whereIn('merchant_id', [nile.id, delta.id])
    assert.isTrue(after.every((d) => d.emailStatus === 'queued' && d.emailRecipients === 1))

    // A retried job sends nothing twice
    await NoticeDelivery.query().where('notice_id', notice.id).update({ email_status: 'pending' })
    await runJob('vendors.send_change_notice_emails', { noticeId: notice.id })
    assert.lengthOf(await ours(), 2)
  })

  test('a subprocessor cannot be announced without a signed DPA', async ({ assert }) => {
    const subprocessor = await proposedSubprocessor({ dpaSignedOn: undefined })
    await assert.rejects(
      () => subprocessorRegistry.transition(subprocessor, 'notice_published'),
      /data processing agreement/
    )
    await subprocessor.refresh()
    assert.equal(subprocessor.status, 'proposed')
    assert.lengthOf(await ChangeNotice.query().where('subprocessor_id', subprocessor.id), 0)
  })

  test('invalid transitions are refused and change nothing', async ({ assert }) => {
    const subprocessor = await proposedSubprocessor()
    const error = await subprocessorRegistry.transition(subprocessor, 'effective').catch((e) => e)
    assert.equal(error.code, 'invalid_transition')
    assert.equal(error.status, 422)
    await subprocessor.refresh()
    assert.equal(subprocessor.status, 'proposed')

    const effective = await effectiveSubprocessor()
    await subprocessorRegistry.transition(effective, 'retired')
    const back = await subprocessorRegistry.transition(effective, 'effective').catch((e) => e)
    assert.equal(back.code, 'invalid_transition')
    assert.equal(await subprocessorStatus(effective.id), 'retired')
  })

  test('it becomes effective only after the objection window closes', async ({ assert }) => {
    const { subprocessor } = await publishedSubprocessor()
    const error = await subprocessorRegistry.transition(subprocessor, 'effective').catch((e) => e)
    assert.equal(error.code, 'objection_window_open')
    assert.equal(await subprocessorStatus(subprocessor.id), 'notice_published')

    await closeObjectionWindow(subprocessor.id)
    await subprocessorRegistry.transition(subprocessor, 'effective')
    const fresh = await Subprocessor.findOrFail(subprocessor.id)
    assert.equal(fresh.status, 'effective')
    assert.isNotNull(fresh.effectiveAt)
  })

  test('a material change to an effective subprocessor is staged, noticed and applied only when the window closes', async ({
    assert,
  }) => {
    await createMerchant()
    const subprocessor = await effectiveSubprocessor()
    await assert.rejects(
      () => subprocessorRegistry.publishChange(subprocessor),
      /No material change is staged/
    )

    await subprocessorRegistry.update(
      subprocessor,
      subprocessorInput({ name: subprocessor.name, processingCountries: ['US', 'IE'] })
    )
    // Staged, not applied: the register, the public list and the verdicts still see ['US']
    let fresh = await Subprocessor.findOrFail(subprocessor.id)
    assert.deepEqual(fresh.processingCountries, ['US'])
    assert.deepEqual(fresh.stagedChange, { processingCountries: ['US', 'IE'] })

    const notice = await subprocessorRegistry.publishChange(fresh, { objectionWindowDays: 45 })
    assert.equal(notice.kind, 'change')
    assert.deepEqual(notice.changes, [
      { field: 'processingCountries', from: ['US'], to: ['US', 'IE'] },
    ])
    assert.equal(notice.objectionWindowDays, 45)
    assert.equal(await subprocessorStatus(subprocessor.id), 'effective')

    // Another material edit waits until the announced one has applied
    await assert.rejects(
      () =>
        subprocessorRegistry.update(
          fresh,
          subprocessorInput({ name: subprocessor.name, processingCountries: ['DE'] })
        ),
      /stage further material changes after that/
    )

    // While the window is open the job applies nothing
    assert.deepEqual(await runJob('vendors.apply_noticed_changes', {}), { due: 0, applied: 0 })
    fresh = await Subprocessor.findOrFail(subprocessor.id)
    assert.deepEqual(fresh.processingCountries, ['US'])
    assert.isNull(fresh.stagedChange)

    await closeObjectionWindow(subprocessor.id)
    assert.deepEqual(await runJob('vendors.apply_noticed_changes', {}), { due: 1, applied: 1 })
    fresh = await Subprocessor.findOrFail(subprocessor.id)
    assert.deepEqual(fresh.processingCountries, ['US', 'IE'])
    const applied = await ChangeNotice.findOrFail(notice.id)
    assert.isNotNull(applied.appliedAt)
  })

  test('the objection window is never shorter than what merchants agreed (30 days at least)', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    await Merchant.query().where('id', merchant.id).update({ objection_window_days: 60 })
    const subprocessor = await proposedSubprocessor()
    for (const days of [1, 30, 59]) {
      const error = await subprocessorRegistry
        .transition(subprocessor, 'notice_published', { objectionWindowDays: days })
        .catch((e) => e)
      assert.equal(error.code, 'validation_failed')
      assert.match(error.message + JSON.stringify(error.details), /at least 60 days/)
    }
    assert.equal(await subprocessorStatus(subprocessor.id), 'proposed')
    // Without a requested window, the longest agreed one applies
    const { notice } = await subprocessorRegistry.transition(subprocessor, 'notice_published')
    assert.equal(notice!.objectionWindowDays, 60)
    // The validator and the database hold the floor too
    await assert.rejects(() => publishNoticeValidator.validate({ objectionWindowDays: 1 }))
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('subprocessor_change_notices').where('id', notice!.id).update({
            objection_window_days: 1,
          })
        ),
      /change_notices_window_min/
    )
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          trx.from('merchants').where('id', merchant.id).update({ objection_window_days: 1 })
        ),
      /merchants_objection_window_min/
    )
  })

  test('retiring notifies merchants without opening an objection window', async ({ assert }) => {
    await createMerchant()
    const subprocessor = await effectiveSubprocessor()
    const { notice } = await subprocessorRegistry.transition(subprocessor, 'retired')
    assert.equal(notice!.kind, 'retirement')
    assert.isNull(notice!.objectionDeadline)
    await assert.rejects(
      () =>
        subprocessorRegistry.update(subprocessor, subprocessorInput({ name: subprocessor.name })),
      /retired/
    )
  })
})
