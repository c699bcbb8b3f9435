/*
 * `npm start`: prepares a fresh machine (database, migrations, demo data; ace writes .env from the
 * development defaults if it is missing), then runs the
 * web process and the worker side by side until either exits or Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const node = process.execPath
const tsHook = ['--import', 'ts-node-maintained/register/esm']

function step(args) {
  const result = spawnSync(node, ['ace', ...args], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

step(['db:prepare', '--seed'])

const children = [
  spawn(node, [...tsHook, 'bin/server.js'], { cwd: root, stdio: 'inherit' }),
  spawn(node, ['ace', 'queue:work'], { cwd: root, stdio: 'inherit' }),
]

setTimeout(() => step(['demo:logins']), 1500)

let stopping = false
function stop(code) {
  if (stopping) return
  stopping = true
  for (const child of children) child.kill('SIGTERM')
  process.exitCode = code
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0))
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
