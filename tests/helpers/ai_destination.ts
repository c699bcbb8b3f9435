/*
 * The AI provider's place in the registers for guard tests: an effective subprocessor in the EEA
 * with the PDPC licence on record (so `isTransferCompliant` holds), operating the data map's
 * `ai_provider_api` system. Runs after `seedDataMap()`, inside the test's transaction.
 */
import { DateTime } from 'luxon'
import System from '#data_map/models/system'
import Subprocessor from '#vendors/models/subprocessor'
import { effectiveSubprocessor } from '#tests/helpers/vendors'

export async function compliantAiSubprocessor() {
  const subprocessor = await effectiveSubprocessor({ processingCountries: ['DE'] })
  subprocessor.merge({
    pdplLicenceReference: 'PDPC-TEST-AI',
    pdplLicenceIssuedOn: DateTime.utc().minus({ days: 10 }),
  })
  await subprocessor.save()
  await System.query().where('code', 'ai_provider_api').update({ subprocessor_id: subprocessor.id })
  return Subprocessor.findOrFail(subprocessor.id)
}
