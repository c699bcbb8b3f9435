/*
 * Data-map fixtures: the real seed (the platform as the privacy policy describes it), and
 * subprocessors created straight in the register for tests that need one.
 */
import db from '@adonisjs/lucid/services/db'
import Subprocessor from '#vendors/models/subprocessor'

export async function seedDataMap() {
  const { default: DataMapSeeder } = await import('#database/seeders/55_data_map_seeder')
  await new DataMapSeeder(db.connection()).run()
}

let sequence = 0
export function registeredSubprocessor(name?: string) {
  sequence += 1
  return Subprocessor.create({
    name: name ?? `DM Vendor ${Date.now().toString(36)}${sequence}`,
    service: 'Hosting',
    purpose: 'Hosting the hub',
    dataCategories: [],
    processingCountries: ['DE'],
    transferMechanism: 'scc_module_3',
    aiTerms: null,
    status: 'effective',
  })
}
