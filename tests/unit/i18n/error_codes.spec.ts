import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import i18nManager from '@adonisjs/i18n/services/main'
import { filesUnder } from '#tests/helpers/source_files'
import { translatedMessage } from '#i18n/errors'
import { InvalidTransition } from '#dsr/services/workflow'

/*
 * A domain error reaches the reader through `translatedMessage` (`errors.<code>`), falling back
 * to the error's own English. So every code app/ raises needs its Arabic in errors.json, or an
 * Arabic reader meets English. English is the error's own message (it names the case, the date,
 * the hold), so an `en` entry is optional and, where present, overrides it.
 */

const CLASS = /\bclass\s+(\w+)\s+extends\s+(\w+)/g
const LITERAL = `\\s*['"\`]([a-z][a-z0-9_]*)['"\`]\\s*,`

interface Source {
  file: string
  text: string
}

async function appSources(): Promise<Source[]> {
  const files = await filesUnder(app.makePath('app'), '.ts')
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })))
}

/**
 * The classes that are domain errors, and among them those whose constructor takes the code
 * first (`Conflict(code, message)`), found in the sources rather than listed, so a new one counts.
 */
function errorClasses(sources: Source[]) {
  const parents = new Map<string, string>()
  for (const { text } of sources) {
    for (const [, name, parent] of text.matchAll(CLASS)) parents.set(name, parent)
  }
  const isError = (name: string): boolean =>
    name === 'DomainError' || (parents.has(name) && isError(parents.get(name)!))
  const errors = new Set([...parents.keys()].filter(isError))
  errors.add('DomainError')
  const takesCode = new Set(['DomainError'])
  for (const { text } of sources) {
    for (const match of text.matchAll(
      /\bclass\s+(\w+)\s+extends\s+\w+\s*\{\s*constructor\(\s*code\b/g
    ))
      if (errors.has(match[1])) takesCode.add(match[1])
  }
  return { errors, takesCode }
}

/**
 * Every code raised in app/, with where it is raised; and the files that raise a code the scan
 * cannot read (a variable, with no table of codes in the file), which must be made readable.
 */
async function scanCodes() {
  const sources = await appSources()
  const { errors, takesCode } = errorClasses(sources)
  const codes = new Map<string, string>()
  const unreadable: string[] = []
  let found = 0
  const add = (code: string, file: string) => {
    found++
    if (!codes.has(code)) codes.set(code, relative(app.makePath(), file))
  }
  for (const { file, text } of sources) {
    found = 0
    let dynamic = false
    // `new DomainError(code, …)`, `super(code, …)`: the code comes from elsewhere in the file
    for (const match of text.matchAll(/\b(?:new\s+(\w+)|super)\(\s*([^'"`\s])/g)) {
      const declared = [...text.slice(0, match.index).matchAll(CLASS)].at(-1)
      const raises = match[1]
        ? takesCode.has(match[1])
        : !!declared && errors.has(declared[1]) && takesCode.has(declared[2])
      // A constructor that takes the code and passes it on (Conflict) raises nothing itself
      const passesOn = !match[1] && !!declared && takesCode.has(declared[1])
      if (raises && !passesOn) dynamic = true
    }
    // `new Conflict('code', …)`
    for (const match of text.matchAll(new RegExp(`\\bnew\\s+(\\w+)\\(${LITERAL}`, 'g'))) {
      if (takesCode.has(match[1])) add(match[2], file)
    }
    // `super('code', …)` in a domain error's constructor
    for (const match of text.matchAll(new RegExp(`\\bsuper\\(${LITERAL}`, 'g'))) {
      const declared = [...text.slice(0, match.index).matchAll(CLASS)].at(-1)
      if (declared && errors.has(declared[1]) && takesCode.has(declared[2])) add(match[1], file)
    }
    // A helper that forwards its `code` to such a constructor: `refuse('code', …)`
    for (const [, helper] of text.matchAll(/\b(\w+)\s*=?\s*\(\s*code: string\b/g)) {
      const forwards = [...takesCode].some((name) => text.includes(`new ${name}(code,`))
      if (!forwards || helper === 'constructor') continue
      for (const match of text.matchAll(new RegExp(`\\b${helper}\\(${LITERAL}`, 'g')))
        add(match[1], file)
    }
    // A table of refusals: `['outside_24h_window', 'The customer last wrote …']`
    if (dynamic) {
      for (const match of text.matchAll(/\[\s*['"]([a-z][a-z0-9_]*)['"],\s*['"`][A-Z]/g))
        add(match[1], file)
      if (found === 0) unreadable.push(relative(app.makePath(), file))
    }
  }
  return { codes, unreadable }
}

async function raisedCodes() {
  const { codes } = await scanCodes()
  return codes
}

async function messages(locale: string): Promise<Record<string, string>> {
  return JSON.parse(
    await readFile(app.makePath('resources', 'lang', locale, 'errors.json'), 'utf8')
  )
}

test.group('Domain error codes', () => {
  test('the scan finds codes raised by every module, through subclasses and helpers', async ({
    assert,
  }) => {
    const codes = await raisedCodes()
    // One per way of raising: new DomainError, new Conflict, super() in a subclass of a
    // subclass, and a helper that forwards its code; each in a different module
    assert.equal(codes.get('dsr_not_waiting'), 'app/dsr/services/workflow.ts')
    assert.equal(codes.get('dsr_invalid_transition'), 'app/dsr/services/workflow.ts')
    assert.equal(codes.get('export_expired'), 'app/dsr/execution/exports.ts')
    assert.equal(codes.get('kms_unavailable'), 'app/keys/errors.ts')
    assert.equal(
      codes.get('no_legal_instrument'),
      'app/government_requests/services/disclosures.ts'
    )
    assert.isTrue(codes.has('termination_open'))
    // Codes in a table the raise reads from: per channel, per letter, per webhook refusal
    assert.equal(
      codes.get('outside_human_agent_window'),
      'app/conversations/inbox/inbox_service.ts'
    )
    assert.isTrue(codes.has('no_refusal'))
    assert.isTrue(codes.has('signature_invalid'))
    // A field name given to FieldInvalid is not a code
    assert.isFalse(codes.has('email'))
    assert.isFalse(codes.has('url'))
    assert.isAbove(codes.size, 60)
  })

  test('every raise of a domain error names its code where the scan can read it', async ({
    assert,
  }) => {
    const { unreadable } = await scanCodes()
    assert.deepEqual(unreadable, [])
  })

  test('every code raised in app/ has its message in Arabic', async ({ assert }) => {
    const ar = await messages('ar')
    const missing = [...(await raisedCodes())]
      .filter(([code]) => !ar[code])
      .map(([code, file]) => `${code} (${file})`)
    assert.deepEqual(missing, [])
  })

  test('an English entry, where one exists, is for a code that is raised', async ({ assert }) => {
    const codes = await raisedCodes()
    const unknown = Object.keys({ ...(await messages('en')), ...(await messages('ar')) }).filter(
      (key) => !key.startsWith('page.') && !codes.has(key)
    )
    assert.deepEqual(unknown, [])
  })

  test('a DSR refusal reads in Arabic, and in English as the error says it', async ({ assert }) => {
    await i18nManager.loadTranslations()
    const error = new InvalidTransition('completed', 'in_progress')
    assert.equal(
      translatedMessage(i18nManager.locale('ar'), error),
      'لا يمكن نقل الطلب إلى هذه الحالة من حالته الحالية.'
    )
    assert.equal(translatedMessage(i18nManager.locale('en'), error), error.message)
  })
})
