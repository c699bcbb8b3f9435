import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import { filesUnder } from '#tests/helpers/source_files'

/*
 * Scripts in public/js show no words of their own: a text they set (progress, a chart's series,
 * a dialog's button) comes from the page, rendered through t() into data-text-* attributes and
 * read with `window.pageText(element, name, values)` (public/js/console.js). English written in a
 * script stays English on an Arabic page.
 */

/** The string literals of a script, with comments skipped (their English is for developers). */
export function literalsOf(source: string) {
  const found: string[] = []
  for (let at = 0; at < source.length; at++) {
    if (source.startsWith('//', at)) {
      at = source.indexOf('\n', at)
      if (at < 0) break
      continue
    }
    if (source.startsWith('/*', at)) {
      at = source.indexOf('*/', at + 2) + 1
      if (at === 0) break
      continue
    }
    const quote = source[at]
    if (quote !== "'" && quote !== '"' && quote !== '`') continue
    let end = at + 1
    while (end < source.length && source[end] !== quote) end += source[end] === '\\' ? 2 : 1
    found.push(source.slice(at + 1, end))
    at = end
  }
  return found
}

/** `KeyboardEvent.key` values: compared with, never shown. */
const KEY_NAMES = new Set(['Escape', 'Enter', 'Tab', 'ArrowUp', 'ArrowDown', 'Home', 'End'])
/** A CSS selector: '.mainnav details[open]', '#id', 'node[kind = "system"]'. */
const SELECTOR = /^[.#]|\w\[[\w-]+\s*(=|\])/

/** Words for people: 'Queued…', 'Rows purged', ' nodes and '; not 'text/html' or 'node[kind]'. */
export function readsAsWords(literal: string) {
  if (KEY_NAMES.has(literal) || SELECTOR.test(literal)) return false
  return (
    /[A-Za-z]{2,}[,.;:]?\s+[A-Za-z]{2,}/.test(literal) ||
    /^\s*[A-Z][a-z]+\b/.test(literal) ||
    /[A-Za-z]{2,}…/.test(literal)
  )
}

test.group('Words in client-side scripts', () => {
  test('the check tells words for people from code', ({ assert }) => {
    const literals = literalsOf(
      `// A comment's words are not shown\n` +
        `el.textContent = 'Copied'; window.confirm("Delete this key?")\n` +
        `show(0, 'Queued…'); status.textContent = n + ' nodes and ' + m\n` +
        `fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })\n` +
        `cy.style({ selector: 'node[kind = "system"]', 'line-style': 'dashed' }); new Error('HTTP ' + s)\n` +
        `document.querySelectorAll('.mainnav details[open]'); if (event.key === 'Escape') close()`
    )
    assert.deepEqual(literals.filter(readsAsWords), [
      'Copied',
      'Delete this key?',
      'Queued…',
      ' nodes and ',
    ])
  })

  test('public/js sets no English text of its own', async ({ assert }) => {
    const found: string[] = []
    let scanned = 0
    for (const file of await filesUnder(app.makePath('public', 'js'), '.js')) {
      const literals = literalsOf(await readFile(file, 'utf8'))
      scanned += literals.length
      for (const literal of literals.filter(readsAsWords))
        found.push(`${relative(app.makePath(), file)}: ${JSON.stringify(literal)}`)
    }
    assert.isAbove(scanned, 100)
    assert.deepEqual(found, [])
  })

  test('every text a script reads is given by the page that loads it', async ({ assert }) => {
    const missing: string[] = []
    const views = await filesUnder(app.makePath('resources', 'views'), '.edge')
    const sources = await Promise.all(views.map((view) => readFile(view, 'utf8')))
    for (const file of await filesUnder(app.makePath('public', 'js'), '.js')) {
      const script = await readFile(file, 'utf8')
      const names = [...script.matchAll(/pageText\(\s*\w+,\s*'(\w+)'/g)].map(([, name]) => name)
      if (names.length === 0) continue
      const src = `/js/${relative(app.makePath('public', 'js'), file)}`
      const pages = sources.filter((source) => source.includes(`src="${src}"`))
      assert.isNotEmpty(pages, `${src} is loaded by a view`)
      for (const name of names) {
        const attribute = `data-text-${name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}="`
        if (!pages.some((source) => source.includes(attribute)))
          missing.push(`${src}: ${attribute}`)
      }
    }
    assert.deepEqual(missing, [])
  })
})
