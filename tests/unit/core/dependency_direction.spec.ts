import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import app from '@adonisjs/core/services/app'

/* The foundation modules, which the registers and the case modules stand on. */
const FOUNDATION = ['core', 'access', 'audit', 'keys', 'reports', 'merchants']
/* Registers and case modules: only `start/` and modules above may import them. */
const ABOVE = ['data_map', 'vendors', 'conversations', 'dsr', 'government_requests']
/* The field-inventory contract every module fills in; `datamap:check` owns the checking. */
const ALLOWED = new Set(['#data_map/inventory/definition'])

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? sources(join(dir, entry.name))
        : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [])
    )
  )
  return nested.flat()
}

/** Static imports only: the report registry loads builders lazily, by design. */
function staticImports(source: string) {
  return [...source.matchAll(/^import[^'"]*from '(#[^']+)'/gm)].map((match) => match[1])
}

test.group('Dependencies point one way', () => {
  test('no foundation module statically imports a register or case module', async ({ assert }) => {
    const offences: string[] = []
    for (const module of FOUNDATION) {
      for (const file of await sources(app.makePath('app', module))) {
        for (const spec of staticImports(await readFile(file, 'utf8'))) {
          const target = spec.slice(1).split('/')[0]
          if (ABOVE.includes(target) && !ALLOWED.has(spec)) {
            offences.push(`${relative(app.makePath(), file)} imports ${spec}`)
          }
        }
      }
    }
    assert.deepEqual(offences, [])
  })

  test('the import scan sees real imports', async ({ assert }) => {
    const source = await readFile(app.makePath('start/dashboard.ts'), 'utf8')
    assert.include(staticImports(source), '#vendors/dashboard_cards')
  })
})
