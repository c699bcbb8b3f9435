import { test } from '@japa/runner'
import {
  ALLOWED_PURPOSE_CODES,
  CATEGORY_CODE_PATTERN,
  PROHIBITED_PURPOSE_CODES,
  isProhibitedPurpose,
} from '#data_map/taxonomy'
import { csvCell } from '#data_map/services/ropa_service'

test.group('data_map / taxonomy', () => {
  test('the prohibited purposes of DESIGN.md §5 are recognised and none is allowed', ({
    assert,
  }) => {
    for (const code of [
      'marketing.advertising',
      'ai.model_training',
      'profiling.cross_merchant',
      'data.sale',
    ]) {
      assert.isTrue(isProhibitedPurpose(code), code)
    }
    for (const code of ALLOWED_PURPOSE_CODES) assert.isFalse(isProhibitedPurpose(code), code)
    assert.lengthOf(PROHIBITED_PURPOSE_CODES, 4)
  })

  test('category codes are dot paths of at least two lower-case segments', ({ assert }) => {
    assert.isTrue(CATEGORY_CODE_PATTERN.test('customer.contact.phone'))
    assert.isTrue(CATEGORY_CODE_PATTERN.test('merchant.user.account'))
    assert.isFalse(CATEGORY_CODE_PATTERN.test('customer'))
    assert.isFalse(CATEGORY_CODE_PATTERN.test('Customer.Phone'))
    assert.isFalse(CATEGORY_CODE_PATTERN.test('customer..phone'))
  })

  test('CSV cells are quoted and guarded against formula injection', ({ assert }) => {
    assert.equal(csvCell('plain'), 'plain')
    assert.equal(csvCell('a, b'), '"a, b"')
    assert.equal(csvCell('say "hi"'), '"say ""hi"""')
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
  })
})
