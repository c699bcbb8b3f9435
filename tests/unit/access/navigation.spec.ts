import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import { ROLE_PERMISSIONS } from '#access/roles'
import { NAVIGATION, NAVIGATION_GROUPS } from '#access/services/navigation'

async function navMessages(locale: string) {
  const path = app.makePath('resources', 'lang', locale, 'nav.json')
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, string>
}

test.group('Main navigation', () => {
  test('every section and every page is named in English and Arabic', async ({ assert }) => {
    for (const locale of ['en', 'ar']) {
      const messages = await navMessages(locale)
      const keys = [
        ...Object.keys(NAVIGATION_GROUPS).map((group) => `group.${group}`),
        ...NAVIGATION.map((entry) => entry.route),
      ]
      assert.deepEqual(
        keys.filter((key) => !messages[key]),
        [],
        `${locale}: nav.json lacks these`
      )
    }
  })

  test('no role is shown more than seven items across the bar', ({ assert }) => {
    for (const [role, permissions] of Object.entries(ROLE_PERMISSIONS)) {
      const visible = NAVIGATION.filter((entry) => permissions.includes(entry.permission))
      const sections = new Set(visible.map((entry) => entry.group))
      assert.isAtMost(sections.size, 7, `${role}: ${[...sections].join(', ')}`)
    }
  })
})
