import pg from 'pg'

/** Creates the database if it is missing (CREATE DATABASE cannot run inside the target database). */
export async function ensureDatabase(config: {
  host: string
  port: number
  user: string
  password?: string
  database: string
}) {
  const client = new pg.Client({ ...config, database: 'postgres' })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      config.database,
    ])
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(config.database)}`)
      return true
    }
    return false
  } finally {
    await client.end()
  }
}

/** Drops everything in the public schema (tables, trigger functions, types). Test runs only. */
export async function resetSchema() {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  await db.rawQuery('DROP SCHEMA public CASCADE')
  await db.rawQuery('CREATE SCHEMA public')
}
