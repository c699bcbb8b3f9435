import { existsSync, readdirSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import app from '@adonisjs/core/services/app'
import type { FieldInventory, TableInventory } from '#data_map/inventory/definition'

export interface InventoriedTable extends TableInventory {
  table: string
  module: string
}

/* Inventories added at run time (tests that create scratch tables). */
const extras = new Set<FieldInventory>()

export function registerExtraInventory(inventory: FieldInventory) {
  extras.add(inventory)
  return () => extras.delete(inventory)
}

/** Every module's `field_inventory` file under app/, in module order. */
async function moduleInventories(): Promise<FieldInventory[]> {
  const root = app.makePath('app')
  const found: FieldInventory[] = []
  for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const file = ['field_inventory.ts', 'field_inventory.js']
      .map((name) => app.makePath('app', dir.name, name))
      .find((path) => existsSync(path))
    if (!file) continue
    const { default: inventory } = await import(pathToFileURL(file).href)
    found.push(inventory as FieldInventory)
  }
  return found.sort((a, b) => a.module.localeCompare(b.module))
}

/** Flattens all inventories to one list of tables; a table claimed twice is reported by the check. */
export async function collectFieldInventory(): Promise<InventoriedTable[]> {
  const inventories = [...(await moduleInventories()), ...extras]
  return inventories.flatMap((inventory) =>
    Object.entries(inventory.tables).map(([table, spec]) => ({
      table,
      module: inventory.module,
      ...spec,
    }))
  )
}
