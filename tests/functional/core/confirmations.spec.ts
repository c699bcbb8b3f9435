import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import keyring from '#keys/services/keyring'
import DataFlow from '#data_map/models/data_flow'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import { seedDataMap } from '#tests/helpers/data_map'
import { effectiveSubprocessor, proposedSubprocessor } from '#tests/helpers/vendors'

/**
 * The opening tag of every form posting to `action`, whose `data-confirm` message the console
 * script shows in a dialog before the form is sent.
 */
function confirmOf(html: string, action: string, marker?: string) {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)]
    .map((m) => m[0])
    .filter((form) => form.includes(`action="${action}"`))
    .filter((form) => !marker || form.includes(marker))
  return forms.map((form) => /data-confirm="([^"]*)"/.exec(form)?.[1] ?? null)
}

/** A page's HTML as the user sees it. */
async function pageText(response: Promise<{ text(): string }>) {
  const page = await response
  return page.text()
}

test.group('Destructive actions ask first', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('disabling a user, revoking a role, removing a flow, rotating a key and retiring a subprocessor each name their consequence', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const target = await staffUser('privacy_analyst')
    const userPage = await pageText(client.get(`/users/${target.id}`).actingAs(admin))
    const [disable] = confirmOf(userPage, `/users/${target.id}/disable`)
    assert.match(disable!, /^Disable .+\? They are signed out/)
    const [revoke] = confirmOf(userPage, `/users/${target.id}/roles/privacy_analyst/revoke`)
    assert.isNotNull(revoke)

    await seedDataMap()
    const dpo = await staffUser('dpo')
    const flow = await DataFlow.query().orderBy('id').firstOrFail()
    const flows = await pageText(client.get('/data-map/flows').actingAs(dpo))
    const [remove] = confirmOf(flows, `/data-map/flows/${flow.id}/delete`)
    assert.include(remove!, `Remove the data flow “${flow.name}”?`)

    const merchant = await createMerchant()
    await keyring.scope(merchant.id, true)
    const keys = await pageText(client.get('/keys').actingAs(dpo))
    const rotations = confirmOf(keys, '/keys/rotations')
    assert.isNotEmpty(rotations)
    for (const message of rotations) assert.match(message!, /^Rotate the data key of .+\?/)

    const subprocessor = await effectiveSubprocessor()
    const show = await pageText(
      client.get(`/vendors/subprocessors/${subprocessor.id}`).actingAs(dpo)
    )
    const [retire] = confirmOf(
      show,
      `/vendors/subprocessors/${subprocessor.id}/transition`,
      'value="retired"'
    )
    assert.include(retire!, `Retire ${subprocessor.name}?`)
    assert.include(retire!, 'cannot be undone')
  })

  test('publishing a notice for a subprocessor whose transfers are not compliant warns first', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const proposed = await proposedSubprocessor()
    const show = await pageText(client.get(`/vendors/subprocessors/${proposed.id}`).actingAs(dpo))
    const [publish] = confirmOf(
      show,
      `/vendors/subprocessors/${proposed.id}/transition`,
      'value="notice_published"'
    )
    assert.include(publish!, 'are not compliant')
    assert.include(publish!, 'Publish the notice to merchants anyway?')
  })
})
