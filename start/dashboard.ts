/*
 * Every dashboard count card, in display order. A module adds its numbers by exporting cards
 * (`app/<module>/dashboard_cards.ts`) and listing them here, so `access`, which draws the
 * dashboard, imports no module above it.
 */
import type { CountCard } from '#access/services/dashboard_card'
import { ACCESS_CARDS } from '#access/dashboard_cards'
import { VENDORS_CARDS } from '#vendors/dashboard_cards'
import { CONVERSATIONS_CARDS } from '#conversations/dashboard_cards'
import { DATA_MAP_CARDS } from '#data_map/dashboard_cards'
import { GOVERNMENT_REQUEST_CARDS } from '#government_requests/dashboard_cards'
import { DSR_CARDS } from '#dsr/dashboard_cards'

export const DASHBOARD_CARDS: CountCard[] = [
  ...ACCESS_CARDS,
  ...VENDORS_CARDS,
  ...DATA_MAP_CARDS,
  ...CONVERSATIONS_CARDS,
  ...GOVERNMENT_REQUEST_CARDS,
  ...DSR_CARDS,
]
