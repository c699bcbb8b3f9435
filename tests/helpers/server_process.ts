import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'

/**
 * Runs the web process as its own OS process with environment overrides, for tests that need
 * a server whose dependencies are really unreachable (a Redis port with nothing listening).
 */
export async function startServerProcess(overrides: Record<string, string>) {
  const port = await freePort()
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'ts-node-maintained/register/esm', 'bin/server.js'],
    {
      cwd: app.appRoot.pathname,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        ...overrides,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    }
  )
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${stderr.slice(0, 500)}`)
    const up = await fetch(`${url}/vendor/none`).then(
      () => true,
      () => false
    )
    if (up) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }

  return {
    url,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      // A server stuck in shutdown must not hold the whole run hostage
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** A port nothing listens on now, so parallel test runs never collide on a fixed one. */
async function freePort() {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise((resolve) => probe.close(resolve))
  if (!address || typeof address === 'string') throw new Error('no free port')
  return address.port
}
