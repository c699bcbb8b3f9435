/*
 * Scoring for `npm run eval:intents`: accuracy, macro-F1 and per-intent precision/recall/F1 of the
 * gateway's classification (minimisation, rules and model: the path a real message takes).
 */
import type { Intent } from '#conversations/ai/types'

export interface Scored {
  gold: Intent
  predicted: Intent
  group?: string
}

export interface IntentScore {
  precision: number
  recall: number
  f1: number
  support: number
}

const round = (value: number) => Math.round(value * 1000) / 1000

export function score(rows: Scored[]) {
  const labels = [...new Set(rows.flatMap((row) => [row.gold, row.predicted]))].sort()
  const perIntent: Record<string, IntentScore> = {}
  for (const label of labels) {
    const truePositive = rows.filter((r) => r.gold === label && r.predicted === label).length
    const predicted = rows.filter((r) => r.predicted === label).length
    const support = rows.filter((r) => r.gold === label).length
    const precision = predicted ? truePositive / predicted : 0
    const recall = support ? truePositive / support : 0
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
    perIntent[label] = {
      precision: round(precision),
      recall: round(recall),
      f1: round(f1),
      support,
    }
  }
  const f1s = labels.map((label) => perIntent[label].f1)
  return {
    messages: rows.length,
    accuracy: round(rows.filter((r) => r.gold === r.predicted).length / (rows.length || 1)),
    macro_f1: round(f1s.reduce((sum, f1) => sum + f1, 0) / (f1s.length || 1)),
    per_intent: perIntent,
  }
}
