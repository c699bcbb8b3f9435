import { test } from '@japa/runner'
import { readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { EVAL_FILE, loadIntentModel, readCorpus, readLabeled } from '#conversations/ai/corpus'
import { extractEntities } from '#conversations/ai/entities'
import { score } from '#conversations/ai/evaluation'
import { EXAMPLE_INSTRUCTIONS } from '#conversations/ai/example_instructions'
import { AiGateway } from '#conversations/ai/gateway'
import { detectSignals } from '#conversations/ai/special_intents'
import { detectLanguage, normalize } from '#conversations/ai/text'

const gateway = new AiGateway({ provider: 'local' })
async function classify(text: string) {
  const result = await gateway.process({ text, turns: [], instructions: EXAMPLE_INSTRUCTIONS })
  return result.classification
}

test.group('AI classifier (local provider)', () => {
  test('a Franco-Arabic order-status question is order_status, with its order number', async ({
    assert,
  }) => {
    const result = await classify('ana mestany el order rakam 66120 men 5 ayam, howa fein?')
    assert.equal(result.intent, 'order_status')
    assert.equal(result.language, 'franco')
    assert.equal(result.entities.orderNumber, '66120')
  })

  test('Arabic opt-out is opt_out, but cancelling an order is not', async ({ assert }) => {
    for (const text of ['الغاء', 'إلغاء', 'STOP', 'stop msgs', 'مش عايز رسايل تاني منكم خالص']) {
      const result = await classify(text)
      assert.equal(result.intent, 'opt_out', text)
      assert.isTrue(result.signals.optOut, text)
    }
    const cancel = await classify('عايز الغاء الاوردر بتاعي')
    assert.notEqual(cancel.intent, 'opt_out')
    assert.isFalse(cancel.signals.optOut)
  })

  test('a message that is both an opt-out and a data request raises both signals', async ({
    assert,
  }) => {
    const result = await gateway.process({
      text: 'remove my number from your list',
      turns: [],
      instructions: EXAMPLE_INSTRUCTIONS,
    })
    assert.isTrue(result.classification.signals.optOut)
    assert.isTrue(result.classification.signals.dataRightsRequest)
    assert.deepEqual(result.decision, { kind: 'opt_out' })
  })

  test('a data-rights request in chat is recognised in English, Arabic and Franco', async ({
    assert,
  }) => {
    for (const text of ['please delete my data', 'امسحوا بياناتي', 'em7o bayanaty law sama7to']) {
      const result = await classify(text)
      assert.equal(result.intent, 'data_rights_request', text)
      assert.isTrue(result.signals.dataRightsRequest, text)
    }
  })

  test('an age statement under 18 flags a suspected minor, in English and Arabic digits', ({
    assert,
  }) => {
    const minors: Array<[string, number]> = [
      ["I'm 15 and want the hoodie", 15],
      ['im 13 years old', 13],
      ['عندي ١٥ سنة وعايزة الفستان', 15],
      ['انا عمري 16 سنه', 16],
      ['انا عندي خمستاشر سنه', 15],
      ['3omry 14 sana', 14],
      ['my age is 12', 12],
    ]
    for (const [text, age] of minors)
      assert.deepEqual(detectSignals(text).suspectedMinor, { age }, text)
    for (const text of [
      "I'm 25",
      "I'm 15 minutes away",
      'عندي 20 سنة',
      'order 15 please',
      'I want 15 pieces',
    ]) {
      assert.isNull(detectSignals(text).suspectedMinor, text)
    }
  })

  test('human requests and complaints raise their signals', async ({ assert }) => {
    const human = await classify('can I talk to a real person please')
    const francoHuman = await classify('3ayez akalem 7ad mn 5edmet el 3omala')
    const complaint = await classify('this is a scam, worst shop ever')
    const price = await classify('how much is the hoodie?')
    assert.isTrue(human.signals.humanRequest)
    assert.isTrue(francoHuman.signals.humanRequest)
    assert.isTrue(complaint.signals.complaint)
    assert.isFalse(price.signals.humanRequest)
  })

  test('language: English, Arabic, Franco-Arabic and mixed', ({ assert }) => {
    assert.equal(detectLanguage('where is my order'), 'en')
    assert.equal(detectLanguage('فين الاوردر بتاعي'), 'ar')
    assert.equal(detectLanguage('el order bta3y fein'), 'franco')
    assert.equal(detectLanguage('الـ order بتاعي delayed ليه'), 'mixed')
  })

  test('entities: products with quantities, city, order number and address', ({ assert }) => {
    const english = extractEntities(
      'I want 2 hoodies and a wallet delivered to Alexandria',
      EXAMPLE_INSTRUCTIONS.products
    )
    assert.deepEqual(english.products, [
      { name: 'Black hoodie', quantity: 2 },
      { name: 'Leather wallet', quantity: 1 },
    ])
    assert.equal(english.city, 'Alexandria')
    const arabic = extractEntities(
      'عايزة تلاته تيشيرت والعنوان ١٢ شارع النصر المنصورة',
      EXAMPLE_INSTRUCTIONS.products
    )
    assert.deepEqual(arabic.products, [{ name: 'T-shirt', quantity: 3 }])
    assert.equal(arabic.city, 'Mansoura')
    assert.include(arabic.address!, 'شارع النصر')
    assert.equal(extractEntities('where is order #A-55012?', []).orderNumber, 'A-55012')
    assert.equal(extractEntities('الطلب رقم ٧٧٣١٠ اتأخر', []).orderNumber, '77310')
    assert.deepEqual(
      extractEntities('do you have shoes in Cairo', EXAMPLE_INSTRUCTIONS.products).products,
      []
    )
  })

  test('the evaluation sets are held apart from the training corpus', async ({ assert }) => {
    const corpus = await readCorpus()
    const training = new Set(corpus.map((example) => normalize(example.text)))
    const evaluation = await readLabeled(EVAL_FILE)
    assert.isAtLeast(evaluation.length, 300)
    const holdout = await readLabeled(join(dirname(EVAL_FILE), 'holdout.jsonl'))
    assert.deepEqual(
      [...evaluation, ...holdout].filter((e) => training.has(normalize(e.text))).map((e) => e.text),
      []
    )
  })

  test('the offline classifier reaches macro-F1 0.85 on the evaluation set', async ({ assert }) => {
    const evaluation = await readLabeled(EVAL_FILE)
    const rows = []
    for (const example of evaluation) {
      const result = await classify(example.text)
      rows.push({ gold: example.intent, predicted: result.intent })
    }
    const result = score(rows)
    assert.isAtLeast(result.macro_f1, 0.85)
    assert.lengthOf(Object.keys(result.per_intent), 13)
  })

  test('the trained model is cached under its content hash and reloaded from it', async ({
    assert,
  }) => {
    const first = await loadIntentModel()
    const second = await loadIntentModel()
    assert.equal(second.hash, first.hash)
    assert.isNull(second.trainedMs)
    assert.include(
      await readdir(new URL('../../../tmp/ai/', import.meta.url)),
      `intent-model-${first.hash.slice(0, 16)}.json`
    )
    const text = 'el order bta3y fein'
    assert.deepEqual(second.model.predict(text)[0].intent, first.model.predict(text)[0].intent)
  })
})
