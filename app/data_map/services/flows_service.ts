import { FieldInvalid, NotFound } from '#core/errors'
import DataFlow from '#data_map/models/data_flow'
import DataCategory from '#data_map/models/data_category'
import System from '#data_map/models/system'
import { UNIQUE_CODE } from '#data_map/services/catalog_writes'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import { countryOrFail } from '#core/countries'
import { subprocessorOrFail } from '#data_map/services/systems_service'
import type { FlowMechanism } from '#data_map/taxonomy'

export interface FlowInput {
  name: string
  systemId: number
  subprocessorId: number
  destinationCountry: string
  transferMechanism: FlowMechanism
  description?: string
  categoryIds?: number[]
}

/** Data flows: system → subprocessor → country, under a transfer mechanism. */
export class FlowsService {
  async save(input: FlowInput, id?: number) {
    const flow = id ? await DataFlow.find(id) : new DataFlow()
    if (!flow) throw new NotFound('data flow')
    const destinationCountry = countryOrFail('destinationCountry', input.destinationCountry)
    if (!(await System.find(input.systemId))) {
      throw new FieldInvalid(
        'systemId',
        'Choose a system from the data map.',
        'data_map_unknown_system'
      )
    }
    const subprocessor = await subprocessorOrFail('subprocessorId', input.subprocessorId)
    // The map may not claim a country the vendor register does not: fix the register first
    if (!subprocessor.processingCountries.includes(destinationCountry)) {
      throw new FieldInvalid(
        'destinationCountry',
        `${subprocessor.name} is registered as processing in ${subprocessor.processingCountries.join(', ') || 'no country'}, not ${destinationCountry}. Update the subprocessor register first.`,
        'data_map_flow_country_not_registered'
      )
    }
    if (input.transferMechanism === 'domestic' && destinationCountry !== 'EG') {
      throw new FieldInvalid(
        'transferMechanism',
        'Only a flow that stays in Egypt is domestic; choose the mechanism that covers this transfer.',
        'data_map_flow_domestic_outside_egypt'
      )
    }
    const categoryIds = [...new Set(input.categoryIds ?? [])]
    if (categoryIds.length) {
      const found = await DataCategory.query().whereIn('id', categoryIds)
      if (found.length !== categoryIds.length) {
        throw new FieldInvalid(
          'categoryIds',
          'One of the chosen data categories does not exist.',
          'data_map_flow_unknown_category'
        )
      }
    }
    const duplicate = await DataFlow.query()
      .where('system_id', input.systemId)
      .where('subprocessor_id', input.subprocessorId)
      .where('destination_country', destinationCountry)
      .if(id, (query) => query.whereNot('id', id!))
      .first()
    if (duplicate) {
      throw new FieldInvalid(
        'destinationCountry',
        'This system already has a flow to that subprocessor in that country.',
        'data_map_flow_duplicate'
      )
    }
    flow.merge({
      name: input.name,
      systemId: input.systemId,
      subprocessorId: input.subprocessorId,
      destinationCountry,
      transferMechanism: input.transferMechanism,
      description: input.description ?? '',
    })
    return saveAudited(
      flow,
      {
        action: id ? 'data_map.flow_updated' : 'data_map.flow_created',
        targetType: 'data_flow',
        meta: { destinationCountry, transferMechanism: input.transferMechanism },
      },
      {
        unique: UNIQUE_CODE,
        extra: async (trx) => {
          await flow.related('categories').sync(categoryIds, true, trx)
        },
      }
    )
  }

  /** A flow ends (the vendor relationship or the transfer stops); the audit trail keeps its record. */
  async remove(id: number) {
    const flow = await DataFlow.find(id)
    if (!flow) throw new NotFound('data flow')
    await auditedWrite(
      async (trx) => {
        flow.useTransaction(trx)
        await flow.delete()
      },
      {
        action: 'data_map.flow_removed',
        target: { type: 'data_flow', id },
        meta: { subprocessorId: flow.subprocessorId, destinationCountry: flow.destinationCountry },
      }
    )
    return flow
  }
}

export default new FlowsService()
