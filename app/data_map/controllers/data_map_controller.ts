import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import RetentionRun from '#data_map/models/retention_run'
import { checkFieldInventory } from '#data_map/inventory/schema_check'
import { collectFieldInventory } from '#data_map/inventory/collector'
import { dataMapGraph } from '#data_map/services/data_map_graph'

const COUNTED_TABLES = [
  'data_categories',
  'data_subject_categories',
  'purposes',
  'systems',
  'processing_activities',
  'data_flows',
] as const

export default class DataMapController {
  async overview({ view }: HttpContext) {
    const counts: Record<string, number> = {}
    for (const table of COUNTED_TABLES) {
      const [{ total }] = await db.from(table).count('* as total')
      counts[table] = Number(total)
    }
    const lastRun = await RetentionRun.query().orderBy('id', 'desc').first()
    const inventory = await checkFieldInventory()
    return view.render('pages/data_map/overview', { counts, lastRun, inventory })
  }

  /** The field inventory next to the live schema: what `datamap:check` would say right now. */
  async inventory({ view }: HttpContext) {
    const [result, inventory] = await Promise.all([checkFieldInventory(), collectFieldInventory()])
    const tables = inventory
      .map((spec) => ({
        ...spec,
        personalColumns: Object.entries(spec.personal ?? {}).map(([column, info]) => ({
          column,
          ...info,
        })),
      }))
      .sort((a, b) => a.table.localeCompare(b.table))
    return view.render('pages/data_map/inventory', { result, tables })
  }

  async graph({ view }: HttpContext) {
    return view.render('pages/data_map/graph')
  }

  async graphData({ response }: HttpContext) {
    return response.json(await dataMapGraph())
  }
}
