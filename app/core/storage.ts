import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

/** A path under STORAGE_PATH (relative values resolve from the app root, not the cwd). */
export function storagePath(...segments: string[]) {
  const root = env.get('STORAGE_PATH')
  const base = isAbsolute(root) ? root : resolve(fileURLToPath(app.appRoot), root)
  return join(base, ...segments)
}
