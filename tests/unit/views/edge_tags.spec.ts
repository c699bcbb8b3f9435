import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import { filesUnder } from '#tests/helpers/source_files'

/*
 * Edge reads a tag only at the start of a line: `<td>@!component(...)</td>` prints the tag's
 * source to the page instead of rendering it. This finds any tag behind other text.
 */
const TAG_AFTER_TEXT =
  /\S[^\n]*?(?<![\w.-])@!?(component|if|elseif|else|each|end|include|includeIf|let|assign|slot|inject)\b/

export function tagsAfterText(source: string) {
  return source
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => !line.trimStart().startsWith('{{--') && TAG_AFTER_TEXT.test(line))
    .map(({ number }) => number)
}

test.group('Edge views', () => {
  test('the scanner finds a tag behind text and leaves tags on their own line alone', ({
    assert,
  }) => {
    assert.deepEqual(tagsAfterText("<td>@!component('components/badge', {})</td>"), [1])
    assert.deepEqual(tagsAfterText("  @!component('components/badge', {})\n  @end"), [])
    assert.deepEqual(tagsAfterText('<a href="mailto:privacy@conversera.io">'), [])
  })

  test('every tag starts its line, so none is printed as text', async ({ assert }) => {
    const root = app.makePath('resources/views')
    const problems: string[] = []
    for (const file of await filesUnder(root, '.edge')) {
      const lines = tagsAfterText(await readFile(file, 'utf8'))
      for (const line of lines) problems.push(`${relative(root, file)}:${line}`)
    }
    assert.deepEqual(problems, [])
  })
})
