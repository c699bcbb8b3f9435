import Subprocessor from '#vendors/models/subprocessor'
import Merchant from '#merchants/models/merchant'
import db from '@adonisjs/lucid/services/db'
import { countryName, countryOptions } from '#core/countries'
import Purpose from '#data_map/models/purpose'
import DataCategory from '#data_map/models/data_category'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import System from '#data_map/models/system'

/** Choices for the data-map forms' selects, loaded only for the forms that show them. */
export const formOptions = {
  countries: () => countryOptions(),
  subprocessors: () => Subprocessor.query().orderBy('name'),
  merchants: () => Merchant.query().orderBy('legal_name'),
  purposes: () => Purpose.query().orderBy('status').orderBy('code'),
  categories: () => DataCategory.query().orderBy('code'),
  subjects: () => DataSubjectCategory.query().orderBy('code'),
  systems: () => System.query().orderBy('code'),
  /** The countries a list's rows name, by name, for its filter bar. */
  async countriesIn(table: 'systems' | 'data_flows', column: string) {
    const rows = await db.from(table).distinct(column).whereNotNull(column)
    return rows
      .map((row) => ({ code: String(row[column]), name: countryName(row[column]) }))
      .sort((a, b) => a.name.localeCompare(b.name))
  },
}
