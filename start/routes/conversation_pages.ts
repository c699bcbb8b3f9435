/*
 * Conversations, the pages (conv-flow): the staff console's figures, channels, unroutable
 * events, AI-processing log, guard denials and outbox; the merchant portal's agents' inbox,
 * AI instructions and channel status. Meta's webhook is answered in front of the router (start/front_door.ts).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ConsoleController = () => import('#conversations/console/conversations_console_controller')
const InboxController = () => import('#conversations/inbox/inbox_controller')

const can = (permission: string) => middleware.authorize({ permission })

// Console
router
  .group(() => {
    router.get('/', [ConsoleController, 'overview']).as('overview').use(can('conversations:read'))
    router
      .get('/channels', [ConsoleController, 'channels'])
      .as('channels')
      .use(can('conversations:read'))
    router
      .get('/unroutable', [ConsoleController, 'unroutable'])
      .as('unroutable')
      .use(can('conversations:read'))
    router
      .post('/unroutable/:id/replay', [ConsoleController, 'replay'])
      .as('unroutable.replay')
      .use(can('channels:manage'))
    router.get('/ai-log', [ConsoleController, 'aiLog']).as('ai_log').use(can('ai_logs:read'))
    router
      .get('/guard-denials', [ConsoleController, 'guardDenials'])
      .as('guard_denials')
      .use(can('ai_logs:read'))
    router.get('/outbox', [ConsoleController, 'outbox']).as('outbox').use(can('conversations:read'))
  })
  .prefix('/conversations')
  .as('conversations')

// Merchant portal
router
  .group(() => {
    router
      .get('/conversations', [InboxController, 'index'])
      .as('inbox.index')
      .use(can('inbox:read'))
    router
      .get('/conversations/:id', [InboxController, 'show'])
      .as('inbox.show')
      .use(can('inbox:read'))
    router
      .post('/conversations/:id/replies', [InboxController, 'reply'])
      .as('inbox.reply')
      .use(can('inbox:reply'))
    router
      .post('/conversations/:id/hand-back', [InboxController, 'handBack'])
      .as('inbox.hand_back')
      .use(can('inbox:reply'))
    router
      .get('/ai-instructions', [InboxController, 'editInstructions'])
      .as('ai_instructions.edit')
      .use(can('ai_instructions:manage'))
    router
      .post('/ai-instructions', [InboxController, 'updateInstructions'])
      .as('ai_instructions.update')
      .use(can('ai_instructions:manage'))
    router.get('/channels', [InboxController, 'channels']).as('channels').use(can('inbox:read'))
  })
  .prefix('/portal')
  .as('portal')
