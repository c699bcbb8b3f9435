import { test } from '@japa/runner'
import { identifierOfColumn } from '#dsr/execution/identifiers'
import { toCsv } from '#dsr/execution/subject_data'

test.group('DSR execution / identifier columns and CSV', () => {
  test('a blind-index column names the identifier it holds, by the _bidx rule', ({ assert }) => {
    assert.equal(identifierOfColumn('phone_bidx'), 'phone')
    assert.equal(identifierOfColumn('subject_phone_bidx'), 'phone')
    assert.equal(identifierOfColumn('wa_id_bidx'), 'wa_id')
    assert.equal(identifierOfColumn('bsuid_bidx'), 'bsuid')
    assert.equal(identifierOfColumn('instagram_id_bidx'), 'instagram_id')
    assert.equal(identifierOfColumn('subject_email_bidx'), 'email')
    assert.isNull(identifierOfColumn('token_hash'))
    assert.isNull(identifierOfColumn('phone'))
  })

  test('the CSV package is one long-form file that survives commas, quotes and line breaks', ({
    assert,
  }) => {
    const csv = toCsv({
      messages: [{ id: 7, body: 'Hi, "there"\nsecond line', entities: { city: 'Cairo' } }],
    })
    const lines = csv.split('\r\n')
    assert.equal(lines[0], 'table,row_id,column,value')
    assert.equal(lines[1], 'messages,7,body,"Hi, ""there""\nsecond line"')
    assert.equal(lines[2], 'messages,7,entities,"{""city"":""Cairo""}"')
  })
})
