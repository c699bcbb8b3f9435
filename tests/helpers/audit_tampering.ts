import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'

/**
 * As the database owner with triggers off (inside the test's global transaction): what an
 * attacker with DB access could do to the append-only tables.
 */
export async function asDatabaseOwner(change: () => Promise<unknown>) {
  await db.rawQuery('SET LOCAL session_replication_role = replica')
  await change()
  await db.rawQuery('SET LOCAL session_replication_role = origin')
}

/** Runs an ace command in this process and returns its exit code and what it logged. */
export async function runAce(command: string, args: string[] = []) {
  const kernel = await app.container.make('ace')
  kernel.ui.switchMode('raw')
  const run = await kernel.exec(command, args)
  const output = run.ui.logger
    .getLogs()
    .map((log) => log.message)
    .join('\n')
  return { exitCode: run.exitCode, output }
}
