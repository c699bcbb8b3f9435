import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const GATEWAY = join('app', 'conversations', 'ai') + sep
/* this spec quotes import lines as test data */
const THIS_SPEC = fileURLToPath(import.meta.url)
const SKIP = new Set(['node_modules', 'build', 'tmp', 'storage', '.git', 'public'])
/* static imports, re-exports, dynamic imports and require() of the SDK or its subpaths */
const IMPORTS_OPENAI =
  /(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"]openai(?:\/[^'"]*)?['"]/

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true })
  const files = await Promise.all(
    entries.map(async (entry) => {
      if (SKIP.has(entry.name)) return []
      const path = join(directory, entry.name)
      if (entry.isDirectory()) return sourceFiles(path)
      return /\.(ts|js|mjs|cjs|tsx)$/.test(entry.name) && path !== THIS_SPEC ? [path] : []
    })
  )
  return files.flat()
}

test.group('AI gateway import rule', () => {
  test('no file outside app/conversations/ai imports the openai SDK', async ({ assert }) => {
    const files = await sourceFiles(ROOT)
    const importers = []
    for (const file of files) {
      if (IMPORTS_OPENAI.test(await readFile(file, 'utf8'))) importers.push(relative(ROOT, file))
    }
    // the rule is only meaningful while the gateway really uses the SDK
    assert.include(importers, join(GATEWAY, 'providers', 'openai_provider.ts'))
    assert.deepEqual(
      importers.filter((file) => !file.startsWith(GATEWAY)),
      []
    )
  })

  test('the pattern catches every way of importing the SDK', ({ assert }) => {
    for (const line of [
      "import OpenAI from 'openai'",
      'import { OpenAI } from "openai"',
      "import type { ChatCompletion } from 'openai/resources'",
      "const sdk = await import('openai')",
      "const sdk = require('openai')",
      "import 'openai/shims/node'",
      "export { OpenAI } from 'openai'",
    ]) {
      assert.match(line, IMPORTS_OPENAI, line)
    }
    assert.notMatch("import { x } from '#conversations/ai/openai_provider'", IMPORTS_OPENAI)
  })
})
