import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { DateTime } from 'luxon'
import AiProcessingLog from '#conversations/processing/ai_processing_log'
import reportService from '#reports/services/report_service'
import { createMerchant } from '#tests/helpers/actors'
import { readPdf } from '#tests/helpers/pdf'
import { registeredSubprocessor } from '#tests/helpers/data_map'

function call(merchantId: number, overrides: Partial<AiProcessingLog> = {}) {
  return AiProcessingLog.create({
    merchantId,
    purpose: 'service.ai_assistance',
    provider: 'local',
    model: 'local-intent-v1',
    subprocessorId: null,
    redactions: 0,
    outcome: 'ok',
    intent: 'price_inquiry',
    decision: 'reply',
    errorCode: null,
    latencyMs: 3,
    ...overrides,
  })
}

test.group('conversations / ai-processing report', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('summarises one merchant’s AI calls in the period, signed and verifiable', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const vendor = await registeredSubprocessor('Inference Vendor GmbH')
    await call(merchant.id)
    await call(merchant.id, { intent: 'complaint', outcome: 'handoff', decision: 'handoff' })
    await call(merchant.id, {
      provider: 'openai',
      model: 'gpt-test-mini',
      subprocessorId: vendor.id,
      redactions: 4,
      latencyMs: 800,
    })
    await call(merchant.id, { outcome: 'denied', intent: null, errorCode: 'merchant_objected' })
    await call(other.id, { intent: 'delivery' })
    // Outside the period
    const old = await call(merchant.id, { intent: 'payment' })
    old.createdAt = DateTime.utc(2020, 1, 15)
    await old.save()

    const period = DateTime.utc().toFormat('yyyy-MM')
    const report = await reportService.generate({
      kind: 'ai-processing',
      merchant,
      period,
      generatedBy: 'AI Report Test',
    })
    const bytes = await reportService.read(report)
    const { text } = await readPdf(bytes)
    assert.include(text, 'AI processing')
    assert.include(text, `Merchant ${merchant.legalName}`)
    assert.include(text, 'AI calls 4')
    assert.include(text, 'Identifiers redacted before the calls 4')
    assert.include(text, 'Calls by outcome')
    assert.include(text, 'Inference Vendor GmbH')
    assert.include(text, 'none (processed inside the hub)')
    assert.notInclude(text, other.legalName)
    assert.notInclude(text, 'payment')
    const verdict = await reportService.verify(bytes)
    assert.isTrue(verdict.valid)
    assert.equal(verdict.report?.kind, 'ai-processing')
  })

  test('across merchants it lists each merchant with its handoffs and denials', async ({
    assert,
  }) => {
    const first = await createMerchant()
    const second = await createMerchant()
    await call(first.id, { outcome: 'handoff', decision: 'handoff' })
    await call(second.id, { outcome: 'denied', errorCode: 'customer_restricted' })
    const report = await reportService.generate({
      kind: 'ai-processing',
      generatedBy: 'AI Report Test',
    })
    const { text } = await readPdf(await reportService.read(report))
    assert.include(text, 'Per merchant')
    assert.include(text, first.legalName)
    assert.include(text, second.legalName)
  })
})
