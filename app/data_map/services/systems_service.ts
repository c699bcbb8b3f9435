import { FieldInvalid, NotFound } from '#core/errors'
import Subprocessor from '#vendors/models/subprocessor'
import System from '#data_map/models/system'
import { assertCodeFree, UNIQUE_CODE } from '#data_map/services/catalog_writes'
import { saveAudited } from '#audit/services/audited_write'
import { countryOrFail } from '#core/countries'
import type { SystemKind } from '#data_map/taxonomy'

export interface SystemInput {
  code: string
  name: string
  kind: SystemKind
  description?: string
  locationCountry: string
  subprocessorId?: number | null
  securityMeasures?: string[]
}

export async function subprocessorOrFail(field: string, id: number) {
  const subprocessor = await Subprocessor.find(id)
  if (!subprocessor)
    throw new FieldInvalid(
      field,
      'Choose a subprocessor from the registry.',
      'data_map_unknown_subprocessor'
    )
  return subprocessor
}

/** The systems data lives in or passes through. */
export class SystemsService {
  async save(input: SystemInput, id?: number) {
    const system = id ? await System.find(id) : new System()
    if (!system) throw new NotFound('system')
    const locationCountry = countryOrFail('locationCountry', input.locationCountry)
    if (input.subprocessorId) await subprocessorOrFail('subprocessorId', input.subprocessorId)
    await assertCodeFree(System, input.code, id)
    system.merge({
      code: input.code,
      name: input.name,
      kind: input.kind,
      description: input.description ?? '',
      locationCountry,
      subprocessorId: input.subprocessorId ?? null,
      securityMeasures: input.securityMeasures ?? [],
    })
    return saveAudited(
      system,
      {
        action: id ? 'data_map.system_updated' : 'data_map.system_created',
        targetType: 'system',
      },
      { unique: UNIQUE_CODE }
    )
  }
}

export default new SystemsService()
