import { readdir } from 'node:fs/promises'
import { join } from 'node:path'

/** Every file under `dir` whose name ends with `suffix`, for tests that read the sources. */
export async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? filesUnder(join(dir, entry.name), suffix)
        : Promise.resolve(entry.name.endsWith(suffix) ? [join(dir, entry.name)] : [])
    )
  )
  return nested.flat()
}
