import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import { filesUnder } from '#tests/helpers/source_files'

/*
 * Words on pages go through `t()` (ARCHITECTURE.md, "Languages"). These tests read the Edge
 * views and the language files; they need neither a server nor a database.
 */

/**
 * Text that may stand in a view as it is: proper nouns and codes, the same in every language.
 * Keep it short; a sentence never belongs here.
 */
const ALLOWED_TEXT = new Set([
  'Conversera', // the product's name, in the layout's brand
  'Privacy Hub', // the product's name, in the layout's brand
  'JSON', // a format's name (public list: the machine-readable link)
  '/api/v1/openapi.json', // a URL shown as the link's own text
  'Authorization: Bearer &lt;token&gt;', // an HTTP header, written as the client sends it
  'cvh_', // the prefix of every API token
  'JWE', // a format's name (government disclosure packages)
  'CSV', // a format's name (download links)
  '/transparency', // a URL shown as the link's own text
])

/**
 * Keys whose English is not in resources/lang but where the thing is defined, passed to t() as
 * the fallback; only their Arabic is in the language files (checked below).
 */
const ENGLISH_ELSEWHERE = [
  'reports.kinds.', // a report kind's title and description: the report registry
]

/** Attributes whose value is read by people (or by screen readers). */
const READ_ATTRS =
  /\b(placeholder|aria-label|title|alt|data-confirm|data-confirm-label|data-text-[\w-]+)="([^"]*)"/g
/** Edge tags; an Edge tag's arguments are code, not text. */
const EDGE_TAG =
  /^@!?(if|elseif|else|end|each|let|component|layout|slot|include|includeIf|unless|assign|eval|inject|stack|pushTo|pushOnceTo)\b/

const WORDS = /[A-Za-z]{2,}/
/** Luxon date formats ('yyyy-LL-dd HH:mm'): code that has spaces. */
const DATE_FORMAT = /^[yLMdHhmsa\-: /.,T']+$/

const files = filesUnder

function closeOf(source: string, from: number, close: string) {
  const at = source.indexOf(close, from)
  return at < 0 ? source.length : at + close.length
}

/** Index just past the parenthesis that closes the one at `open`, skipping strings. */
function balanced(source: string, open: number) {
  let depth = 0
  let quote: string | null = null
  for (let at = open; at < source.length; at++) {
    const char = source[at]
    if (quote) {
      if (char === '\\') at++
      else if (char === quote) quote = null
    } else if (`'"\``.includes(char)) quote = char
    else if ('([{'.includes(char)) depth++
    else if (')]}'.includes(char) && --depth === 0) return at + 1
  }
  return source.length
}

type Piece = { kind: 'text' | 'code' | 'tag'; text: string; line: number }

/** Splits an Edge template into text nodes, code (mustaches, Edge tags) and HTML tags. */
export function piecesOf(source: string): Piece[] {
  const pieces: Piece[] = []
  let textStart = 0
  let at = 0
  const lineAt = (index: number) => source.slice(0, index).split('\n').length
  const push = (kind: Piece['kind'], start: number, end: number) => {
    if (textStart < start)
      pieces.push({ kind: 'text', text: source.slice(textStart, start), line: lineAt(textStart) })
    pieces.push({ kind, text: source.slice(start, end), line: lineAt(start) })
    textStart = at = end
  }
  while (at < source.length) {
    const rest = source.slice(at, at + 40)
    if (rest.startsWith('{{--')) push('code', at, closeOf(source, at, '--}}') + 0)
    else if (rest.startsWith('{{{')) push('code', at, closeOf(source, at, '}}}'))
    else if (rest.startsWith('{{')) push('code', at, closeOf(source, at, '}}'))
    else if (source[at] === '@' && EDGE_TAG.test(source.slice(at, at + 30))) {
      let end = at + source.slice(at).match(/^@!?[a-zA-Z]+/)![0].length
      if (source[end] === '(') end = balanced(source, end)
      push('code', at, end)
    } else if (/^<(script|style)\b/.test(rest)) {
      const name = rest.match(/^<(script|style)/)![1]
      push('code', at, closeOf(source, at, `</${name}>`))
    } else if (/^<[a-zA-Z/!]/.test(rest)) {
      let end = at
      let quote: string | null = null
      while (end < source.length) {
        if (source.startsWith('{{', end)) {
          end = closeOf(source, end, '}}')
          continue
        }
        const char = source[end]
        if (quote) {
          if (char === quote) quote = null
        } else if (char === '"' || char === "'") quote = char
        else if (char === '>') break
        end++
      }
      push('tag', at, end + 1)
    } else at++
  }
  if (textStart < source.length) {
    pieces.push({ kind: 'text', text: source.slice(textStart), line: lineAt(textStart) })
  }
  return pieces
}

/** The string literals of a piece of code (an Edge tag's arguments, a mustache). */
function stringsOf(code: string) {
  const found: string[] = []
  for (let at = 0; at < code.length; at++) {
    const quote = code[at]
    if (quote !== "'" && quote !== '"' && quote !== '`') continue
    let end = at + 1
    while (end < code.length && code[end] !== quote) end += code[end] === '\\' ? 2 : 1
    found.push(code.slice(at + 1, end))
    at = end
  }
  return found
}

/** CSS classes written in the views' class attributes: strings made of them are code. */
export function classesOf(sources: string[]) {
  const classes = new Set<string>()
  for (const source of sources) {
    for (const [, value] of source.matchAll(/class="([^"]*)"/g)) {
      for (const name of value.replace(/\{\{[^}]*\}\}/g, ' ').split(/\s+/))
        if (name) classes.add(name)
    }
  }
  return classes
}

