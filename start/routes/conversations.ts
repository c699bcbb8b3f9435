import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const MetaWebhookController = () => import('#conversations/webhooks/meta_webhook_controller')

/*
 * Meta's webhook: public (Meta signs each delivery; the controller checks it) and stateless
 * (listed in STATELESS_ROUTES: no session, no CSRF).
 */
router
  .get('/webhooks/meta', [MetaWebhookController, 'verify'])
  .as('webhooks.meta.verify')
  .use(middleware.authorize({ public: true }))
router
  .post('/webhooks/meta', [MetaWebhookController, 'receive'])
  .as('webhooks.meta.receive')
  .use(middleware.authorize({ public: true }))
