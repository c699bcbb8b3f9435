import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import app from '@adonisjs/core/services/app'

/*
 * Tests isolate themselves one way (ARCHITECTURE.md, "Tests"). A functional test group rolls
 * back with `testUtils.db().withGlobalTransaction()`, unless its rows must be seen by another
 * connection or process: then it is listed here with the reason, commits, creates uniquely named
 * data through #tests/helpers/actors and never counts whole tables. Nothing truncates tables, and
 * unit tests never touch Postgres.
 */

/** `file > group`: groups that commit, and why they must. */
const COMMITTING: Record<string, string> = {
  'tests/functional/access/authorization.spec.ts > Policy sync between processes':
    'a second enforcer and the LISTEN/NOTIFY listener see committed rules only',
  'tests/functional/access/login_limits.spec.ts > Login limits: one account from many addresses':
    'a spawned server process signs in against the rows',
  'tests/functional/access/route_table.spec.ts > Route table': 'reads the router; touches no table',
  'tests/functional/api_reference/openapi.spec.ts > API reference':
    'reads the router and the document; touches no table',
  'tests/functional/audit/audit_trail.spec.ts > Audit trail under concurrency':
    'concurrent appends on separate connections race for the chain lock',
  'tests/functional/conversations/webhook_ingestion.spec.ts > conversations / webhook verification':
    'the running app stores deliveries that concurrent deliveries must see',
  'tests/functional/conversations/webhook_ingestion.spec.ts > conversations / webhook signature':
    'the running app stores deliveries that concurrent deliveries must see',
  'tests/functional/conversations/webhook_ingestion.spec.ts > conversations / webhook storage':
    'the running app stores deliveries that concurrent deliveries must see',
  'tests/functional/conversations/webhook_ingestion.spec.ts > conversations / delivery splitting':
    'the running app stores deliveries that concurrent deliveries must see',
  'tests/functional/conversations/faults.spec.ts > conversations / faults':
    'spawned web and worker processes, one of them killed mid-job',
  'tests/functional/conversations/event_processing.spec.ts > conversations / processing WhatsApp':
    'processing commits in its own transactions while the keyring uses other connections',
  'tests/functional/conversations/event_processing.spec.ts > conversations / processing Instagram':
    'processing commits in its own transactions while the keyring uses other connections',
  'tests/functional/conversations/event_processing.spec.ts > conversations / hand-over, routing and tenants':
    'processing commits in its own transactions while the keyring uses other connections',
  'tests/functional/conversations/event_processing.spec.ts > conversations / concurrent processing':
    'concurrent jobs on separate connections',
  'tests/functional/conversations/media.spec.ts > conversations / inbound media':
    'processing and the fetch job commit in their own transactions; erasure runs on other connections',
  'tests/functional/dsr/erasure_backup.spec.ts > DSR execution / erasure reaches backups':
    'pg_dump, another process, sees committed rows only',
  'tests/functional/core/health.spec.ts > Health': 'pings Postgres and Redis; writes nothing',
  'tests/functional/core/queue.spec.ts > Background jobs':
    'a BullMQ worker runs the jobs on its own connections',
  'tests/functional/core/test_runner_exit.spec.ts > The test runner always exits':
    'starts `node ace test` on its own database',
  'tests/functional/core/runner_exit_fixture.spec.ts > Runner fixture: a suite that fails with connections open':
    'a fixture for test_runner_exit, run only in that child runner with its own database',
  'tests/functional/core/runner_exit_fixture.spec.ts > Runner fixture: a test that leaks a connection the app does not know':
    'a fixture for test_runner_exit, run only in that child runner with its own database',
  'tests/functional/core/runner_exit_fixture.spec.ts > Runner fixture: a test that never ends':
    'a fixture for test_runner_exit, run only in that child runner with its own database',
  'tests/functional/keys/aws_provider.spec.ts > aws provider against the loopback KMS endpoint':
    'scope provisioning commits under an advisory lock in its own transaction',
  'tests/functional/keys/destruction.spec.ts > Crypto-shredding (local KMS)':
    'key destruction and the keyring caches read across connections',
  'tests/functional/keys/field_encryption.spec.ts > Encrypted model columns (local KMS)':
    'scope provisioning commits under an advisory lock in its own transaction',
  'tests/functional/keys/key_inventory.spec.ts > Key inventory console':
    'rotation and provisioning run their own transactions across connections',
  'tests/functional/keys/other_processes.spec.ts > Keys seen from another process':
    'a second keyring stands for another process reading committed keys',
  'tests/functional/keys/provider_switch.spec.ts > Switching the KMS provider by configuration':
    'scope provisioning commits under an advisory lock in its own transaction',
  'tests/functional/keys/rotation.spec.ts > Data key rotation':
    'rotation re-encrypts rows batch by batch in transactions of its own',
  'tests/functional/keys/sealed_columns.spec.ts > Sealed columns refuse plaintext and stay in their row':
    'runs its own rolled-back transactions next to committed keys',
  'tests/functional/keys/user_identity.spec.ts > Users: e-mail and name sealed with #keys':
    'the platform scope is provisioned in its own committed transaction',
  'tests/functional/reports/reports_console.spec.ts > Generating from the console':
    'a BullMQ worker generates the report on its own connection',
}