/**
 * Does a string in code read as words for people? "Rotate data key", "Revoke", "deletion on";
 * not 'selected', 'badge ok' (classes), 'aria-invalid="true"' or 'yyyy-LL-dd'.
 */
function isProse(value: string, classes: Set<string>) {
  const text = value.trim()
  if (
    !WORDS.test(text) ||
    DATE_FORMAT.test(text) ||
    /[\w-]+="/.test(text) ||
    /^<[a-z]/.test(text)
  ) {
    return /<[a-z][^>]*>[^<]*[A-Za-z]{2,}[^<]*</.test(text)
  }
  const words = text.split(/\s+/)
  if (words.length === 1) return /^[A-Z][a-z]/.test(text) && !/[._:/]/.test(text)
  return !words.every((word) => classes.has(word))
}

/** English written into a view rather than through `t()`. */
export function literalsOf(
  source: string,
  classes = classesOf([source])
): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = []
  let inCode = false
  for (const piece of piecesOf(source)) {
    const texts = new Set<string>()
    // Text inside <code> is a code, a path or a header, the same in every language
    if (piece.kind === 'tag' && /^<\/?code\b/.test(piece.text))
      inCode = !piece.text.startsWith('</')
    if (piece.kind === 'text' && !inCode) {
      const text = piece.text.trim().replace(/\s+/g, ' ')
      if (WORDS.test(text) && !ALLOWED_TEXT.has(text)) texts.add(text)
    } else if (piece.kind === 'tag') {
      const attributes = piece.text.replace(/\{\{\{?[^]*?\}?\}\}/g, '')
      for (const [, , value] of attributes.matchAll(READ_ATTRS)) {
        if (isProse(value, classes)) texts.add(value.trim())
      }
      for (const [code] of piece.text.matchAll(/\{\{[^]*?\}\}/g)) {
        for (const value of stringsOf(code.slice(2, -2)))
          if (isProse(value, classes)) texts.add(value)
      }
    } else if (!piece.text.startsWith('{{--') && !piece.text.startsWith('<')) {
      for (const value of stringsOf(piece.text)) if (isProse(value, classes)) texts.add(value)
    }
    for (const text of texts) found.push({ line: piece.line, text })
  }
  return found
}

async function languageFile(locale: string, namespace: string) {
  const path = app.makePath('resources', 'lang', locale, `${namespace}.json`)
  return JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Record<string, string>
}

async function namespaces() {
  const names = await readdir(app.makePath('resources', 'lang', 'en'))
  return names
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
}

/**
 * `{name}`, `{name, number}`, `{name, plural, …}`: the arguments a message reads. In ICU a brace
 * opened at an even depth starts an argument, one opened at an odd depth a plural/select branch.
 */
function argumentsOf(message: string) {
  const names = new Set<string>()
  let depth = 0
  for (let at = 0; at < message.length; at++) {
    if (message[at] === '{') {
      if (depth % 2 === 0) {
        const name = message.slice(at + 1).match(/^\s*([a-zA-Z_]\w*)/)
        if (name) names.add(name[1])
      }
      depth++
    } else if (message[at] === '}') depth--
  }
  return names
}

