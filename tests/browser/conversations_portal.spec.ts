import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import MerchantAiInstruction from '#conversations/models/merchant_ai_instruction'
import Message from '#conversations/models/message'
import OutboundMessage from '#conversations/outbox/outbound_message'
import { createMerchant, merchantUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { launchBrowser, newPage, signInWithMfa } from '#tests/helpers/browser'
import { seedDataMap } from '#tests/helpers/data_map'
import { customerConversation, inboundMessage } from '#tests/helpers/conversation_fixtures'

/* Browser tests commit their rows: every merchant here is new, and nothing counts whole tables. */
test.group('Conversations in the merchant portal, in a browser', (group) => {
  let browser: Browser
  group.setup(async () => {
    await seedDataMap()
    browser = await launchBrowser()
    return () => browser.close()
  })

  function watchProblems(page: Page) {
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(message.text())
      }
    })
    return problems
  }

  test('an agent answers a handed-off conversation and the reply waits in the outbox', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { conversation } = await customerConversation(merchant, { mode: 'human', token: null })
    conversation.handoffReason = 'human_request'
    await conversation.save()
    await inboundMessage(conversation, 'Can a person help me with my order 4411?')
    const agent = await merchantUser(merchant, 'merchant_agent', { withMfa: true })

    const page = await newPage(browser)
    const problems = watchProblems(page)
    await signInWithMfa(page, agent.email, TEST_PASSWORD, agent.mfaSecret!)
    await page.locator('nav.mainnav summary', { hasText: 'Conversations' }).click()
    await page.getByRole('link', { name: 'Inbox' }).click()
    await page.getByRole('link', { name: `Conversation #${conversation.id}` }).click()
    await page.getByText('Can a person help me with my order 4411?').waitFor()

    await page
      .getByLabel('Your reply')
      .fill('Hello, this is Sara from the shop. Checking order 4411 now.')
    await Promise.all([
      page.waitForURL(`**/portal/conversations/${conversation.id}`),
      page.getByRole('button', { name: 'Send reply' }).click(),
    ])
    await page.getByText('Your reply is in the outbox and will be sent.').waitFor()
    await page.getByText('Hello, this is Sara from the shop. Checking order 4411 now.').waitFor()

    const row = await OutboundMessage.query()
      .where({ conversationId: conversation.id, kind: 'agent_reply' })
      .firstOrFail()
    assert.equal(row.sentByUserId, agent.id)
    const message = await Message.findOrFail(row.messageId)
    assert.equal(message.body, 'Hello, this is Sara from the shop. Checking order 4411 now.')
    assert.deepEqual(problems, [])
    await page.context().close()
  }).timeout(60_000)

  test('a merchant admin edits the AI instructions; a bad price is refused next to the field', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const admin = await merchantUser(merchant, 'merchant_admin', { withMfa: true })
    const page = await newPage(browser)
    const problems = watchProblems(page)
    await signInWithMfa(page, admin.email, TEST_PASSWORD, admin.mfaSecret!)
    await page.locator('nav.mainnav summary', { hasText: 'Conversations' }).click()
    await page.getByRole('link', { name: 'AI instructions' }).click()

    await page
      .getByLabel('Products', { exact: true })
      .fill('Cotton T-shirt | 350\nSilk scarf | about 500')
    await page.getByLabel('Returns accepted within (days)').fill('14')
    await page.getByLabel('Cash on delivery').check()
    await page.getByLabel('Tone', { exact: true }).selectOption('formal')
    await Promise.all([
      page.waitForURL('**/portal/ai-instructions'),
      page.getByRole('button', { name: 'Save instructions' }).click(),
    ])
    await page.locator('#products-error').waitFor()
    assert.include(await page.locator('#products-error').innerText(), 'Line 2')
    assert.equal(
      await page.getByLabel('Products', { exact: true }).inputValue(),
      'Cotton T-shirt | 350\nSilk scarf | about 500'
    )
    assert.isNull(await MerchantAiInstruction.findBy('merchantId', merchant.id))

    await page
      .getByLabel('Products', { exact: true })
      .fill('Cotton T-shirt | 350\nSilk scarf | 500')
    await Promise.all([
      page.waitForURL('**/portal/ai-instructions'),
      page.getByRole('button', { name: 'Save instructions' }).click(),
    ])
    await page.getByText('Your AI instructions are saved; the next reply uses them.').waitFor()
    const saved = await MerchantAiInstruction.findByOrFail('merchantId', merchant.id)
    assert.deepEqual(
      saved.products.map((p) => [p.name, p.price]),
      [
        ['Cotton T-shirt', 350],
        ['Silk scarf', 500],
      ]
    )
    assert.equal(saved.tone, 'formal')
    assert.equal(saved.returnsPolicy?.windowDays, 14)
    assert.deepEqual(problems, [])
    await page.context().close()
  }).timeout(60_000)
})
