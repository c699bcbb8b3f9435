import { test } from '@japa/runner'
import { EXAMPLE_INSTRUCTIONS } from '#conversations/ai/example_instructions'
import { AiGateway } from '#conversations/ai/gateway'
import { FAKE_OPENAI_KEY, FakeOpenAi } from '#tests/helpers/fake_openai'

function modelAnswer(overrides: Record<string, unknown> = {}) {
  return {
    intent: 'price_inquiry',
    confidence: 0.93,
    entities: {
      products: [{ name: 'Leather wallet', quantity: 1 }],
      order_number: null,
      city: 'alex',
      address: null,
    },
    reply: 'The leather wallet costs 400 EGP.',
    missing_instruction: null,
    ...overrides,
  }
}

test.group(
  'AI gateway, openai provider (real SDK against a chat-completions endpoint)',
  (group) => {
    let fake: FakeOpenAi
    let gateway: AiGateway
    group.each.setup(async () => {
      fake = await new FakeOpenAi().start()
      gateway = new AiGateway({
        provider: 'openai',
        openai: {
          apiKey: FAKE_OPENAI_KEY,
          baseURL: fake.baseURL,
          model: 'gpt-test-mini',
          timeoutMs: 5000,
        },
      })
      return () => fake.stop()
    })

    test('the request asks for structured output, with store false and only minimised text', async ({
      assert,
    }) => {
      fake.answerWith(modelAnswer())
      const result = await gateway.process({
        text: 'how much is the wallet? my number 01012345678, mail sara@example.com',
        turns: [
          { direction: 'inbound', text: 'hi, my card is 4111 1111 1111 1111' },
          { direction: 'outbound', text: 'Hello! How can we help?' },
        ],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.lengthOf(fake.requests, 1)
      const [request] = fake.requests
      assert.equal(request.path, '/v1/chat/completions')
      assert.equal(request.headers.authorization, `Bearer ${FAKE_OPENAI_KEY}`)
      assert.equal(request.body.model, 'gpt-test-mini')
      assert.strictEqual(request.body.store, false)
      assert.equal(request.body.response_format.type, 'json_schema')
      assert.isTrue(request.body.response_format.json_schema.strict)
      assert.includeMembers(
        request.body.response_format.json_schema.schema.properties.intent.enum,
        ['opt_out', 'data_rights_request', 'other']
      )
      const sent = JSON.stringify(request.body.messages)
      assert.notMatch(sent, /01012345678|sara@example\.com|4111 1111/)
      assert.include(sent, '[PHONE]')
      assert.include(sent, '[EMAIL]')
      assert.include(sent, '[CARD]')
      assert.deepEqual(
        request.body.messages.map((message: { role: string }) => message.role),
        ['system', 'user', 'assistant', 'user']
      )

      assert.equal(result.classification.intent, 'price_inquiry')
      assert.deepEqual(result.classification.entities.products, [
        { name: 'Leather wallet', quantity: 1 },
      ])
      assert.equal(result.classification.entities.city, 'Alexandria')
      assert.deepEqual(result.decision, {
        kind: 'reply',
        text: 'The leather wallet costs 400 EGP.',
        language: 'en',
      })
      assert.deepInclude(result.meta, {
        provider: 'openai',
        model: 'gpt-test-mini',
        redactions: 3,
        outcome: 'ok',
        error: null,
      })
    })

    test('a reply with a figure found nowhere in the instructions or conversation goes to a human', async ({
      assert,
    }) => {
      fake.answerWith(modelAnswer({ reply: 'The satin pajamas cost 799 EGP.' }))
      const result = await gateway.process({
        text: 'how much are the pajamas?',
        turns: [],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.deepInclude(result.decision, {
        kind: 'handoff',
        reason: 'instruction_missing',
        detail: 'ungrounded_number',
      })
      assert.equal(result.meta.outcome, 'handoff')
    })

    test('the model saying an instruction is missing is a handoff naming it', async ({
      assert,
    }) => {
      fake.answerWith(modelAnswer({ reply: null, missing_instruction: 'price:Satin pajamas' }))
      const result = await gateway.process({
        text: 'pajamas price?',
        turns: [],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.deepInclude(result.decision, {
        kind: 'handoff',
        reason: 'instruction_missing',
        detail: 'price:Satin pajamas',
      })
    })

    test('rules still decide opt-out and suspected minors, whatever the model says', async ({
      assert,
    }) => {
      fake.answerWith(modelAnswer({ intent: 'greeting', reply: 'Hi!' }))
      const optOut = await gateway.process({
        text: 'الغاء',
        turns: [],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.deepEqual(optOut.decision, { kind: 'opt_out' })
      assert.equal(optOut.classification.intent, 'opt_out')
      fake.answerWith(modelAnswer())
      const minor = await gateway.process({
        text: 'عندي ١٤ سنة، المحفظة بكام؟',
        turns: [],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.deepInclude(minor.decision, { kind: 'handoff', reason: 'suspected_minor' })
    })

    test('a server error, after the SDK retry, is an ai_failure handoff with a content-free code', async ({
      assert,
    }) => {
      fake.failWith(500)
      fake.failWith(500)
      const result = await gateway.process({
        text: 'where is order 12345?',
        turns: [],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.lengthOf(fake.requests, 2)
      assert.deepInclude(result.decision, {
        kind: 'handoff',
        reason: 'ai_failure',
        detail: 'openai_http_500',
      })
      assert.deepInclude(result.meta, {
        provider: 'openai',
        outcome: 'error',
        error: 'openai_http_500',
      })
    })

    test('an answer that is not the schema is an ai_failure, never a reply', async ({ assert }) => {
      fake.answerRaw('Sure! The wallet is 400 EGP.')
      const result = await gateway.process({
        text: 'wallet price',
        turns: [],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.deepInclude(result.decision, { kind: 'handoff', reason: 'ai_failure' })
      assert.equal(result.meta.error, 'openai_invalid_json')
    })

    test('a wrong API key is refused by the endpoint and handed off', async ({ assert }) => {
      const wrongKey = new AiGateway({
        provider: 'openai',
        openai: { apiKey: 'sk-wrong', baseURL: fake.baseURL, model: 'gpt-test-mini' },
      })
      const result = await wrongKey.process({
        text: 'hello',
        turns: [],
        instructions: EXAMPLE_INSTRUCTIONS,
      })
      assert.equal(result.meta.error, 'openai_http_401')
      assert.equal(result.decision.kind, 'handoff')
    })
  }
)