test.group('Console strings go through t()', () => {
  test('the scanner finds English in text, attributes and component props', ({ assert }) => {
    const view = [
      "@layout({ title: 'Key inventory' })",
      '  <h1>Key inventory</h1>',
      '  <input placeholder="slug or name">',
      "  @!component('components/confirm', { button: t('keys.rotate'), message: 'Rotate ' + slug + '? It cannot be undone.' })",
      "  <p>{{ t('keys.intro') }} <strong>{{ provider }}</strong></p>",
      '  <a class="brand">Conversera <strong>Privacy Hub</strong></a>',
    ].join('\n')
    assert.deepEqual(
      literalsOf(view).map(({ text }) => text),
      ['Key inventory', 'Key inventory', 'slug or name', 'Rotate ', '? It cannot be undone.']
    )
  })

  test('no view writes an English sentence outside t()', async ({ assert }) => {
    const offences: string[] = []
    const views = await files(app.makePath('resources', 'views'), '.edge')
    const sources = await Promise.all(views.map((file) => readFile(file, 'utf8')))
    const classes = classesOf(sources)
    for (const [index, file] of views.entries()) {
      for (const { line, text } of literalsOf(sources[index], classes)) {
        offences.push(`${relative(app.makePath(), file)}:${line} "${text.slice(0, 80)}"`)
      }
    }
    assert.deepEqual(
      offences,
      [],
      'put these words in resources/lang/en/<namespace>.json and use t()'
    )
  })

  test('no view names a variable `t`, which would hide t() below it', async ({ assert }) => {
    const offences: string[] = []
    for (const file of await files(app.makePath('resources', 'views'), '.edge')) {
      const source = await readFile(file, 'utf8')
      if (/@each\(\s*\(?\s*t\s*[,)\s]|@let\(\s*t\s*=|\(\s*t\s*\)\s*=>|[(,]\s*t\s*=>/.test(source)) {
        offences.push(relative(app.makePath(), file))
      }
    }
    assert.deepEqual(offences, [])
  })

  test('every key a view or controller uses exists in English', async ({ assert }) => {
    const english = new Map<string, Record<string, string>>()
    for (const namespace of await namespaces())
      english.set(namespace, await languageFile('en', namespace))
    const sources = [
      ...(await files(app.makePath('resources', 'views'), '.edge')),
      ...(await files(app.makePath('app'), '.ts')),
    ]
    const missing: string[] = []
    let checked = 0
    for (const file of sources) {
      const source = await readFile(file, 'utf8')
      // t('ns.key') in views, i18n.t('ns.key') in code; a key built at run time ends with ' +
      for (const [, key, dynamic] of source.matchAll(/\bt\(\s*'([a-z_]+\.[\w.]+)'(\s*\+)?/g)) {
        const [namespace, ...rest] = key.split('.')
        const messages = english.get(namespace)
        const path = rest.join('.')
        const known =
          ENGLISH_ELSEWHERE.some((prefix) => key.startsWith(prefix)) ||
          (dynamic
            ? Object.keys(messages ?? {}).some((name) => name.startsWith(path))
            : messages?.[path] !== undefined)
        checked++
        if (!known) missing.push(`${relative(app.makePath(), file)}: ${key}`)
      }
    }
    assert.isAbove(checked, 500)
    assert.deepEqual(missing, [])
  })

  test('every pager noun has its counted words in English and Arabic', async ({ assert }) => {
    const en = await languageFile('en', 'common')
    const ar = await languageFile('ar', 'common')
    const missing: string[] = []
    for (const file of await files(app.makePath('resources', 'views'), '.edge')) {
      const source = await readFile(file, 'utf8')
      for (const [, noun] of source.matchAll(/\bnoun: '(\w+)'/g)) {
        for (const [locale, messages] of [
          ['en', en],
          ['ar', ar],
        ] as const) {
          if (!messages[`count.${noun}`])
            missing.push(`${locale} common.count.${noun} (${relative(app.makePath(), file)})`)
        }
      }
    }
    assert.deepEqual(missing, [])
  })

  test('every report kind has its title and description in Arabic', async ({ assert }) => {
    const { reportKinds } = await import('#reports/registry')
    const ar = await languageFile('ar', 'reports')
    const missing = reportKinds().flatMap(({ kind }) =>
      ['title', 'description'].map((part) => `kinds.${kind}.${part}`).filter((key) => !ar[key])
    )
    assert.deepEqual(missing, [])
  })

  test('every dashboard card has its label in English and Arabic', async ({ assert }) => {
    const { DASHBOARD_CARDS } = await import('#start/dashboard')
    const en = await languageFile('en', 'dashboard')
    const ar = await languageFile('ar', 'dashboard')
    const missing = DASHBOARD_CARDS.flatMap((card) =>
      [
        ['en', en],
        ['ar', ar],
      ]
        .filter(([, messages]) => !(messages as Record<string, string>)[`cards.${card.key}`])
        .map(([locale]) => `${locale} dashboard.cards.${card.key}`)
    )
    assert.isAbove(DASHBOARD_CARDS.length, 20)
    assert.deepEqual(missing, [])
  })

  test('Arabic translates only English keys, with the same arguments', async ({ assert }) => {
    const problems: string[] = []
    const coverage: string[] = []
    for (const namespace of await namespaces()) {
      const en = await languageFile('en', namespace)
      const ar = await languageFile('ar', namespace)
      const keys = Object.keys(en)
      const translated = keys.filter((key) => ar[key] !== undefined)
      coverage.push(`${namespace} ${translated.length}/${keys.length}`)
      for (const [key, message] of Object.entries(ar)) {
        // `common.label.<code>`: Arabic status labels, whose English lives in statusLabel()
        if (namespace === 'common' && key.startsWith('label.')) continue
        // `errors.<code>`: a domain error's message, whose English is the error's own message
        // `reports.kinds.<kind>.*`: a report kind's name, whose English is in the report registry
        if (namespace === 'reports' && key.startsWith('kinds.')) continue
        if (namespace === 'errors' && !key.startsWith('page.')) continue
        if (en[key] === undefined) {
          problems.push(`${namespace}.${key} is not an English key`)
          continue
        }
        // Arabic may leave an argument out (a noun it words differently), never read a new one
        const given = argumentsOf(en[key])
        const unknown = [...argumentsOf(message)].filter((name) => !given.has(name))
        if (unknown.length)
          problems.push(`${namespace}.${key} reads {${unknown}}, not given in English`)
      }
    }
    console.log(`Arabic coverage: ${coverage.join(', ')}`)
    assert.deepEqual(problems, [])
  })
})
