/*
 * Releases what the hub opens outside the providers, so SIGTERM ends the process cleanly.
 */
import app from '@adonisjs/core/services/app'
import { closeQueues } from '#core/queue'

app.terminating(async () => {
  await closeQueues()
})
