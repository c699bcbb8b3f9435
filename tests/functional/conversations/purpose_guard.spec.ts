import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import purposeGuard, {
  destinationOfProvider,
  GUARD_DENIED_ACTION,
  type GuardContext,
} from '#conversations/guards/purpose_guard'
import AuditEvent from '#audit/models/audit_event'
import ChangeNotice from '#vendors/models/change_notice'
import Objection from '#vendors/models/objection'
import { createMerchant } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { compliantAiSubprocessor } from '#tests/helpers/ai_destination'

function context(merchantId: number, overrides: Partial<GuardContext> = {}): GuardContext {
  return {
    merchantId,
    purpose: 'service.ai_assistance',
    categories: ['customer.content.message', 'customer.ai.intent'],
    destination: { kind: 'in_process' },
    records: [{ type: 'message', id: 1, merchantId }],
    customer: { id: 7, merchantId, optedOutAt: null, restrictedAt: null, objectedAt: null },
    honourOptOut: true,
    conversationId: 11,
    ...overrides,
  }
}

const openai = { kind: 'system', code: 'ai_provider_api' } as const

test.group('conversations / purpose guard', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => seedDataMap())

  test('the local provider on message text is allowed by the intent classification activity', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const verdict = await purposeGuard.check(context(merchant.id))
    assert.deepEqual(verdict, {
      allowed: true,
      activities: ['intent_classification'],
      subprocessorId: null,
    })
  })

  test('a prohibited purpose is refused outright, and the denial is audited', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const verdict = await purposeGuard.check(context(merchant.id, { purpose: 'ai.model_training' }))
    assert.deepInclude(verdict, { allowed: false, reason: 'purpose_prohibited' })
    const event = await AuditEvent.query()
      .where({ action: GUARD_DENIED_ACTION, merchantId: merchant.id })
      .firstOrFail()
    assert.equal(event.outcome, 'denied')
    assert.equal(event.purpose, 'ai.model_training')
    assert.equal(event.targetId, '11')
    assert.equal(event.meta.reason, 'purpose_prohibited')
  })

  test('an unregistered purpose and a destination missing from the data map are refused', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const unknown = await purposeGuard.check(
      context(merchant.id, { purpose: 'service.fortune_telling' })
    )
    assert.deepInclude(unknown, { allowed: false, reason: 'purpose_unknown' })
    const nowhere = await purposeGuard.check(
      context(merchant.id, { destination: destinationOfProvider('mystery-llm') })
    )
    assert.deepEqual(nowhere, {
      allowed: false,
      reason: 'destination_unknown',
      detail: 'ai_provider:mystery-llm',
    })
    // The local provider has no destination outside the hub
    assert.deepEqual(destinationOfProvider('local'), { kind: 'in_process' })
  })

  test('categories outside the purpose’s activities are refused', async ({ assert }) => {
    const merchant = await createMerchant()
    const verdict = await purposeGuard.check(
      context(merchant.id, {
        categories: ['customer.content.message', 'customer.commerce.address'],
      })
    )
    assert.deepEqual(verdict, {
      allowed: false,
      reason: 'categories_not_covered',
      detail: 'customer.commerce.address',
    })
  })

  test('an external provider whose subprocessor is not effective is refused', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    // The seed only proposes OpenAI: no DPA, notice or closed window yet
    const verdict = await purposeGuard.check(context(merchant.id, { destination: openai }))
    assert.deepInclude(verdict, { allowed: false, reason: 'subprocessor_inactive' })
  })

  test('an effective subprocessor without a compliant transfer is refused', async ({ assert }) => {
    const merchant = await createMerchant()
    const subprocessor = await compliantAiSubprocessor()
    subprocessor.merge({ pdplLicenceReference: null, pdplLicenceIssuedOn: null })
    await subprocessor.save()
    const verdict = await purposeGuard.check(context(merchant.id, { destination: openai }))
    assert.deepInclude(verdict, { allowed: false, reason: 'transfer_not_compliant' })
  })

  test('a compliant subprocessor is refused for the merchant that objected to it, allowed for others', async ({
    assert,
  }) => {
    const objecting = await createMerchant()
    const other = await createMerchant()
    const subprocessor = await compliantAiSubprocessor()
    const notice = await ChangeNotice.query()
      .where('subprocessor_id', subprocessor.id)
      .firstOrFail()
    await Objection.create({
      subprocessorId: subprocessor.id,
      noticeId: notice.id,
      merchantId: objecting.id,
      reason: 'We do not want our customers’ text to leave Egypt.',
      status: 'open',
      raisedVia: 'portal',
    })
    const refused = await purposeGuard.check(context(objecting.id, { destination: openai }))
    assert.deepInclude(refused, { allowed: false, reason: 'merchant_objected' })
    const allowed = await purposeGuard.check(context(other.id, { destination: openai }))
    assert.deepEqual(allowed, {
      allowed: true,
      activities: ['intent_classification'],
      subprocessorId: subprocessor.id,
    })
  })

  test('a record of another merchant in the context is refused', async ({ assert }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const verdict = await purposeGuard.check(
      context(merchant.id, {
        records: [
          { type: 'message', id: 1, merchantId: merchant.id },
          { type: 'message', id: 2, merchantId: other.id },
        ],
      })
    )
    assert.deepEqual(verdict, {
      allowed: false,
      reason: 'records_across_merchants',
      detail: 'message:2',
    })
  })

  test('restricted, objecting and opted-out customers are skipped; opt-out only where honoured', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const flagged = (
      flags: Partial<Record<'optedOutAt' | 'restrictedAt' | 'objectedAt', DateTime>>
    ) => ({
      id: 7,
      merchantId: merchant.id,
      optedOutAt: null,
      restrictedAt: null,
      objectedAt: null,
      ...flags,
    })
    const now = DateTime.utc()
    const restricted = await purposeGuard.check(
      context(merchant.id, { customer: flagged({ restrictedAt: now }) })
    )
    assert.deepInclude(restricted, { allowed: false, reason: 'customer_restricted' })
    const objected = await purposeGuard.check(
      context(merchant.id, { customer: flagged({ objectedAt: now }) })
    )
    assert.deepInclude(objected, { allowed: false, reason: 'customer_objected' })
    const optedOut = await purposeGuard.check(
      context(merchant.id, { customer: flagged({ optedOutAt: now }) })
    )
    assert.deepInclude(optedOut, { allowed: false, reason: 'customer_opted_out' })
    // An agent reading the history of an opted-out customer (human handoff) is not messaging them
    const reading = await purposeGuard.check(
      context(merchant.id, {
        purpose: 'service.human_handoff',
        categories: ['customer.content.message'],
        customer: flagged({ optedOutAt: now }),
        honourOptOut: false,
      })
    )
    assert.isTrue(reading.allowed)
  })
})
