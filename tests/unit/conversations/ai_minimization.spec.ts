import { test } from '@japa/runner'
import { luhnValid, minimize } from '#conversations/ai/minimization'

/* What becomes a placeholder, and what must survive for the AI to be of any use */
const REDACTED: Array<[string, string]> = [
  ['call me on 01012345678 please', 'call me on [PHONE] please'],
  ['رقمي ٠١١٢٣٤٥٦٧٨٩', 'رقمي [PHONE]'],
  ['my number is +20 100 123 4567', 'my number is [PHONE]'],
  ['whatsapp 00201551234567', 'whatsapp [PHONE]'],
  ['UK friend: +44 7700 900123', 'UK friend: [PHONE]'],
  ['office 02 2345 6789', 'office [PHONE]'],
  ['mail me at mona.adel+shop@gmail.com', 'mail me at [EMAIL]'],
  ['الايميل ahmed_99@yahoo.co.uk شكرا', 'الايميل [EMAIL] شكرا'],
  ['card 4111 1111 1111 1111 exp 12/27', 'card [CARD] exp 12/27'],
  ['pay with 5555-5555-5555-4444', 'pay with [CARD]'],
  ['visa 4012888888881881', 'visa [CARD]'],
  ['رقمي القومي 29501011234567', 'رقمي القومي [NATIONAL_ID]'],
  ['ID ٣٠٢٠٥١٥٠١٠٠٠٠٥', 'ID [NATIONAL_ID]'],
]

const KEPT = [
  'order #48213 is late',
  'الاوردر رقم 559102 فين',
  'the hoodie costs 650 EGP, I want 2',
  'card number 4111 1111 1111 1112 is not a valid card', // 16 digits, fails Luhn
  'reference 1234567890123456', // 16 digits, fails Luhn
  'tracking ORD-2291 please',
  'size 42, 3 pieces, total 1,950',
  'I paid 1500 on 12/05/2026',
  'عايز ٢ تيشيرت مقاس ٤٢',
  '12345678901234', // 14 digits, not a national ID shape (century digit 1)
]

test.group('AI minimisation', () => {
  test('phones, e-mails, Luhn-valid cards and national IDs become placeholders', ({ assert }) => {
    for (const [input, expected] of REDACTED) {
      const result = minimize(input)
      assert.equal(result.text, expected, input)
      assert.equal(result.redactions, 1, input)
    }
  })

  test('order numbers, prices, quantities and non-Luhn digit runs stay as written', ({
    assert,
  }) => {
    for (const input of KEPT) {
      const result = minimize(input)
      assert.equal(result.text, input)
      assert.equal(result.redactions, 0, input)
    }
  })

  test('the redaction count adds up every identifier, by kind', ({ assert }) => {
    const result = minimize(
      'I am Sara, 01098765432 or 01198765432, sara@example.com, card 4111111111111111, ID 29912311234567, order 77120'
    )
    assert.deepEqual(result.counts, { email: 1, card: 1, national_id: 1, phone: 2 })
    assert.equal(result.redactions, 5)
    assert.include(result.text, 'order 77120')
    assert.notMatch(result.text, /0109|0119|sara@|4111|2991/)
  })

  test('the Luhn check accepts real test card numbers and refuses a changed digit', ({
    assert,
  }) => {
    assert.isTrue(luhnValid('4111111111111111'))
    assert.isTrue(luhnValid('378282246310005'))
    assert.isFalse(luhnValid('4111111111111112'))
  })
})
