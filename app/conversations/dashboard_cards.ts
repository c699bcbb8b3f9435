import db from '@adonisjs/lucid/services/db'
import { scopedQuery } from '#access/services/tenant_scope'
import { countModels, countRows, type CountCard } from '#access/services/dashboard_card'
import Conversation from '#conversations/models/conversation'
import CustomerRightsRequest from '#conversations/models/customer_rights_request'

/** What needs a person in conversations: handed-off threads, customers' requests, unsent replies. */
export const CONVERSATIONS_CARDS: CountCard[] = [
  {
    key: 'conversations_with_agents',
    permission: 'inbox:read',
    audience: 'merchant',
    tone: 'warn',
    link: { route: 'portal.inbox.index', permission: 'inbox:read' },
    count: (principal) => countModels(scopedQuery(principal, Conversation).where('mode', 'human')),
  },
  {
    key: 'rights_requests_from_chat',
    permission: 'inbox:read',
    audience: 'merchant',
    tone: 'warn',
    link: { route: 'portal.inbox.index', permission: 'inbox:read' },
    count: (principal) =>
      countModels(
        scopedQuery(principal, CustomerRightsRequest).where('state', 'awaiting_merchant')
      ),
  },
  {
    key: 'replies_not_sent',
    permission: 'conversations:read',
    audience: 'platform',
    tone: 'warn',
    link: { route: 'conversations.outbox', permission: 'conversations:read' },
    count: () =>
      countRows(db.from('outbound_messages').whereIn('state', ['held', 'failed', 'not_sent'])),
  },
]
