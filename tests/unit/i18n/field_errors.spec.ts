import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { filesUnder } from '#tests/helpers/source_files'
import { translatedFieldErrors } from '#i18n/errors'
import { FieldInvalid } from '#core/errors'

/*
 * A service's field error (`FieldInvalid(field, message, rule)`) reaches a form next to its
 * field, in the reader's language: `field_errors.<rule>`. So every raise names a rule of its own
 * (not the default `invalid`), and every rule has its Arabic.
 */

/** The arguments of each `new FieldInvalid(…)` call, split at top-level commas. */
function fieldInvalidCalls(text: string) {
  const calls: string[][] = []
  for (const match of text.matchAll(/\bnew FieldInvalid\(/g)) {
    const args: string[] = []
    let depth = 0
    let quote: string | null = null
    let current = ''
    for (let i = match.index + match[0].length; i < text.length; i++) {
      const char = text[i]
      if (quote) {
        current += char
        if (char === '\\') current += text[++i]
        else if (char === quote) quote = null
        continue
      }
      if (char === "'" || char === '"' || char === '`') quote = char
      else if ('([{'.includes(char)) depth++
      else if (')]}'.includes(char)) {
        if (depth === 0) {
          args.push(current.trim())
          break
        }
        depth--
      } else if (char === ',' && depth === 0) {
        args.push(current.trim())
        current = ''
        continue
      }
      current += char
    }
    calls.push(args.filter((arg) => arg !== ''))
  }
  return calls
}

async function rulesInApp() {
  const rules = new Map<string, string>()
  const unnamed: string[] = []
  for (const file of await filesUnder(app.makePath('app'), '.ts')) {
    const text = await readFile(file, 'utf8')
    for (const args of fieldInvalidCalls(text)) {
      const rule = /^'([a-z][a-z0-9_]*)'$/.exec(args[2] ?? '')?.[1]
      const where = `${relative(app.makePath(), file)}: ${args[0]}`
      if (!rule || rule === 'invalid') unnamed.push(where)
      else if (!rules.has(rule)) rules.set(rule, where)
    }
  }
  return { rules, unnamed }
}

test.group('Field errors raised by services', () => {
  test('the scan reads every FieldInvalid, multi-line and with nested calls', async ({
    assert,
  }) => {
    const calls = fieldInvalidCalls(
      "throw new FieldInvalid(\n  'period',\n  `No ${f(a, b)} here, (really)`,\n  'period_format'\n)"
    )
    assert.deepEqual(calls, [["'period'", '`No ${f(a, b)} here, (really)`', "'period_format'"]])
    const { rules, unnamed } = await rulesInApp()
    assert.isAbove(rules.size + unnamed.length, 60)
  })

  test('every FieldInvalid names a rule of its own', async ({ assert }) => {
    const { unnamed } = await rulesInApp()
    assert.deepEqual(unnamed, [])
  })

  test('every rule has its message in Arabic, and Arabic has no rule nothing raises', async ({
    assert,
  }) => {
    const { rules } = await rulesInApp()
    const ar: Record<string, string> = JSON.parse(
      await readFile(app.makePath('resources', 'lang', 'ar', 'field_errors.json'), 'utf8')
    )
    assert.deepEqual(
      [...rules].filter(([rule]) => !ar[rule]).map(([rule, where]) => `${rule} (${where})`),
      []
    )
    assert.deepEqual(
      Object.keys(ar).filter((rule) => !rules.has(rule)),
      []
    )
  })

  test('a field error reads in Arabic, and in English as the service wrote it', async ({
    assert,
  }) => {
    await i18nManager.loadTranslations()
    const { rules } = await rulesInApp()
    const [rule] = [...rules.keys()]
    const error = new FieldInvalid('field', 'The English message, naming what was typed.', rule)
    const [arabic] = translatedFieldErrors(i18nManager.locale('ar'), error.details)
    assert.notEqual(arabic.message, error.message)
    assert.match(arabic.message, /[\u0600-\u06FF]/)
    const [english] = translatedFieldErrors(i18nManager.locale('en'), error.details)
    assert.equal(english.message, error.message)
  })
})
