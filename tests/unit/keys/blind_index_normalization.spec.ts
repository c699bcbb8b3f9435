import { test } from '@japa/runner'
import { normalizeIdentifier } from '#keys/services/blind_index'

test.group('Blind index normalization', () => {
  test('phone spellings meet in E.164', ({ assert }) => {
    for (const spelling of [
      '+44 20 7946 0958',
      '0044 (20) 7946-0958',
      ' +442079460958 ',
      '+44.20.7946.0958',
    ]) {
      assert.equal(normalizeIdentifier('phone', spelling), '+442079460958')
    }
  })

  test('a phone number without a country code is refused, not guessed', ({ assert }) => {
    assert.throws(() => normalizeIdentifier('phone', '020 7946 0958'), /international form/)
    assert.throws(() => normalizeIdentifier('phone', '+0 123 456'), /international form/)
  })

  test('e-mail is trimmed and lower-cased', ({ assert }) => {
    assert.equal(
      normalizeIdentifier('email', '  Layla.Haddad@Example.COM '),
      'layla.haddad@example.com'
    )
    assert.throws(() => normalizeIdentifier('email', 'not-an-email'), /valid e-mail/)
  })

  test('wa_id keeps digits; a BSUID keeps its form with the country upper-cased', ({ assert }) => {
    assert.equal(normalizeIdentifier('wa_id', '+20 100 123 4567'), '201001234567')
    assert.equal(normalizeIdentifier('wa_id', 'us.13491208655302741918'), 'US.13491208655302741918')
    assert.throws(() => normalizeIdentifier('wa_id', 'hello world'), /WhatsApp id/)
  })

  test('Instagram ids are digit strings', ({ assert }) => {
    assert.equal(normalizeIdentifier('instagram_id', ' 17841400000000000 '), '17841400000000000')
    assert.throws(() => normalizeIdentifier('instagram_id', '@layla'), /digits only/)
  })
})
