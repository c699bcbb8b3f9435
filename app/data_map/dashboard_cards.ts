import MerchantRetentionOverride from '#data_map/models/merchant_retention_override'
import { scopedQuery } from '#access/services/tenant_scope'
import { countModels, type CountCard } from '#access/services/dashboard_card'

/** The data map's dashboard numbers for merchants: their own retention instructions. */
export const DATA_MAP_CARDS: CountCard[] = [
  {
    // Set over the API (`/api/v1/retention`); the console has no merchant page to list them yet
    key: 'my_retention_overrides',
    permission: 'retention:manage',
    audience: 'merchant',
    count: (principal) => countModels(scopedQuery(principal, MerchantRetentionOverride)),
  },
]
