import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { effectiveSubprocessor, subprocessorInput } from '#tests/helpers/vendors'
import { seedDataMap } from '#tests/helpers/data_map'

test.group('Labels, not codes', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a change notice reads as labelled fields and values, not field names and JSON', async ({
    client,
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin')
    const subprocessor = await effectiveSubprocessor()
    await subprocessorRegistry.update(
      subprocessor,
      subprocessorInput({ name: subprocessor.name, processingCountries: ['US', 'IN'] })
    )
    await subprocessorRegistry.publishChange(subprocessor)

    const portal = await client.get('/portal/subprocessors').actingAs(admin)
    portal.assertStatus(200)
    const html = portal.text()
    assert.include(html, 'data-change-field="processingCountries"')
    assert.match(html, /Processing countries: US → US, IN/)
    assert.notInclude(html, '<code>processingCountries</code>')
    assert.notInclude(html, '[&quot;US&quot;')

    // Staff see the subprocessor's data categories by name
    const dpo = await staffUser('dpo')
    const show = await client.get(`/vendors/subprocessors/${subprocessor.id}`).actingAs(dpo)
    assert.include(show.text(), 'Conversation message text')
    assert.notInclude(show.text(), '<code>customer.content.message</code>')
  })

  test('flows show their mechanism by label and the filters offer names, not codes to type', async ({
    client,
    assert,
  }) => {
    await seedDataMap()
    const dpo = await staffUser('dpo')
    const flows = await client.get('/data-map/flows').actingAs(dpo)
    flows.assertStatus(200)
    assert.include(flows.text(), 'SCCs Module 3 (processor to processor)')
    assert.include(flows.text(), '>United States</option>')
    assert.notInclude(flows.text(), 'Country code')
    const systems = await client.get('/data-map/systems').actingAs(dpo)
    assert.notInclude(systems.text(), 'Country code')
    assert.include(systems.text(), '>United States</option>')
    const activities = await client.get('/data-map/activities').actingAs(dpo)
    assert.include(activities.text(), '>Processing orders and purchase enquiries</option>')
    const subprocessors = await client.get('/vendors/subprocessors').actingAs(dpo)
    assert.notInclude(subprocessors.text(), 'ISO code')
    assert.include(subprocessors.text(), '>United States</option>')
  })
})
