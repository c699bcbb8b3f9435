import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const AuditController = () => import('#audit/controllers/audit_controller')
const AuditEventsController = () => import('#audit/controllers/audit_events_controller')

router
  .group(() => {
    // Verifying records who verified: a POST, like the console's button
    router.post('/audit/verify', [AuditController, 'verify']).as('verify')
  })
  .prefix('/api/v1')
  .as('api.audit')
  .use(middleware.authorize({ permission: 'audit:verify' }))

router
  .get('/audit', [AuditEventsController, 'index'])
  .as('audit.index')
  .use(middleware.authorize({ permission: 'audit:read' }))
router
  .post('/audit/verify', [AuditEventsController, 'verify'])
  .as('audit.verify')
  .use(middleware.authorize({ permission: 'audit:verify' }))
