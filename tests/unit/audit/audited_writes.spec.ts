import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import { filesUnder } from '#tests/helpers/source_files'

/*
 * "Change data and audit it" has one way (ARCHITECTURE.md, "One way of doing things"):
 * `saveAudited` / `auditedWrite` from #audit/services/audited_write, so the change and its event
 * commit together. This reads the sources for the hand-rolled twins: a transaction opened next to
 * an audit record, or a save followed by a record outside any transaction.
 */

/** Where the audit module itself appends, and the helper that everyone else calls. */
const AUDIT_MODULE = 'app/audit/'

/**
 * Hand-rolled on purpose, with the reason. `file action` as reported below.
 */
const EXCEPTIONS: Record<string, string> = {
  // The trail must read "created" before the "invited" that invitations.issue() records in the
  // same transaction; auditedWrite records after its work, which would swap them
  'app/access/services/user_admin.ts user.created':
    'creation is recorded before the invitation issued in the same transaction',
  // One summary after re-wrapping every data key through the KMS row by row; a transaction held
  // across those network calls would block every writer of the key tables
  'app/keys/services/key_rotation.ts keys.master_rotated':
    'summary of a KMS sweep that must not hold one transaction',
  // The erasure record keeps its own audit event's hash as evidence (the certificate's link to
  // the trail), so the event is recorded first and the row written after it in one transaction
  'app/dsr/execution/erasure.ts dsr.erasure_completed':
    'the erasure record carries the hash of the event recorded before it in the same transaction',
}

/** A statement that changes rows. */
const WRITE = /\.save\(\)|\.create\(|\.createMany\(|\.update\(|\.delete\(\)|\.insert\(/
/** Where a function or method starts: the look-back for a write stops there. */
const FUNCTION_START =
  /^(export )?(async )?function |^ {2}(async |private |protected |static )*[a-zA-Z]\w*\(/

function sources(dir: string) {
  return filesUnder(dir, '.ts')
}

/** The argument text of the call whose `(` is at `open`. */
function callArguments(source: string, open: number) {
  let depth = 0
  for (let at = open; at < source.length; at++) {
    if (source[at] === '(') depth++
    else if (source[at] === ')' && --depth === 0) return source.slice(open + 1, at)
  }
  return source.slice(open + 1)
}

/** Hand-rolled audited writes in one source file, as `file action: why`. */
export function handRolledWrites(file: string, source: string): string[] {
  const found: string[] = []
  const lines = source.split('\n')
  // The spans of every `db.transaction(…)` call: a record inside one is hand-rolled
  const transactions = [...source.matchAll(/db\.transaction\(/g)].map((call) => {
    const open = call.index + call[0].length - 1
    return [open, open + callArguments(source, open).length + 1]
  })
  for (const match of source.matchAll(/auditTrail\.record\(/g)) {
    const args = callArguments(source, match.index + match[0].length - 1)
    const action = /action: ['`]?([\w.]+)/.exec(args)?.[1] ?? 'unnamed action'
    const label = `${file} ${action}`
    if (EXCEPTIONS[label]) continue
    // record(entry, trx) with the caller's transaction: this function joins the caller's write
    const joinsCallerTransaction = /,\s*(trx|client)\s*,?\s*$/.test(args)
    if (transactions.some(([from, to]) => match.index > from && match.index < to)) {
      found.push(`${label}: opens a transaction and records by hand; use auditedWrite`)
      continue
    }
    if (joinsCallerTransaction) continue
    const line = source.slice(0, match.index).split('\n').length - 1
    for (let back = line - 1; back >= 0 && back > line - 30; back--) {
      if (FUNCTION_START.test(lines[back])) break
      if (WRITE.test(lines[back])) {
        found.push(`${label}: writes, then records outside its transaction; use saveAudited`)
        break
      }
    }
  }
  return found
}

test.group('Audited writes', () => {
  test('the scan recognises the hand-rolled patterns and lets reads and joined writes be', ({
    assert,
  }) => {
    const handRolled = [
      'export async function rename(user: User) {',
      '  user.name = "x"',
      '  await user.save()',
      "  await auditTrail.record({ action: 'user.renamed' })",
      '}',
      'export async function read() {',
      "  await auditTrail.record({ action: 'personal_data.read' })",
      '}',
      'export async function issue(trx: Trx) {',
      '  await Thing.create({}, { client: trx })',
      "  await auditTrail.record({ action: 'thing.issued' }, trx)",
      '}',
    ].join('\n')
    assert.deepEqual(handRolledWrites('x.ts', handRolled), [
      'x.ts user.renamed: writes, then records outside its transaction; use saveAudited',
    ])
    const ownTransaction = [
      'export async function move() {',
      '  await db.transaction(async (trx) => {',
      "    await auditTrail.record({ action: 'thing.moved' }, trx)",
      '  })',
      '}',
    ].join('\n')
    assert.lengthOf(handRolledWrites('y.ts', ownTransaction), 1)
  })

  test('every module changes data and audits it through auditedWrite or saveAudited', async ({
    assert,
  }) => {
    const offences: string[] = []
    for (const file of await sources(app.makePath('app'))) {
      const name = relative(app.makePath(), file)
      if (name.startsWith(AUDIT_MODULE)) continue
      offences.push(...handRolledWrites(name, await readFile(file, 'utf8')))
    }
    assert.deepEqual(offences, [])
  })
})
