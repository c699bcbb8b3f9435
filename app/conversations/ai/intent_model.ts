/*
 * The offline intent classifier: a multinomial logistic regression over word unigrams/bigrams
 * and character 3-5-grams of each word (boundaries marked). Character n-grams carry Arabic with clitics attached
 * ("والاوردر", "بالفيزا") and Franco-Arabic spelled a dozen ways ("3ayez", "3awez", "ayez").
 * Trained deterministically (seeded shuffle), in well under a second for the shipped corpus.
 */
import { normalize, tokens } from '#conversations/ai/text'
import { INTENTS, type Intent } from '#conversations/ai/types'

export interface LabeledText {
  text: string
  intent: Intent
  /** Optional language group of an eval line: en, ar, franco, mixed */
  lang?: string
}

export interface TrainOptions {
  epochs?: number
  learningRate?: number
  l2?: number
  seed?: number
}

export interface SerializedModel {
  version: number
  labels: Intent[]
  features: string[]
  /** row-major: features.length × labels.length, then labels.length biases */
  weights: number[]
}

export const MODEL_VERSION = 1

type SparseVector = Map<string, number>

/** What one word contributes: itself and its character 3-5-grams, repeats included. */
function wordFeatures(word: string) {
  const features = [`w:${word}`]
  const padded = `<${word}>`
  for (let n = 3; n <= 5; n++) {
    for (let start = 0; start + n <= padded.length; start++)
      features.push(`c:${padded.slice(start, start + n)}`)
  }
  return features
}

function bigram(words: string[], i: number) {
  return `b:${words[i]} ${words[i + 1]}`
}

/** Counts to sublinear tf, L2-normalised in place. */
function weigh<K>(counts: Map<K, number>) {
  let norm = 0
  for (const [feature, count] of counts) {
    const weight = 1 + Math.log(count)
    counts.set(feature, weight)
    norm += weight * weight
  }
  norm = Math.sqrt(norm) || 1
  for (const [feature, weight] of counts) counts.set(feature, weight / norm)
  return counts
}

function increment<K>(counts: Map<K, number>, feature: K) {
  counts.set(feature, (counts.get(feature) ?? 0) + 1)
}

/** Sublinear-tf, L2-normalised sparse features of one message. */
export function featurize(text: string): SparseVector {
  const words = tokens(normalize(text))
  const counts: SparseVector = new Map()
  words.forEach((word, i) => {
    for (const feature of wordFeatures(word)) increment(counts, feature)
    if (i + 1 < words.length) increment(counts, bigram(words, i))
  })
  if (words.length <= 2) increment(counts, 'len:short')
  return weigh(counts)
}

function seededRandom(seed: number) {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
}

export class IntentModel {
  private constructor(
    readonly labels: Intent[],
    private readonly index: Map<string, number>,
    private readonly weights: Float64Array,
    private readonly bias: Float64Array
  ) {}

  static train(examples: LabeledText[], options: TrainOptions = {}) {
    // Chosen by 5-fold cross-validation on the training corpus, never on the eval set
    const { epochs = 15, learningRate = 2, l2 = 1e-5, seed = 42 } = options
    const labels = [...INTENTS]
    const k = labels.length
    const index = new Map<string, number>()
    const data = examples.map((example) => {
      const vector = featurize(example.text)
      const ids: number[] = []
      const values: number[] = []
      for (const [feature, value] of vector) {
        let id = index.get(feature)
        if (id === undefined) {
          id = index.size
          index.set(feature, id)
        }
        ids.push(id)
        values.push(value)
      }
      return { ids, values, label: labels.indexOf(example.intent) }
    })
    const weights = new Float64Array(index.size * k)
    const bias = new Float64Array(k)
    const scores = new Float64Array(k)
    const random = seededRandom(seed)
    const order = data.map((_, i) => i)
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[order[i], order[j]] = [order[j], order[i]]
      }
      const rate = learningRate / (1 + epoch * 0.1)
      for (const position of order) {
        const { ids, values, label } = data[position]
        IntentModel.softmax(ids, values, weights, bias, scores, k)
        for (let c = 0; c < k; c++) {
          const gradient = scores[c] - (c === label ? 1 : 0)
          bias[c] -= rate * gradient
          for (const [f, id] of ids.entries()) {
            const at = id * k + c
            weights[at] -= rate * (gradient * values[f] + l2 * weights[at])
          }
        }
      }
    }
    return new IntentModel(labels, index, weights, bias)
  }

  private static softmax(
    ids: number[],
    values: number[],
    weights: Float64Array,
    bias: Float64Array,
    out: Float64Array,
    k: number
  ) {
    out.set(bias)
    for (const [f, id] of ids.entries()) {
      const base = id * k
      const value = values[f]
      for (let c = 0; c < k; c++) out[c] += weights[base + c] * value
    }
    let max = -Infinity
    for (let c = 0; c < k; c++) max = Math.max(max, out[c])
    let sum = 0
    for (let c = 0; c < k; c++) {
      out[c] = Math.exp(out[c] - max)
      sum += out[c]
    }
    for (let c = 0; c < k; c++) out[c] /= sum
  }

  /*
   * A word's features resolved to model ids once (unknown ones stay strings: they still count
   * in the normalisation, exactly as in training). Words repeat, so this is most of the speed.
   */
  private readonly words = new Map<string, Array<number | string>>()

  private resolve(feature: string): number | string {
    return this.index.get(feature) ?? feature
  }

  private resolvedWord(word: string) {
    let features = this.words.get(word)
    if (!features) {
      if (this.words.size >= 50_000) this.words.clear()
      features = wordFeatures(word).map((feature) => this.resolve(feature))
      this.words.set(word, features)
    }
    return features
  }

  /** Probabilities per intent, best first. Same features as `featurize`, resolved faster. */
  predict(text: string): Array<{ intent: Intent; probability: number }> {
    const words = tokens(normalize(text))
    const counts = new Map<number | string, number>()
    words.forEach((word, i) => {
      for (const feature of this.resolvedWord(word)) increment(counts, feature)
      if (i + 1 < words.length) increment(counts, this.resolve(bigram(words, i)))
    })
    if (words.length <= 2) increment(counts, this.resolve('len:short'))
    const ids: number[] = []
    const values: number[] = []
    for (const [feature, value] of weigh(counts)) {
      if (typeof feature === 'number') {
        ids.push(feature)
        values.push(value)
      }
    }
    const k = this.labels.length
    const scores = new Float64Array(k)
    IntentModel.softmax(ids, values, this.weights, this.bias, scores, k)
    return this.labels
      .map((intent, c) => ({ intent, probability: scores[c] }))
      .sort((a, b) => b.probability - a.probability)
  }

  serialize(): SerializedModel {
    return {
      version: MODEL_VERSION,
      labels: this.labels,
      features: [...this.index.keys()],
      weights: [...this.weights, ...this.bias].map((w) => Math.round(w * 1e6) / 1e6),
    }
  }

  static deserialize(model: SerializedModel) {
    const k = model.labels.length
    const index = new Map(model.features.map((feature, i) => [feature, i]))
    const all = Float64Array.from(model.weights)
    return new IntentModel(
      model.labels,
      index,
      all.subarray(0, model.features.length * k),
      all.subarray(model.features.length * k)
    )
  }
}
