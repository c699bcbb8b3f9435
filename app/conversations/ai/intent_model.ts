/*
 * The offline intent classifier: a multinomial logistic regression over word unigrams/bigrams
 * and character 2-4-grams of each word. Character n-grams carry Arabic with clitics attached
 * ("والاوردر", "بالفيزا") and Franco-Arabic spelled a dozen ways ("3ayez", "3awez", "ayez").
 * Trained deterministically (seeded shuffle), in well under a second for the shipped corpus.
 */
import { normalize, tokens } from '#conversations/ai/text'
import { INTENTS, type Intent } from '#conversations/ai/types'

export interface LabeledText {
  text: string
  intent: Intent
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

/** Sublinear-tf, L2-normalised sparse features of one message. */
export function featurize(text: string): SparseVector {
  const words = tokens(normalize(text))
  const counts: SparseVector = new Map()
  const add = (feature: string, weight = 1) =>
    counts.set(feature, (counts.get(feature) ?? 0) + weight)
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    add(`w:${word}`)
    if (i + 1 < words.length) add(`b:${word} ${words[i + 1]}`)
    const padded = `<${word}>`
    for (let n = 2; n <= 4; n++) {
      for (let start = 0; start + n <= padded.length; start++) {
        add(`c:${padded.slice(start, start + n)}`, 0.5)
      }
    }
  }
  if (words.length <= 2) add('len:short')
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
    const { epochs = 30, learningRate = 0.5, l2 = 1e-5, seed = 42 } = options
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
          for (let f = 0; f < ids.length; f++) {
            const at = ids[f] * k + c
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
    for (let f = 0; f < ids.length; f++) {
      const base = ids[f] * k
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

  /** Probabilities per intent, best first. */
  predict(text: string): Array<{ intent: Intent; probability: number }> {
    const ids: number[] = []
    const values: number[] = []
    for (const [feature, value] of featurize(text)) {
      const id = this.index.get(feature)
      if (id !== undefined) {
        ids.push(id)
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
