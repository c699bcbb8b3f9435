/*
 * The shipped training corpus and the trained-model cache. The model is a function of the corpus
 * and the classifier code, so the cache file is named by the SHA-256 of both: editing either
 * retrains on next use, and a stale model is never loaded.
 */
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { IntentModel, type LabeledText, type SerializedModel } from '#conversations/ai/intent_model'
import { isIntent } from '#conversations/ai/types'

const ROOT = new URL('../../../', import.meta.url)
export const CORPUS_DIR = fileURLToPath(new URL('resources/ai/corpus/', ROOT))
export const EVAL_FILE = fileURLToPath(new URL('resources/ai/eval/intents.jsonl', ROOT))
const CACHE_DIR = fileURLToPath(new URL('tmp/ai/', ROOT))
const MODEL_SOURCE = new URL(
  `./intent_model${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url
)

/** Reads `{"text","intent"}` lines; a malformed line fails with its number. */
export async function readLabeled(path: string): Promise<LabeledText[]> {
  const content = await readFile(path, 'utf8')
  const lines = content.split('\n')
  const examples: LabeledText[] = []
  lines.forEach((line, i) => {
    if (!line.trim()) return
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      throw new Error(`${path}:${i + 1}: not JSON`)
    }
    const { text, intent, lang } = (parsed ?? {}) as {
      text?: unknown
      intent?: unknown
      lang?: unknown
    }
    if (typeof text !== 'string' || !text.trim() || !isIntent(intent)) {
      throw new Error(
        `${path}:${i + 1}: expected {"text": string, "intent": one of the intent codes}`
      )
    }
    examples.push(typeof lang === 'string' ? { text, intent, lang } : { text, intent })
  })
  return examples
}

export async function corpusFiles() {
  const names = await readdir(CORPUS_DIR)
  return names
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(CORPUS_DIR, name))
}

export async function readCorpus() {
  const files = await corpusFiles()
  const perFile = await Promise.all(files.map(readLabeled))
  return perFile.flat()
}

async function trainingHash(files: string[]) {
  const hash = createHash('sha256')
  hash.update(await readFile(MODEL_SOURCE))
  for (const file of files) hash.update(file.slice(CORPUS_DIR.length)).update(await readFile(file))
  return hash.digest('hex')
}

export interface LoadedModel {
  model: IntentModel
  hash: string
  examples: number | null
  /** Milliseconds spent training, or null when the model came from the cache */
  trainedMs: number | null
}

/** The cached model for the current corpus and code, trained and cached when missing. */
export async function loadIntentModel(options: { cache?: boolean } = {}): Promise<LoadedModel> {
  const files = await corpusFiles()
  const hash = await trainingHash(files)
  const cacheFile = join(CACHE_DIR, `intent-model-${hash.slice(0, 16)}.json`)
  if (options.cache !== false) {
    try {
      const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as SerializedModel
      return { model: IntentModel.deserialize(cached), hash, examples: null, trainedMs: null }
    } catch {
      // missing or unreadable: train below
    }
  }
  const perFile = await Promise.all(files.map(readLabeled))
  const examples = perFile.flat()
  const started = performance.now()
  const model = IntentModel.train(examples)
  const trainedMs = Math.round(performance.now() - started)
  if (options.cache !== false) {
    await mkdir(CACHE_DIR, { recursive: true })
    // write-then-rename: a concurrent reader never sees half a file
    const partial = `${cacheFile}.${process.pid}.partial`
    await writeFile(partial, JSON.stringify(model.serialize()))
    await rename(partial, cacheFile)
  }
  return { model, hash, examples: examples.length, trainedMs }
}

let shared: Promise<LoadedModel> | undefined

/** One model per process, loaded on first use. */
export function sharedIntentModel() {
  shared ??= loadIntentModel().catch((error) => {
    shared = undefined
    throw error
  })
  return shared
}
