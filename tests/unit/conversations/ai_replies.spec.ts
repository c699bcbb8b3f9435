import { test } from '@japa/runner'
import { EXAMPLE_INSTRUCTIONS } from '#conversations/ai/example_instructions'
import { AiGateway } from '#conversations/ai/gateway'
import type { ConversationTurn, Decision, MerchantInstructions } from '#conversations/ai/types'

const gateway = new AiGateway({ provider: 'local' })

function instructions(changes: Partial<MerchantInstructions> = {}): MerchantInstructions {
  return { ...structuredClone(EXAMPLE_INSTRUCTIONS), ...changes }
}

async function decide(text: string, merchant = instructions(), turns: ConversationTurn[] = []) {
  const result = await gateway.process({ text, turns, instructions: merchant })
  return result.decision
}

function replyText(decision: Decision) {
  if (decision.kind !== 'reply')
    throw new Error(`expected a reply, got ${JSON.stringify(decision)}`)
  return decision.text
}

test.group('AI replies (local provider)', () => {
  test('a price in the instructions is quoted in the customer language', async ({ assert }) => {
    const english = await decide('how much is the leather wallet?')
    assert.include(replyText(english), '400 EGP')
    assert.equal(english.kind === 'reply' && english.language, 'en')
    const arabic = await decide('المحفظة الجلد بكام؟')
    assert.include(replyText(arabic), '400 جنيه')
    assert.equal(arabic.kind === 'reply' && arabic.language, 'ar')
  })

  test('a price missing from the instructions is never invented: the result is a handoff', async ({
    assert,
  }) => {
    const decision = await decide('how much are the satin pajamas?')
    assert.equal(decision.kind, 'handoff')
    assert.deepInclude(decision, { reason: 'instruction_missing', detail: 'price:Satin pajamas' })
    // the holding notice carries no figure at all
    assert.notMatch(decision.kind === 'handoff' ? decision.notice : '', /\d/)
  })

  test('a follow-up "how much?" uses the product named earlier in this conversation', async ({
    assert,
  }) => {
    const turns: ConversationTurn[] = [
      { direction: 'inbound', text: 'do you have the beige coat?' },
    ]
    assert.include(replyText(await decide('how much is it?', instructions(), turns)), '1450 EGP')
  })

  test('missing policies hand off with the policy named, present ones are quoted', async ({
    assert,
  }) => {
    const bare = instructions({ policies: {} })
    for (const [text, detail] of [
      ['what is your return policy?', 'returns_policy'],
      ['do you deliver to Aswan?', 'delivery_policy'],
      ['can I pay with vodafone cash?', 'payment_policy'],
    ]) {
      assert.deepInclude(
        await decide(text, bare),
        { kind: 'handoff', reason: 'instruction_missing', detail },
        text
      )
    }
    assert.include(replyText(await decide('what is your return policy?')), '14 days')
    assert.include(replyText(await decide('ينفع ادفع فودافون كاش؟')), 'فودافون كاش')
    assert.include(replyText(await decide('how much is shipping?')), '60 EGP')
  })

  test('a city outside the merchant delivery area is refused from the instructions', async ({
    assert,
  }) => {
    const merchant = instructions()
    merchant.policies.delivery = { minDays: 1, maxDays: 2, feeEgp: 50, cities: ['Cairo', 'Giza'] }
    const text = replyText(await decide('do you deliver to Aswan?', merchant))
    assert.include(text, 'Cairo and Giza')
  })

  test('replies follow the customer language within the merchant languages', async ({ assert }) => {
    const arabic = await decide('السلام عليكم')
    assert.equal(arabic.kind === 'reply' && arabic.language, 'ar')
    assert.match(replyText(arabic), /[\u0600-\u06FF]/)
    const franco = await decide('ezayak 3amel eh')
    assert.equal(franco.kind === 'reply' && franco.language, 'ar')
    const englishOnly = await decide('السلام عليكم', instructions({ languages: ['en'] }))
    assert.equal(englishOnly.kind === 'reply' && englishOnly.language, 'en')
    assert.include(replyText(englishOnly), 'Nile Threads')
  })

  test('an order with products and a city is summarised with the instructed prices', async ({
    assert,
  }) => {
    const text = replyText(await decide('I want to order 2 hoodies, deliver to Giza'))
    assert.include(text, '2 × Black hoodie (1300 EGP)')
    assert.include(text, 'Delivery costs 60 EGP')
    const outOfStock = replyText(await decide('I want to order the grey abaya'))
    assert.include(outOfStock, 'out of stock')
  })

  test('order status without a number asks for it; with one, an agent looks it up', async ({
    assert,
  }) => {
    assert.include(replyText(await decide('where is my order?')), 'order number')
    assert.deepInclude(await decide('where is my order #55102?'), {
      kind: 'handoff',
      reason: 'instruction_missing',
      detail: 'order_status_lookup',
    })
  })

  test('special intents decide before any reply', async ({ assert }) => {
    assert.deepEqual(await decide('STOP'), { kind: 'opt_out' })
    const rights = await decide('امسحوا بياناتي لو سمحتم')
    assert.equal(rights.kind, 'data_rights_request')
    assert.include(rights.kind === 'data_rights_request' ? rights.text : '', 'Nile Threads')
    assert.deepInclude(await decide("I'm 14, how much is the hoodie?"), {
      kind: 'handoff',
      reason: 'suspected_minor',
    })
    assert.deepInclude(await decide('I want to talk to a human'), {
      kind: 'handoff',
      reason: 'human_request',
    })
    assert.deepInclude(await decide('the hoodie arrived torn, this is unacceptable'), {
      kind: 'handoff',
      reason: 'complaint',
    })
  })

  test('merchant escalation rules: keywords, extra intents and the confidence floor', async ({
    assert,
  }) => {
    const keyword = instructions({ escalation: { keywords: ['wholesale'] } })
    assert.deepInclude(await decide('price for wholesale hoodies?', keyword), {
      kind: 'handoff',
      reason: 'merchant_rule',
      detail: 'keyword:wholesale',
    })
    const returnsToHuman = instructions({ escalation: { intents: ['return_refund'] } })
    assert.deepInclude(await decide('I want to return the wallet', returnsToHuman), {
      kind: 'handoff',
      reason: 'merchant_rule',
      detail: 'intent:return_refund',
    })
    const strict = instructions({ escalation: { minConfidence: 0.999 } })
    assert.deepInclude(await decide('hmm maybe later', strict), {
      kind: 'handoff',
      reason: 'low_confidence',
    })
  })

  test('meta gives the processing log provider, model, purpose, redactions and outcome', async ({
    assert,
  }) => {
    const result = await gateway.process({
      text: 'my number is 01012345678, where is order 55102?',
      turns: [{ direction: 'inbound', text: 'email me at a@b.co' }],
      instructions: instructions(),
    })
    assert.equal(result.meta.provider, 'local')
    assert.match(result.meta.model, /^local-intent-lr@[0-9a-f]{12}$/)
    assert.equal(result.meta.purpose, 'service.ai_assistance')
    assert.equal(result.meta.redactions, 2)
    assert.equal(result.meta.outcome, 'handoff')
    assert.isNull(result.meta.error)
    assert.isAtLeast(result.meta.latencyMs, 0)
  })
})
