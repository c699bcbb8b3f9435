import { test } from '@japa/runner'
import { parseXml } from '#tests/helpers/xml'
import { xmlEscape } from '#vendors/services/atom_feed'

test.group('vendors / XML escaping', () => {
  test('escaped text stays well-formed and round-trips', ({ assert }) => {
    const nasty = `Tom & "Jerry" <script>'x'</script>\u0001\u0007 ok`
    const root = parseXml(`<a t="${xmlEscape(nasty)}">${xmlEscape(nasty)}</a>`)
    assert.equal(root.text, `Tom & "Jerry" <script>'x'</script> ok`)
    assert.equal(root.attributes.t, root.text)
  })

  test('the checker rejects what is not well-formed', ({ assert }) => {
    assert.throws(() => parseXml('<a>Tom & Jerry</a>'), /bare "&"/)
    assert.throws(() => parseXml('<a><b></a></b>'), /mismatched/)
    assert.throws(() => parseXml('<a></a><b></b>'), /more than one root/)
  })
})
