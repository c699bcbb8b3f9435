import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * `npm run eval:intents [-- --file x.jsonl]`: scores the offline classifier on the held-out
 * evaluation set (or any file of {"text","intent"} lines) and prints one JSON object. Lines may
 * carry a "lang" field (en, ar, franco, mixed); the figures are then also given per language.
 */
export default class EvalIntents extends BaseCommand {
  static commandName = 'eval:intents'
  static description = 'Score the offline intent classifier on a labeled JSONL file; prints JSON'
  static options: CommandOptions = { startApp: false }

  @flags.string({
    description: 'JSONL file of {"text","intent"} lines (default: the shipped eval set)',
  })
  declare file?: string

  @flags.number({ description: 'Seconds of the throughput measurement', default: 2 })
  declare seconds: number

  @flags.boolean({ description: 'Also list the misclassified messages' })
  declare errors?: boolean

  async run() {
    const { resolve } = await import('node:path')
    const { EVAL_FILE, loadIntentModel, readLabeled, readCorpus } = await import(
      '#conversations/ai/corpus'
    )
    const { score } = await import('#conversations/ai/evaluation')
    const { AiGateway } = await import('#conversations/ai/gateway')
    const { normalize } = await import('#conversations/ai/text')
    const { EXAMPLE_INSTRUCTIONS } = await import('#conversations/ai/example_instructions')

    const file = this.file ? resolve(this.file) : EVAL_FILE
    const examples = await readLabeled(file)
    const groups = examples.map((example) => example.lang)

    // A fresh training run, timed; the gateway then loads (or writes) the cached model
    const fresh = await loadIntentModel({ cache: false })
    const gateway = new AiGateway({ provider: 'local' })
    const classify = async (text: string) => {
      const result = await gateway.process({ text, turns: [], instructions: EXAMPLE_INSTRUCTIONS })
      return result.classification.intent
    }

    const rows = []
    for (const [i, example] of examples.entries()) {
      rows.push({ gold: example.intent, predicted: await classify(example.text), group: groups[i] })
    }

    let classified = 0
    // CPU time too: on a shared machine wall-clock throughput mostly measures the neighbours
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    const deadline = started + this.seconds * 1000
    while (performance.now() < deadline) {
      for (const example of examples) await classify(example.text)
      classified += examples.length
    }
    const elapsed = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6

    const corpus = await readCorpus()
    const training = new Set(corpus.map((example) => normalize(example.text)))
    const perLanguage: Record<string, { messages: number; accuracy: number; macro_f1: number }> = {}
    for (const group of [...new Set(groups)].filter((g): g is string => Boolean(g)).sort()) {
      const {
        messages,
        accuracy,
        macro_f1: macroF1,
      } = score(rows.filter((row) => row.group === group))
      perLanguage[group] = { messages, accuracy, macro_f1: macroF1 }
    }
    const overall = score(rows)
    this.logger.log(
      JSON.stringify(
        {
          file,
          ...overall,
          per_intent: Object.fromEntries(
            Object.entries(overall.per_intent).map(([k, v]) => [k, v.f1])
          ),
          per_intent_detail: overall.per_intent,
          per_language: perLanguage,
          classify_msgs_s: Math.round(classified / elapsed),
          classify_msgs_per_cpu_s: Math.round(classified / cpuSeconds),
          in_training_corpus: examples.filter((e) => training.has(normalize(e.text))).length,
          model: {
            sha256: fresh.hash,
            training_examples: fresh.examples,
            train_ms: fresh.trainedMs,
          },
          misclassified: this.errors
            ? rows
                .map((row, i) => ({ ...row, text: examples[i].text }))
                .filter((row) => row.gold !== row.predicted)
                .map(({ text, gold, predicted }) => ({ text, gold, predicted }))
            : undefined,
        },
        null,
        2
      )
    )
  }
}
