import { test } from '@japa/runner'
import { GroupInsert, type Inserted, type Row } from '#conversations/webhooks/event_store'

/*
 * The webhook's group commit, against an insert that records its statements: deliveries that
 * arrive while statements are in flight share the next one, each gets back only its own rows,
 * and a statement that fails fails no neighbour.
 */

function recordingInsert(options: { existing?: number[]; refuse?: number[] } = {}) {
  const statements: number[][] = []
  let release: () => void = () => {}
  let held = Promise.resolve()
  return {
    statements,
    /** Statements wait until `open()`: deliveries pile up meanwhile, as under load. */
    hold() {
      held = new Promise((resolve) => (release = resolve))
    },
    open: () => release(),
    async insert(rows: Row[]): Promise<Inserted[]> {
      const ids = rows.map((row) => row[0])
      statements.push(ids)
      await held
      if (ids.some((id) => options.refuse?.includes(id))) throw new Error('value too long')
      return ids
        .filter((id) => !options.existing?.includes(id))
        .map((id) => ({ id, at: String(1000 + id) }))
    },
  }
}

const rowsOf = (...ids: number[]): Row[] => ids.map((id) => [id, 'payload'])

test.group('webhook group commit', () => {
  test('deliveries waiting on a busy writer share one statement; each gets its own rows', async ({
    assert,
  }) => {
    const db = recordingInsert({ existing: [4] })
    const writer = new GroupInsert(db.insert, { statements: 1, rows: 100 })
    db.hold()
    const first = writer.write(rowsOf(1))
    const rest = [writer.write(rowsOf(2, 3)), writer.write(rowsOf(4)), writer.write(rowsOf(5))]
    db.open()
    const answers = await Promise.all([first, ...rest])

    assert.deepEqual(db.statements, [[1], [2, 3, 4, 5]])
    assert.deepEqual(
      answers.map((inserted) => inserted.map((row) => row.id)),
      [[1], [2, 3], [], [5]]
    )
  })

  test('a statement stays under the row limit; a larger delivery is not split from its group', async ({
    assert,
  }) => {
    const db = recordingInsert()
    const writer = new GroupInsert(db.insert, { statements: 1, rows: 3 })
    db.hold()
    const answers = [
      writer.write(rowsOf(1)),
      writer.write(rowsOf(2, 3)),
      writer.write(rowsOf(4, 5)),
      writer.write(rowsOf(6)),
    ]
    db.open()
    await Promise.all(answers)
    assert.deepEqual(db.statements, [[1], [2, 3], [4, 5, 6]])
  })

  test('up to the statement limit run at once', async ({ assert }) => {
    const db = recordingInsert()
    const writer = new GroupInsert(db.insert, { statements: 2, rows: 100 })
    db.hold()
    const answers = [1, 2, 3, 4].map((id) => writer.write(rowsOf(id)))
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(db.statements, [[1], [2]])
    db.open()
    await Promise.all(answers)
    assert.deepEqual(db.statements, [[1], [2], [3, 4]])
  })

  test('a refused statement fails only the delivery that caused it', async ({ assert }) => {
    const db = recordingInsert({ refuse: [3] })
    const writer = new GroupInsert(db.insert, { statements: 1, rows: 100 })
    db.hold()
    const first = writer.write(rowsOf(1))
    const good = writer.write(rowsOf(2))
    const bad = writer.write(rowsOf(3))
    const alsoGood = writer.write(rowsOf(4))
    db.open()

    assert.deepEqual(await first, [{ id: 1, at: '1001' }])
    assert.deepEqual(await good, [{ id: 2, at: '1002' }])
    await assert.rejects(() => bad, 'value too long')
    assert.deepEqual(await alsoGood, [{ id: 4, at: '1004' }])
    assert.deepEqual(db.statements, [[1], [2, 3, 4], [2], [3], [4]])
  })
})