async function specs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? specs(join(dir, entry.name))
        : Promise.resolve(entry.name.endsWith('.spec.ts') ? [join(dir, entry.name)] : [])
    )
  )
  return nested.flat()
}

/** Each `test.group` of a spec with the source of its body (up to the next group). */
export function groupsOf(source: string) {
  const starts = [...source.matchAll(/test\.group\(\s*(['"`])(.+?)\1/g)]
  return starts.map((match, index) => ({
    name: match[2],
    body: source.slice(match.index, starts[index + 1]?.index ?? source.length),
  }))
}

/** Why a group breaks the isolation rule, or null. */
export function isolationProblem(label: string, body: string) {
  if (/\.truncate\(/.test(body)) return `${label}: truncates a table`
  // isolatedCheckpoints (#tests/helpers/checkpoints) opens the global transaction too
  if (/withGlobalTransaction|isolatedCheckpoints/.test(body)) return null
  if (!COMMITTING[label]) {
    return `${label}: neither rolls back (withGlobalTransaction) nor is listed as committing`
  }
  if (/createMerchant\(\s*['"`]/.test(body)) {
    return `${label}: commits a fixed merchant slug; let #tests/helpers/actors name it`
  }
  if (/db\s*\.from\(\s*['"`]\w+['"`]\s*\)\s*\.count\(/.test(body)) {
    return `${label}: commits and counts a whole table`
  }
  return null
}

test.group('Tests isolate themselves one way', () => {
  test('the rule refuses groups that commit unlisted, truncate or count whole tables', ({
    assert,
  }) => {
    assert.isNull(
      isolationProblem('a', 'group.each.setup(() => testUtils.db().withGlobalTransaction())')
    )
    assert.match(isolationProblem('a', 'test("x", async () => {})')!, /nor is listed/)
    assert.match(
      isolationProblem('a', 'withGlobalTransaction(); await testUtils.db().truncate()')!,
      /truncates/
    )
    const listed = Object.keys(COMMITTING)[0]
    assert.match(isolationProblem(listed, "await createMerchant('acme')")!, /fixed merchant slug/)
    assert.match(isolationProblem(listed, "await db.from('users').count('* as n')")!, /whole table/)
  })

  test('every functional group rolls back or is a listed committing group', async ({ assert }) => {
    const problems: string[] = []
    const seen = new Set<string>()
    for (const file of await specs(app.makePath('tests', 'functional'))) {
      const name = relative(app.makePath(), file)
      for (const group of groupsOf(await readFile(file, 'utf8'))) {
        const label = `${name} > ${group.name}`
        seen.add(label)
        const problem = isolationProblem(label, group.body)
        if (problem) problems.push(problem)
      }
    }
    const stale = Object.keys(COMMITTING).filter((label) => !seen.has(label))
    assert.deepEqual(problems, [])
    assert.deepEqual(stale, [], 'committing groups listed here that no longer exist')
  })

  test('unit tests never touch Postgres', async ({ assert }) => {
    const offences: string[] = []
    for (const file of await specs(app.makePath('tests', 'unit'))) {
      if (file.endsWith('test_isolation.spec.ts')) continue
      const source = await readFile(file, 'utf8')
      if (/testUtils\.db\(|\.truncate\(|resetSchema|migration:run/.test(source)) {
        offences.push(relative(app.makePath(), file))
      }
    }
    assert.deepEqual(offences, [])
    // The schema is prepared only for the suites that talk to Postgres
    const bootstrap = await readFile(app.makePath('tests', 'bootstrap.ts'), 'utf8')
    assert.match(bootstrap, /\['browser', 'functional'\]\.includes\(suite\.name\)/)
  })
})
